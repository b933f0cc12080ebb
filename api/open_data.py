"""Open needs as a Volunteering Data Standard feed (JSON-LD), so Coventry's requests for help
can appear on other volunteering sites.

Shape (https://standard.volunteeringdata.io/publishing-opportunities-data): a `graph` of
Organisations, each embedding its Activities; an Activity embeds Roles (what is asked, with
skills) and Sessions (Location with coordinates and geometry, and Time).
"""

from django.conf import settings
from django.db.models import Max, Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from brokerage.access.places import with_constituents
from brokerage.models import Council, ListingStatus, Need, NeedSkill, Organisation

CONTEXT = "https://api.volunteeringdata.io/context/v1"
STANDARD = "https://ns.volunteeringdata.io/"
LICENCE = "OGL-UK-3.0"  # SPDX identifier of the Open Government Licence v3.0


def _skill_iri(request: HttpRequest, skill) -> str:
    """The standard's term where one exists; otherwise ours, dereferenceable in our API."""
    if skill.open_data_term:
        return STANDARD + skill.open_data_term
    return request.build_absolute_uri(reverse("v1:skill-detail", args=[skill.slug]))


def _activity(request: HttpRequest, need: Need) -> dict:
    ward = need.ward
    days = need.days_remaining
    return {
        "type": "Activity",
        "id": request.build_absolute_uri(reverse("v1:need-detail", args=[need.pk])),
        "title": need.title,
        "description": need.description,
        "publishStartDate": need.published_at.date().isoformat() if need.published_at else None,
        "publishEndDate": need.needed_by.isoformat(),
        "role": [
            {
                "type": "Role",
                "title": need.title,
                "description": need.description,
                "commitment": f"{days} volunteer-day{'s' if days != 1 else ''} "
                f"({settings.VOLUNTEER_DAY_HOURS:g} hours a day) by {need.needed_by:%-d %B %Y}",
                "allowsRemoteParticipation": need.remote_ok,
                "skill": [_skill_iri(request, link.skill) for link in need.need_skills.all()],
            }
        ],
        "session": [
            {
                "type": "Session",
                "location": {
                    "type": "Location",
                    "name": f"{ward.name} ward, {ward.council}",
                    "latitude": str(ward.centroid_lat),
                    "longitude": str(ward.centroid_lon),
                    "geometry": f"POINT({ward.centroid_lon} {ward.centroid_lat})",
                },
                "time": [
                    {
                        "type": "Time",
                        "hasBeginning": timezone.localdate().isoformat(),
                        "hasEnd": need.needed_by.isoformat(),
                    }
                ],
            }
        ],
    }


def _organisation(request: HttpRequest, organisation: Organisation, needs: list[Need]) -> dict:
    node = {
        "type": "Organisation",
        "id": request.build_absolute_uri(reverse("v1:organisation-detail", args=[organisation.pk])),
        "name": organisation.name,
        "description": organisation.description,
        "activity": [_activity(request, need) for need in needs],
    }
    if organisation.website:
        node["website"] = organisation.website
    if organisation.charity_number:
        node["charityNumber"] = organisation.charity_number
    return node


@require_GET
def volunteering_feed(request: HttpRequest) -> JsonResponse:
    """Every open need of a verified organisation, grouped by organisation; `?council=` (a
    GSS code) gives one council's (its wards'; a combined authority's: all its councils')."""
    in_area = {}
    code = request.GET.get("council")
    if code is not None:
        if not Council.objects.filter(pk=code).exists():
            message = f"No council has the code {code!r} (a GSS code, e.g. E08000026)."
            return JsonResponse(
                {"code": "invalid", "detail": message, "fields": {"council": [message]}},
                status=400,
            )
        in_area = {"ward__council_id__in": list(with_constituents([code]))}
    open_needs = (
        Need.objects.filter(
            status=ListingStatus.OPEN,
            organisation__verification_status=Organisation.Verification.VERIFIED,
            **in_area,
        )
        .select_related("organisation", "ward__council")
        .prefetch_related(Prefetch("need_skills", NeedSkill.objects.select_related("skill")))
        .order_by("organisation__name", "needed_by", "pk")
    )
    grouped: dict[int, tuple[Organisation, list[Need]]] = {}
    for need in open_needs:
        grouped.setdefault(need.organisation_id, (need.organisation, []))[1].append(need)
    modified = open_needs.aggregate(last=Max("updated_at"))["last"] or timezone.now()
    feed = {
        "@context": CONTEXT,
        "conformsTo": STANDARD,
        "license": LICENCE,
        "publisher": settings.OPEN_DATA_PUBLISHER,
        "modified": modified.date().isoformat(),
        "graph": [_organisation(request, org, needs) for org, needs in grouped.values()],
    }
    return JsonResponse(feed, content_type="application/ld+json", json_dumps_params={"indent": 1})
