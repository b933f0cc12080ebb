"""Per-ward aggregates for brokers: what each ward asks for that nobody offers (the skills
gap), and the ward table and map (open needs, unmet needs, offers serving it, days matched)."""

from collections import defaultdict
from collections.abc import Collection

from django.db.models import Count, QuerySet, Sum

from brokerage import selectors
from brokerage.datasets import geo
from brokerage.infra import versions
from brokerage.models import (
    GapCase,
    ListingStatus,
    Need,
    NeedSkill,
    Offer,
    OfferSkill,
    WardBoundary,
)

# The skills gap and the ward table's listing counts read only listings, their skills and
# wards: all move the market version.
SKILLS_GAP_CACHE_SECONDS = 300


def skills_gap(limit_per_ward: int = 5, areas: Collection[str] | None = None) -> list[dict]:
    """Per ward (of `areas`, council codes, if given), the skills open needs ask for most that
    open offers serving the ward (or city-wide / remote) give least: what to ask businesses
    for next. Kept per market version and area (three aggregates over every open listing's
    skills: 110 ms at a region's 20,000 needs)."""
    areas = sorted(areas) if areas is not None else None
    build = lambda: _skills_gap(limit_per_ward, areas)  # noqa: E731
    key = f"skills-gap:{limit_per_ward}:{'.'.join(areas) if areas is not None else 'all'}"
    return versions.cached(key, build, SKILLS_GAP_CACHE_SECONDS, versions.MARKET)


def _skills_gap(limit_per_ward: int, areas: list[str] | None) -> list[dict]:
    # Counted in PostgreSQL, one row per (ward, skill): the market's rows never come to Python.
    asked: dict[str, dict[str, int]] = defaultdict(dict)
    asking = NeedSkill.objects.filter(need__status=ListingStatus.OPEN)
    if areas is not None:
        asking = asking.filter(need__ward__council_id__in=areas)
    for ward, skill, count in _counts(asking, "need__ward__name"):
        asked[ward][skill] = count
    open_offer_skills = OfferSkill.objects.filter(offer__status=ListingStatus.OPEN)
    offered: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ward, skill, count in _counts(
        open_offer_skills.filter(offer__wards__isnull=False), "offer__wards__name"
    ):
        offered[ward][skill] = count
    city_wide: dict[str, int] = defaultdict(int)
    for skill, count in (
        open_offer_skills.filter(offer__wards__isnull=True)
        .values("skill__name")
        .annotate(count=Count("id"))
        .values_list("skill__name", "count")
    ):
        city_wide[skill] = count
    result = []
    for ward in sorted(asked):
        gaps = [
            {
                "ward": ward,
                "skill": skill,
                "needs_asking": count,
                "offers_giving": offered[ward][skill] + city_wide[skill],
                "gap": count - offered[ward][skill] - city_wide[skill],
            }
            for skill, count in asked[ward].items()
        ]
        gaps = [g for g in gaps if g["gap"] > 0]
        gaps.sort(key=lambda g: (-g["gap"], -g["needs_asking"], g["skill"]))
        result.extend(gaps[:limit_per_ward])
    return result


def _counts(rows: QuerySet, ward: str) -> QuerySet:
    """(ward name, skill name, how many) for listing-skill rows grouped by ward and skill."""
    return (
        rows.values(ward, "skill__name")
        .annotate(count=Count("id"))
        .values_list(ward, "skill__name", "count")
    )


COUNCIL_OUTLINES_CACHE_SECONDS = 3600


def council_outlines(areas: Collection[str]) -> dict:
    """The borders of the councils among `areas` that have wards, as a GeoJSON
    FeatureCollection for the ward map, kept per market version (a union of a council's ward
    polygons takes tens of milliseconds)."""
    codes = sorted(areas)

    def build() -> dict:
        shapes: dict[str, list[dict]] = defaultdict(list)
        names = {}
        boundaries = WardBoundary.objects.filter(
            ward__in=selectors.current_wards().filter(council_id__in=codes)
        ).values_list("ward__council_id", "ward__council__name", "geometry")
        for code, name, geometry in boundaries:
            shapes[code].append(geometry)
            names[code] = name
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": geo.outline(shapes[code]),
                    "properties": {"council": names[code], "code": code},
                }
                for code in sorted(shapes)
            ],
        }

    key = f"council-outlines:{'.'.join(codes)}"
    return versions.cached(key, build, COUNCIL_OUTLINES_CACHE_SECONDS, versions.MARKET)


def ward_overview(areas: Collection[str]) -> list[dict]:
    """For each current ward of `areas` (council codes), by name: open needs, unmet ones (open
    needs with a gap case still being worked: the unmet-needs list, which the engine keeps
    after each publish and in its sweep; running the engine here took seconds at 10,000
    needs), open offers serving it (city-wide ones count everywhere) and days matched."""
    areas = list(areas)
    current = list(
        selectors.current_wards()
        .filter(council_id__in=areas)
        .select_related("boundary", "council")
        .order_by("council__name", "name")
    )
    counts = versions.cached(
        f"ward-counts:{'.'.join(sorted(areas))}",
        lambda: _listing_counts(areas),
        SKILLS_GAP_CACHE_SECONDS,
        versions.MARKET,
    )
    unmet = dict(
        GapCase.objects.filter(
            status__in=GapCase.ACTIVE,
            need__status=ListingStatus.OPEN,
            need__ward__council_id__in=areas,
        )
        .values("need__ward_id")
        .annotate(needs=Count("need_id", distinct=True))
        .values_list("need__ward_id", "needs")
    )
    return [
        {
            "ward": ward,
            "open_needs": counts["open_needs"].get(ward.pk, 0),
            "unmet": unmet.get(ward.pk, 0),
            "offers": counts["serving"].get(ward.pk, 0) + counts["city_wide"],
            "matched_days": counts["matched"].get(ward.pk) or 0,
        }
        for ward in current
    ]


def _listing_counts(areas: list[str]) -> dict:
    """Per ward of `areas`: open needs, days matched and open offers serving it, and the open
    offers serving everywhere. Counted in the database (a region's 20,000 open needs never
    come to Python) and kept per market version and area: they read only listings."""
    live_offers = Offer.objects.filter(status=ListingStatus.OPEN)
    return {
        "open_needs": dict(
            Need.objects.filter(status=ListingStatus.OPEN, ward__council_id__in=areas)
            .values("ward_id")
            .annotate(needs=Count("id"))
            .values_list("ward_id", "needs")
        ),
        "matched": dict(
            Need.objects.filter(ward__council_id__in=areas)
            .values("ward_id")
            .annotate(days=Sum("days_reserved"))
            .values_list("ward_id", "days")
        ),
        "serving": dict(
            Offer.wards.through.objects.filter(offer__in=live_offers, ward__council_id__in=areas)
            .values("ward_id")
            .annotate(offers=Count("id"))
            .values_list("ward_id", "offers")
        ),
        "city_wide": live_offers.filter(wards__isnull=True).count(),
    }
