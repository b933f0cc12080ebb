"""The summary report: what was asked, offered, matched and delivered, by ward, priority
theme, business, skill category or month, for everything (brokers) or one organisation.

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
from functools import cached_property

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from brokerage import access, selectors
from brokerage.errors import InvalidInput, NotAllowed, NotFound
from brokerage.infra import versions
from brokerage.models import (
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
from brokerage.models.volunteering import day_hours

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
    """Whose figures: one organisation's own, or every organisation's in `areas` (a broker's
    council areas, by code; None: everywhere, for the service's own reckoning)."""

    organisation: Organisation | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    areas: frozenset[str] | None = None

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
    """Brokers see their areas' figures (or one organisation's of their areas, if asked);
    anyone else their own organisation's figures only."""
    areas = access.broker_areas(user)
    if areas:
        visible = Organisation.objects.filter(access.in_areas(Organisation, areas))
        chosen = visible.filter(pk=organisation).first() if organisation else None
        if organisation and chosen is None:
            raise NotFound("No such organisation in your area.")
        if chosen is None:
            return Scope(date_from=date_from, date_to=date_to, areas=areas)
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


def _local_days(rows: list[dict], field: str, day: str) -> None:
    """Give each row the local date of its `field` moment as `day` (None if unset)."""
    zone = timezone.get_current_timezone()
    for row in rows:
        moment = row[field]
        row[day] = moment.astimezone(zone).date() if moment else None


class _Rows:
    """The plain rows every report is built from, loaded once."""

    def __init__(self, scope: Scope):
        org = scope.organisation
        needs = Need.objects.filter(published_at__isnull=False)
        offers = Offer.objects.filter(published_at__isnull=False)
        matches = Match.objects.filter(status__in=RESERVING_STATUSES)
        if scope.areas is not None:
            needs = needs.filter(access.in_areas(Need, scope.areas))
            offers = offers.filter(access.in_areas(Offer, scope.areas))
            matches = matches.filter(access.in_areas(Match, scope.areas))
        if org is not None:
            needs = needs.filter(organisation=org)
            offers = offers.filter(organisation=org)
            matches = matches.filter(Q(offer__organisation=org) | Q(need__organisation=org))
        # Local publishing dates come from the database: parsing 10,000 timestamps with their
        # zones was most of the broker's report; exact times are read only for matched needs.
        self.needs = list(
            needs.annotate(published_on=TruncDate("published_at")).values(
                "id", "ward__name", "published_on", "days_needed", "days_reserved", "status",
            )
        )  # fmt: skip
        self.need_published_at = dict(
            needs.filter(id__in=matches.values("need_id")).values_list("id", "published_at")
        )
        self.matches = list(
            matches.values(
                "id", "need_id", "offer_id", "days", "status", "accepted_at", "need__ward__name",
                "offer__organisation__name",
            )
        )  # fmt: skip
        self.time = list(
            TimeEntry.objects.filter(
                match_id__in=matches.values("id"), status=TimeEntry.Status.CONFIRMED
            ).values("match_id", "date", "hours", "value", "credit__credits")
        )
        self.offers = list(
            offers.annotate(published_on=TruncDate("published_at")).values(
                "id", "organisation__name", "published_on", "days_offered"
            )
        )
        _local_days(self.matches, "accepted_at", "accepted_on")
        self._published_offers = offers.values("id")
        # A report's needs: those published in scope and those its matches serve.
        self._need_ids = Q(need_id__in=needs.values("id")) | Q(
            need_id__in=matches.values("need_id")
        )
        self.need_ward = {n["id"]: n["ward__name"] for n in self.needs} | {
            m["need_id"]: m["need__ward__name"] for m in self.matches
        }

    # Loaded on first use: each dimension reads only its own links (subqueries, not id lists).
    @cached_property
    def offer_wards(self) -> dict[int, set[str]]:
        return pairs(
            Offer.wards.through.objects.filter(offer_id__in=self._published_offers),
            "offer_id",
            "ward__name",
        )

    @cached_property
    def need_themes(self) -> dict[int, set[str]]:
        return pairs(Need.themes.through.objects.filter(self._need_ids), "need_id", "theme__name")

    @cached_property
    def need_categories(self) -> dict[int, set[str]]:
        return pairs(NeedSkill.objects.filter(self._need_ids), "need_id", "skill__category__name")

    @cached_property
    def offer_categories(self) -> dict[int, set[str]]:
        return pairs(
            OfferSkill.objects.filter(offer_id__in=self._published_offers),
            "offer_id",
            "skill__category__name",
        )


def pairs(queryset, key: str, value: str) -> dict[int, set[str]]:
    """`key` → the set of its `value`s, from a queryset of link rows."""
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
        return [_month(need["published_on"])]
    return ()  # needs have no business


def _offer_groups(rows: _Rows, dimension: str, offer: dict) -> Iterable[str]:
    if dimension == "ward":
        return rows.offer_wards.get(offer["id"]) or [CITY_WIDE]
    if dimension == "business":
        return [offer["organisation__name"]]
    if dimension == "skill_category":
        return rows.offer_categories.get(offer["id"], ())
    if dimension == "month":
        return [_month(offer["published_on"])]
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


SUMMARY_CACHE_SECONDS = 300


def summary(dimension: str, scope: Scope = Scope()) -> list[dict]:
    """One row per group of `dimension`, sorted by group, then a "Total" row (a need in two
    themes counts once in the total). Kept until the market or delivered time changes (the
    rows of a region's 20,000 needs take 100 ms to add up)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown report dimension {dimension!r}.")
    org = (
        scope.organisation.pk
        if scope.organisation
        else ".".join(sorted(scope.areas))
        if scope.areas is not None
        else "all"
    )
    key = f"report:{dimension}:{org}:{scope.date_from}:{scope.date_to}"
    build = lambda: _summary(dimension, scope)  # noqa: E731
    return versions.cached(key, build, SUMMARY_CACHE_SECONDS, versions.MARKET, versions.DELIVERY)


def _summary(dimension: str, scope: Scope) -> list[dict]:
    rows = _Rows(scope)
    groups: dict[str, dict] = defaultdict(_empty)
    total = _empty()
    _count_needs(rows, dimension, scope, groups, total)
    _count_offers(rows, dimension, scope, groups, total)
    _count_matches(rows, dimension, scope, groups, total)
    _count_time(rows, dimension, scope, groups, total)
    result = [_finish(name, bucket) for name, bucket in sorted(groups.items())]
    return [*result, _finish("Total", total)]


def _count_needs(rows: _Rows, dimension: str, scope: Scope, groups: dict, total: dict) -> None:
    """Needs posted in the period: how many, how many fully matched and met, and how long
    each waited for its first accepted match."""
    first_accepted: dict[int, dt.datetime] = {}
    completed_needs = set()
    for match in rows.matches:
        need_id, accepted = match["need_id"], match["accepted_at"]
        if accepted and (need_id not in first_accepted or accepted < first_accepted[need_id]):
            first_accepted[need_id] = accepted
        if match["status"] == MatchStatus.COMPLETED:
            completed_needs.add(match["need_id"])
    for need in rows.needs:
        if not scope.in_period(need["published_on"]):
            continue
        wait = None
        if need["id"] in first_accepted:
            waited = first_accepted[need["id"]] - rows.need_published_at[need["id"]]
            wait = waited.total_seconds() / 86400
        for bucket in [total, *(groups[g] for g in _need_groups(rows, dimension, need))]:
            bucket["needs_posted"] += 1
            bucket["needs_matched"] += need["days_reserved"] >= need["days_needed"]
            bucket["needs_met"] += need["id"] in completed_needs
            if wait is not None:
                bucket["_waits"].append(wait)


def _count_offers(rows: _Rows, dimension: str, scope: Scope, groups: dict, total: dict) -> None:
    """Days offered by offers published in the period (an offer counts in each ward it
    serves, but once in the total)."""
    for offer in rows.offers:
        if not scope.in_period(offer["published_on"]):
            continue
        total["days_offered"] += offer["days_offered"]
        for group in _offer_groups(rows, dimension, offer):
            groups[group]["days_offered"] += offer["days_offered"]


def _count_matches(rows: _Rows, dimension: str, scope: Scope, groups: dict, total: dict) -> None:
    """Days matched by matches accepted in the period."""
    for match in rows.matches:
        day = match["accepted_on"]
        if not scope.in_period(day):
            continue
        total["days_matched"] += match["days"]
        for group in _match_groups(rows, dimension, match, day):
            groups[group]["days_matched"] += match["days"]


def _count_time(rows: _Rows, dimension: str, scope: Scope, groups: dict, total: dict) -> None:
    """Confirmed hours given in the period, their social value and the credits earned."""
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


def _finish(name: str, bucket: dict) -> dict:
    waits = bucket.pop("_waits")
    return {
        "group": name,
        **{k: bucket[k] for k in ("needs_posted", "needs_matched", "needs_met")},
        "days_offered": bucket["days_offered"],
        "days_matched": bucket["days_matched"],
        "days_delivered": (bucket["hours_confirmed"] / day_hours()).quantize(Decimal("0.01")),
        "hours_confirmed": bucket["hours_confirmed"],
        "social_value": bucket["social_value"],
        "credits": bucket["credits"],
        "median_days_to_match": round(statistics.median(waits), 1) if waits else None,
    }
