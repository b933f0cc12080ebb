"""Reports for committee papers and contract monitoring: what was asked, offered, matched and
delivered, by ward, priority theme, business, skill category or month; and the skills gap.

Only confirmed time counts as delivered. Each report reads a fixed handful of queries (rows
as plain values) and groups in Python: the market is thousands of rows, not millions, and
the grouping rules (a need in two themes counts in both; an offer serving three wards counts
in each) are clearer here than in SQL.
"""

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from brokerage.models import (
    ListingStatus,
    Match,
    MatchStatus,
    Need,
    NeedSkill,
    Offer,
    OfferSkill,
    Organisation,
    TimeEntry,
)
from brokerage.models.matches import RESERVING_STATUSES

DIMENSIONS = ("ward", "theme", "business", "skill_category", "month")
CITY_WIDE = "City-wide or remote"
COLUMNS = (
    "group",
    "needs_posted",
    "needs_matched",
    "needs_met",
    "days_offered",
    "days_matched",
    "days_delivered",
    "hours_confirmed",
    "social_value",
    "credits",
    "median_days_to_match",
)


@dataclass(frozen=True)
class Scope:
    """Whose figures: everything (brokers), or one organisation's own."""

    organisation: Organisation | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def in_period(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.date_from is None or day >= self.date_from) and (
            self.date_to is None or day <= self.date_to
        )


def scope_for(
    user,
    *,
    organisation: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Scope:
    """Brokers see everything (or one organisation's, if asked); anyone else their own
    organisation's figures only."""
    from brokerage import selectors
    from brokerage.errors import InvalidInput, NotAllowed, NotFound

    if selectors.is_broker(user):
        chosen = Organisation.objects.filter(pk=organisation).first() if organisation else None
        if organisation and chosen is None:
            raise NotFound("No such organisation.")
    else:
        mine = selectors.organisation_ids_of(user)
        if organisation and organisation not in mine:
            raise NotAllowed("You see reports of your own organisation only.")
        if not organisation and len(mine) != 1:
            if not mine:
                raise NotAllowed("Reports are for members of an organisation and brokers.")
            raise InvalidInput(
                "You belong to several organisations; say which.",
                fields={"organisation": ["Required."]},
            )
        chosen = Organisation.objects.get(pk=organisation or mine[0])
    return Scope(organisation=chosen, date_from=date_from, date_to=date_to)


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _local(moment) -> dt.date | None:
    from django.utils import timezone

    return timezone.localdate(moment) if moment else None


class _Rows:
    """The plain rows every report is built from, loaded once."""

    def __init__(self, scope: Scope):
        org = scope.organisation
        needs = Need.objects.filter(published_at__isnull=False)
        offers = Offer.objects.filter(published_at__isnull=False)
        matches = Match.objects.filter(status__in=RESERVING_STATUSES)
        if org is not None:
            needs = needs.filter(organisation=org)
            offers = offers.filter(organisation=org)
            matches = matches.filter(Q(offer__organisation=org) | Q(need__organisation=org))
        self.needs = list(
            needs.values(
                "id", "ward__name", "organisation__name", "published_at", "days_needed",
                "days_reserved", "status",
            )
        )  # fmt: skip
        need_ids = [n["id"] for n in self.needs]
        self.matches = list(
            matches.values(
                "id", "need_id", "offer_id", "days", "status", "accepted_at", "need__ward__name",
                "offer__organisation__name",
            )
        )  # fmt: skip
        match_ids = [m["id"] for m in self.matches]
        self.time = list(
            TimeEntry.objects.filter(
                match_id__in=match_ids, status=TimeEntry.Status.CONFIRMED
            ).values("match_id", "date", "hours", "value", "credit__credits")
        )
        self.offers = list(
            offers.values("id", "organisation__name", "published_at", "days_offered")
        )
        offer_ids = [o["id"] for o in self.offers]
        self.offer_wards = _pairs(
            Offer.wards.through.objects.filter(offer_id__in=offer_ids), "offer_id", "ward__name"
        )
        all_need_ids = need_ids + [m["need_id"] for m in self.matches]
        self.need_themes = _pairs(
            Need.themes.through.objects.filter(need_id__in=all_need_ids), "need_id", "theme__name"
        )
        self.need_categories = _pairs(
            NeedSkill.objects.filter(need_id__in=all_need_ids), "need_id", "skill__category__name"
        )
        self.offer_categories = _pairs(
            OfferSkill.objects.filter(offer_id__in=offer_ids), "offer_id", "skill__category__name"
        )
        self.need_ward = {n["id"]: n["ward__name"] for n in self.needs} | {
            m["need_id"]: m["need__ward__name"] for m in self.matches
        }


def _pairs(queryset, key: str, value: str) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for k, v in queryset.values_list(key, value):
        found[k].add(v)
    return found


def _need_groups(rows: _Rows, dimension: str, need: dict) -> Iterable[str]:
    if dimension == "ward":
        return [need["ward__name"]]
    if dimension == "theme":
        return rows.need_themes.get(need["id"], ())
    if dimension == "skill_category":
        return rows.need_categories.get(need["id"], ())
    if dimension == "month":
        return [_month(_local(need["published_at"]))]
    return ()  # needs have no business


def _offer_groups(rows: _Rows, dimension: str, offer: dict) -> Iterable[str]:
    if dimension == "ward":
        return rows.offer_wards.get(offer["id"]) or [CITY_WIDE]
    if dimension == "business":
        return [offer["organisation__name"]]
    if dimension == "skill_category":
        return rows.offer_categories.get(offer["id"], ())
    if dimension == "month":
        return [_month(_local(offer["published_at"]))]
    return ()  # offers serve no theme


def _match_groups(rows: _Rows, dimension: str, match: dict, day: dt.date | None) -> Iterable[str]:
    if dimension == "ward":
        return [match["need__ward__name"]]
    if dimension == "theme":
        return rows.need_themes.get(match["need_id"], ())
    if dimension == "business":
        return [match["offer__organisation__name"]]
    if dimension == "skill_category":
        return rows.need_categories.get(match["need_id"], ())
    return [_month(day)] if day else ()


def summary(dimension: str, scope: Scope = Scope()) -> list[dict]:
    """One row per group of `dimension`, sorted by group, then a "Total" row (a need in two
    themes counts once in the total)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown report dimension {dimension!r}.")
    rows = _Rows(scope)
    day_hours = Decimal(str(settings.VOLUNTEER_DAY_HOURS))
    groups: dict[str, dict] = defaultdict(_empty)
    total = _empty()
    first_accepted: dict[int, dt.datetime] = {}
    completed_needs = set()
    for match in rows.matches:
        if match["accepted_at"] and (
            match["need_id"] not in first_accepted
            or match["accepted_at"] < first_accepted[match["need_id"]]
        ):
            first_accepted[match["need_id"]] = match["accepted_at"]
        if match["status"] == MatchStatus.COMPLETED:
            completed_needs.add(match["need_id"])

    for need in rows.needs:
        if not scope.in_period(_local(need["published_at"])):
            continue
        matched = need["days_reserved"] >= need["days_needed"]
        met = need["id"] in completed_needs
        wait = None
        if need["id"] in first_accepted:
            wait = (first_accepted[need["id"]] - need["published_at"]).total_seconds() / 86400
        for bucket in [total, *(groups[g] for g in _need_groups(rows, dimension, need))]:
            bucket["needs_posted"] += 1
            bucket["needs_matched"] += matched
            bucket["needs_met"] += met
            if wait is not None:
                bucket["_waits"].append(wait)

    for offer in rows.offers:
        if not scope.in_period(_local(offer["published_at"])):
            continue
        total["days_offered"] += offer["days_offered"]
        for group in _offer_groups(rows, dimension, offer):
            groups[group]["days_offered"] += offer["days_offered"]

    for match in rows.matches:
        day = _local(match["accepted_at"])
        if not scope.in_period(day):
            continue
        total["days_matched"] += match["days"]
        for group in _match_groups(rows, dimension, match, day):
            groups[group]["days_matched"] += match["days"]

    by_match = {m["id"]: m for m in rows.matches}
    for entry in rows.time:
        if not scope.in_period(entry["date"]):
            continue
        match = by_match[entry["match_id"]]
        for bucket in [
            total,
            *(groups[g] for g in _match_groups(rows, dimension, match, entry["date"])),
        ]:
            bucket["hours_confirmed"] += entry["hours"]
            bucket["social_value"] += entry["value"] or Decimal(0)
            bucket["credits"] += entry["credit__credits"] or Decimal(0)

    result = [_finish(name, bucket, day_hours) for name, bucket in sorted(groups.items())]
    return [*result, _finish("Total", total, day_hours)]


def _empty() -> dict:
    return {
        "needs_posted": 0,
        "needs_matched": 0,
        "needs_met": 0,
        "days_offered": 0,
        "days_matched": 0,
        "hours_confirmed": Decimal(0),
        "social_value": Decimal(0),
        "credits": Decimal(0),
        "_waits": [],
    }


def _finish(name: str, bucket: dict, day_hours: Decimal) -> dict:
    waits = bucket.pop("_waits")
    return {
        "group": name,
        **{k: bucket[k] for k in ("needs_posted", "needs_matched", "needs_met")},
        "days_offered": bucket["days_offered"],
        "days_matched": bucket["days_matched"],
        "days_delivered": (bucket["hours_confirmed"] / day_hours).quantize(Decimal("0.01")),
        "hours_confirmed": bucket["hours_confirmed"],
        "social_value": bucket["social_value"],
        "credits": bucket["credits"],
        "median_days_to_match": round(statistics.median(waits), 1) if waits else None,
    }


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
    offer_wards = _pairs(
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
