"""Page decorators that read one rule of `brokerage.access` each (the services enforce the same
rules; these refuse with a 403 page before any work is done)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from brokerage import access


def broker_only(view: Callable) -> Callable:
    """Brokers only: signed-out visitors are sent to sign in, everyone else gets a 403."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not access.is_broker(request.user):
            raise PermissionDenied("Brokers only.")
        return view(request, *args, **kwargs)

    return wrapper
