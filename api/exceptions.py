"""One error shape for every API failure: `{"code", "detail", "fields"}`.

`code` is stable for clients to branch on; `detail` is a sentence for people; `fields` maps
each offending field (dotted for nested input, e.g. `skills.0.skill`) to its messages.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from brokerage import errors

DOMAIN_STATUS = {
    errors.InvalidInput: status.HTTP_400_BAD_REQUEST,
    errors.NotAllowed: status.HTTP_403_FORBIDDEN,
    errors.NotVerified: status.HTTP_409_CONFLICT,
    errors.InvalidTransition: status.HTTP_409_CONFLICT,
    errors.CapacityExceeded: status.HTTP_409_CONFLICT,
    errors.DuplicateMatch: status.HTTP_409_CONFLICT,
    errors.IncompatiblePair: status.HTTP_409_CONFLICT,
    errors.LeaveExceeded: status.HTTP_409_CONFLICT,
    errors.NotFound: status.HTTP_404_NOT_FOUND,
}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            # A nested object's own errors belong to the field that holds it.
            if key == "non_field_errors" and prefix:
                flat.update(_flatten(value, prefix))
            else:
                flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


NOT_FOUND = {"code": "not_found", "detail": "Not found.", "fields": {}}


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 404 (`handler404`): under `/api/` the API's error shape, not a web page;
    elsewhere Django's page (its `404.html` template)."""
    if request.path.startswith("/api/"):
        return JsonResponse(NOT_FOUND, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The project's 403: the API's error shape under `/api/`, else the `403.html` page."""
    if request.path.startswith("/api/"):
        body = {"code": "permission_denied", "detail": str(exception) or "Not allowed."}
        return JsonResponse(body | {"fields": {}}, status=status.HTTP_403_FORBIDDEN)
    return defaults.permission_denied(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The project's 500: the API's error shape under `/api/`, else the `500.html` page."""
    if request.path.startswith("/api/"):
        body = {"code": "server_error", "detail": "Something went wrong on our side.", "fields": {}}
        return JsonResponse(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)


def handle_exception(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, errors.DomainError):
        code = DOMAIN_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST)
        return Response({"code": exc.code, "detail": exc.message, "fields": exc.fields}, code)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404 | exceptions.NotFound):
        # One answer for "no such thing" and "not yours to see": neither says which.
        response.data = dict(NOT_FOUND)
    elif isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()))[0]
        name = next(iter(fields))
        detail = first if name == "non_field_errors" else f"{name}: {first}"
        response.data = {"code": "invalid", "detail": detail, "fields": fields}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"code": code, "detail": str(detail), "fields": {}}
    return response
