"""Forms a page offers closed, in a <details>, and leaves out until one is opened (see
`includes/fetched_details.html`): htmx fetches the form alone; any other request for it
lands on the page with that form open (`?open=<id>`), as the no-JavaScript link does. The
same address answers both ways, so both answers vary on the htmx header for caches."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

FORM = "frontend/includes/fetched_form.html"  # a form with its error summary, nothing else


def wants_fragment(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def page_with_it_open(page: str, anchor: str) -> HttpResponse:
    response = redirect(f"{page}?open={anchor}#{anchor}")
    patch_vary_headers(response, ["HX-Request"])
    return response


def fragment(request: HttpRequest, body: str, form) -> HttpResponse:
    """The form alone, as the page would show it inside its <details>."""
    response = render(request, body, {"form": form})
    patch_vary_headers(response, ["HX-Request"])
    return response
