"""The service's own "not found" answers in the embedded mode as well."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from api.exceptions import page_not_found


class ServiceNotFoundWhileDebugging:
    """With DEBUG on (the embedded mode `make run` serves the demo in), Django answers an
    unknown address with its technical page, which lists every URL pattern of the service.
    The documented answers hold in every mode: the API's `{"code": "not_found"}` under
    `/api/`, the service's own page elsewhere. Last in `MIDDLEWARE`, so the page knows who is
    signed in; CommonMiddleware (outside it) still adds a missing slash to a 404. Not loaded
    when DEBUG is off: Django's handler404 (`api.exceptions.page_not_found`) answers then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            resolve(request.path_info)
        except Resolver404 as unknown:
            return page_not_found(request, unknown)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
