"""API plumbing shared by every app: pagination and error shape."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, serializers
from rest_framework.views import exception_handler as drf_exception_handler


class CursorPagination(pagination.CursorPagination):
    """Keyset pagination: constant cost on any page, stable under inserts."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


def exception_handler(exc, context):
    from dangjian.core.scoping import OutOfScope
    from dangjian.core.security_audit import note_refusal

    # A row outside the user's scope answers a plain 404 (its existence is not revealed) and
    # is recorded as a refusal by core.security_audit.
    if isinstance(exc, OutOfScope):
        note_refusal(context["request"], str(exc))
        exc = exceptions.NotFound()
    # Service functions raise Django's ValidationError; the API answers 400 with field errors.
    if isinstance(exc, DjangoValidationError):
        detail = dict(exc.message_dict) if hasattr(exc, "error_dict") else {}
        if not hasattr(exc, "error_dict"):
            detail["non_field_errors"] = exc.messages
        elif NON_FIELD_ERRORS in detail:
            detail["non_field_errors"] = detail.pop(NON_FIELD_ERRORS)
        exc = serializers.ValidationError(detail)
    # A refused right keeps the rule it names (DRF would answer a generic message).
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(exc.args[0])
    return drf_exception_handler(exc, context)
