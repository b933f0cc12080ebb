"""Where a form sends people back to, and the ids forms post: the page they came from when
it is on this site (never elsewhere: an open redirect would lend our address to phishing),
and 404 for an id that cannot be one rather than a server error."""

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def back_on_this_site(request: HttpRequest, target: str | None, default: str) -> str:
    """`target` if it is a path or address on this site, else the route named `default`."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def posted_id(value: str | None) -> int:
    """A form's id field, or 404 for anything that cannot be one (not digits, too long)."""
    if not value or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)
