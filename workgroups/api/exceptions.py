"""The one place where domain errors become HTTP answers.

Services raise :class:`~workgroups.errors.SpassError` subclasses and Django
``ValidationError`` keyed by model field; the API answers 403 (not allowed), 400 (invalid
state or data, keyed by the API's field names), 409 (a save from a stale copy) and 413
(body over ``SPASS_MAX_BODY_BYTES``), with French messages (or the request's language where
Django and DRF provide one).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from workgroups.errors import Conflict, NotAllowed, SpassError

#: Model field names that the API shows under another name.
API_FIELD_NAMES = {"geom": "geometry", "__all__": "non_field_errors"}


def _validation_detail(error: DjangoValidationError) -> dict[str, Any] | list[str]:
    if hasattr(error, "error_dict"):
        return {API_FIELD_NAMES.get(name, name): msgs for name, msgs in error.message_dict.items()}
    return {"non_field_errors": error.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the domain errors of the services."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_validation_detail(exc))
    elif isinstance(exc, RequestDataTooBig):
        message = _("Le corps de la requête dépasse la taille maximale (%(limit)s octets).")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": message % {"limit": limit}}, status=413)
    elif isinstance(exc, NotAllowed):
        exc = exceptions.PermissionDenied(exc.message)
    elif isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, SpassError):
        return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
