"""Which of a broker's areas their pages show: all of them, or the one council they picked in
the area picker (kept in their session, so it is remembered until they sign out). The
services and selectors still decide what each area's brokers may see and do; this only
narrows the pages to one of those areas."""

from django.http import HttpRequest

from brokerage import access
from brokerage.access.places import with_constituents
from brokerage.models import Council

SESSION_KEY = "broker_area"


def _broker_areas(request: HttpRequest) -> frozenset[str]:
    """`access.broker_areas`, read once per request however many parts of a page ask."""
    if not hasattr(request, "_broker_areas"):
        request._broker_areas = access.broker_areas(request.user)
    return request._broker_areas


def area_choices(request: HttpRequest) -> list[Council]:
    """The councils a broker may pick between (a combined authority first), or none where
    there is nothing to pick (a broker of one council)."""
    areas = _broker_areas(request)
    if len(areas) < 2:
        return []
    return list(Council.objects.filter(pk__in=areas).order_by("kind", "name"))


def picked_council(request: HttpRequest) -> Council | None:
    """The council picked, if it is still one of the broker's areas."""
    picked = request.session.get(SESSION_KEY)
    if picked and picked in _broker_areas(request):
        return Council.objects.filter(pk=picked).first()
    return None


def chosen_areas(request: HttpRequest) -> frozenset[str]:
    """The areas the broker's pages show: the picked council's (a combined authority's: all
    its councils), else every area they broker."""
    areas = _broker_areas(request)
    picked = request.session.get(SESSION_KEY)
    if picked and picked in areas:
        return with_constituents([picked]) & areas
    return areas


def picker_context(request: HttpRequest) -> dict:
    return {"area_choices": area_choices(request), "area_picked": request.session.get(SESSION_KEY)}
