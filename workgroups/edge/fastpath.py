"""The WSGI base of the fast paths (``ogc/fastpath.py``, ``tiles/fastpath.py``): hot
requests answered before Django, everything else handed to it unchanged.

A fast path says whether a request may be its (:meth:`FastPath.eligible`, cheap: method,
path, headers) and then answers it (:meth:`FastPath.answer`) or returns None for Django to
answer. Around the answer it does what Django's handler does: ``request_started`` (a broken or
expired database connection is dropped, as at the start of any request), the script prefix,
the default language, then ``request_finished`` (connections closed or kept as Django
would); and it adds the headers Django's middleware stack would add (:mod:`.headers`), so
that the answer is the same whichever side gives it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus

from django.conf import settings
from django.core.handlers.wsgi import get_script_name
from django.core.signals import request_finished, request_started
from django.urls import set_script_prefix
from django.utils import translation

from .headers import middleware_headers

logger = logging.getLogger(__name__)


@dataclass
class FastAnswer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class FastPath:
    """Wraps a WSGI application (``app``: Django, or another fast path around it)."""

    #: Exceptions of :meth:`answer` that mean « Django words this answer » (not logged).
    deferred: tuple[type[BaseException], ...] = ()

    def __init__(self, app: Callable) -> None:
        self.app = app

    def eligible(self, environ: dict) -> bool:
        raise NotImplementedError

    def answer(self, environ: dict) -> FastAnswer | None:
        raise NotImplementedError

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not self.eligible(environ):
            return self.app(environ, start_response)
        request_started.send(sender=self.__class__, environ=environ)
        set_script_prefix(get_script_name(environ))
        translation.activate(settings.LANGUAGE_CODE)
        try:
            answer = self.answer(environ)
        except self.deferred:
            answer = None
        except Exception:
            path = environ.get("PATH_INFO")
            logger.warning("%s left %s to Django", type(self).__name__, path, exc_info=True)
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        headers = middleware_headers(answer.headers, environ, settings.LANGUAGE_CODE)
        # What Django gives every answer, bodiless ones (204, 304) included: HttpResponse's
        # default type and CommonMiddleware's length — the server in front handles both
        # answers alike whichever side gives them.
        headers.setdefault("Content-Type", f"text/html; charset={settings.DEFAULT_CHARSET}")
        headers["Content-Length"] = str(len(answer.body))
        status = HTTPStatus(answer.status)
        start_response(f"{status.value} {status.phrase}", list(headers.items()))
        request_finished.send(sender=self.__class__)
        return [answer.body]
