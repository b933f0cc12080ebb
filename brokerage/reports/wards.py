"""Per-ward aggregates for brokers: what each ward asks for that nobody offers (the skills
gap), and the ward table and map (open needs, unmet needs, offers serving it, days matched)."""

from collections import Counter, defaultdict

from django.db.models import Sum

from brokerage import matchmaking, selectors
from brokerage.models import ListingStatus, Need, NeedSkill, Offer, OfferSkill
from brokerage.reports.summary import pairs


def skills_gap(limit_per_ward: int = 5) -> list[dict]:
    """Per ward, the skills open needs ask for most that open offers serving the ward (or
    city-wide / remote) give least: what to ask businesses for next."""
    open_needs = Need.objects.filter(status=ListingStatus.OPEN)
    asked: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for ward, skill in NeedSkill.objects.filter(need__in=open_needs).values_list(
        "need__ward__name", "skill__name"
    ):
        asked[ward][skill] += 1
    open_offers = Offer.objects.filter(status=ListingStatus.OPEN)
    offer_wards = pairs(
        Offer.wards.through.objects.filter(offer__in=open_offers), "offer_id", "ward__name"
    )
    offered: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    city_wide: dict[str, int] = defaultdict(int)
    for offer_id, skill in OfferSkill.objects.filter(offer__in=open_offers).values_list(
        "offer_id", "skill__name"
    ):
        wards = offer_wards.get(offer_id)
        if not wards:
            city_wide[skill] += 1
        for ward in wards or ():
            offered[ward][skill] += 1
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


def ward_overview() -> list[dict]:
    """For each current ward, by name: open needs, needs the engine finds no fit for, open
    offers serving it (city-wide ones count everywhere) and days matched."""
    current = list(selectors.current_wards().select_related("boundary").order_by("name"))
    open_needs = Counter(
        Need.objects.filter(status=ListingStatus.OPEN).values_list("ward_id", flat=True)
    )
    matched = dict(
        Need.objects.values("ward_id")
        .annotate(days=Sum("days_reserved"))
        .values_list("ward_id", "days")
    )
    live_offers = Offer.objects.filter(status=ListingStatus.OPEN)
    city_wide = live_offers.filter(wards__isnull=True).count()
    serving = Counter(
        Offer.wards.through.objects.filter(offer__in=live_offers).values_list("ward_id", flat=True)
    )
    unmet = Counter(gap.need.ward_id for gap in matchmaking.unmet_needs())
    return [
        {
            "ward": ward,
            "open_needs": open_needs[ward.pk],
            "unmet": unmet[ward.pk],
            "offers": serving[ward.pk] + city_wide,
            "matched_days": matched.get(ward.pk) or 0,
        }
        for ward in current
    ]
