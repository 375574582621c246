"""The WSGI base of the fast paths (``ogc/fastpath.py``, ``tiles/fastpath.py``): hot
requests answered before Django, everything else handed to it unchanged.

A fast path says whether a request may be its (:meth:`FastPath.eligible`, cheap: method,
path, headers) and then answers it (:meth:`FastPath.answer`) or returns None for Django to
answer. Around the answer it does what Django's handler does: ``request_started`` (a broken or
expired database connection is dropped, as at the start of any request), the script prefix,
the default language, then ``request_finished`` (connections closed or kept as Django
would); and it adds the headers Django's middleware stack would add (:mod:`.headers`), so
that the answer is the same whichever side gives it.

An answer that needs neither the database nor a translation nor a URL (a tile already on
disk) is given by :meth:`FastPath.stored`, before that lifecycle: the two signals and the
language cost as much as reading the file (bench/tiles: cached tiles under wrk, 7.6k → 14k
requests a second on two cores).
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

from geo import replicas

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

    def stored(self, environ: dict) -> FastAnswer | None:
        """An answer read from where it is stored, without Django's request lifecycle (it
        must not touch the database, translations or URLs); None: :meth:`answer` is asked."""
        return None

    def answer(self, environ: dict) -> FastAnswer | None:
        raise NotImplementedError

    def _ask(self, method: Callable[[dict], FastAnswer | None], environ: dict):
        """``method``'s answer; None (Django answers) when it raises."""
        try:
            return method(environ)
        except self.deferred:
            return None
        except Exception:
            path = environ.get("PATH_INFO")
            logger.warning("%s left %s to Django", type(self).__name__, path, exc_info=True)
            replicas.failed()  # a replica to blame is marked down; Django answers
            return None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not self.eligible(environ):
            return self.app(environ, start_response)
        answer = self._ask(self.stored, environ)
        started = answer is None
        if started:
            request_started.send(sender=self.__class__, environ=environ)
            set_script_prefix(get_script_name(environ))
            translation.activate(settings.LANGUAGE_CODE)
            with replicas.reading_environ(environ):
                answer = self._ask(self.answer, environ)
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
        if started:
            request_finished.send(sender=self.__class__)
        return [answer.body]
