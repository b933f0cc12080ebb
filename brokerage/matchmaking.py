"""The bridge between the database and the matching engine (`matching/`).

Loads open offers and needs of verified organisations into the engine's plain inputs, keeps
the built `Market` per process until the market version moves (any change to listings,
matches, organisations or reference data; see `market_version`), and turns the engine's
answers back into model objects.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Prefetch
from django.db.models.functions import TruncDate
from django.utils import timezone

import matching
from brokerage.infra import versions
from brokerage.models import (
    Council,
    ListingStatus,
    Match,
    MatchEvent,
    MatchStatus,
    Need,
    NeedSkill,
    Offer,
    OfferSkill,
    Organisation,
    Skill,
    Ward,
)
from brokerage.models.matches import OPEN_STATUSES
from brokerage.models.wards import deprivation
from matching import Market, MatchingSettings
from matching.gaps import Gap
from matching.gaps import unmet_needs as find_gaps
from matching.scoring import score_pairs

# The built market, one per process, under the market version and the day.
_markets = versions.ProcessMemo()
SETTINGS = MatchingSettings()


def _grouped(rows) -> dict[int, list]:
    """(key, value) rows → key → its values, in row order."""
    found: dict[int, list] = defaultdict(list)
    for key, value in rows:
        found[key].append(value)
    return found


def _links(rows, key: str, *values: str) -> dict[int, list]:
    """Link rows (in id order) → `key` → its value, or its tuple of `values` if several."""
    ordered = rows.order_by("pk").values_list(key, *values)
    if len(values) == 1:
        return _grouped(ordered)
    return _grouped((row[0], row[1:]) for row in ordered)


def _inputs(today: dt.date) -> dict:
    """The engine's inputs as plain rows: one lean query per table, no model instances (at
    10,000 needs, model instances with prefetches took 2 s of the first request after every
    change to the market; rows take a tenth of that)."""
    verified = Organisation.Verification.VERIFIED
    skills = [
        matching.SkillInfo(
            id=pk,
            name=name,
            category_id=category_id,
            terms=frozenset({name.lower(), *(t.lower() for t in synonyms)}),
        )
        for pk, name, category_id, synonyms in Skill.objects.values_list(
            "pk", "name", "category_id", "synonyms"
        )
    ]
    neighbours = _grouped(Ward.neighbours.through.objects.values_list("from_ward_id", "to_ward_id"))
    wards = [
        matching.WardInfo(
            id=pk, name=name, lat=lat, lon=lon,
            neighbours=frozenset(neighbours.get(pk, ())), deprivation=imd,
        )
        for pk, name, lat, lon, imd in Ward.objects.values_list(
            "pk", "name", "centroid_lat", "centroid_lon", deprivation()
        )
    ]  # fmt: skip
    open_offers = Offer.objects.filter(
        status=ListingStatus.OPEN,
        organisation__verification_status=verified,
        available_until__gte=today,
    )
    offer_skills = _links(OfferSkill.objects.filter(offer__in=open_offers), "offer_id", "skill_id")
    offer_wards = _links(
        Offer.wards.through.objects.filter(offer__in=open_offers), "offer_id", "ward_id"
    )
    offers = [
        matching.OfferInput(
            id=pk, title=title, organisation_id=organisation_id,
            skills=tuple(offer_skills.get(pk, ())),
            days_remaining=offered - reserved,
            available_from=available_from, available_until=available_until,
            wards=tuple(offer_wards.get(pk, ())), home_ward=home_ward, remote_ok=remote_ok,
        )
        for (
            pk, title, organisation_id, offered, reserved, available_from, available_until,
            home_ward, remote_ok,
        ) in open_offers.order_by("pk").values_list(
            "pk", "title", "organisation_id", "days_offered", "days_reserved", "available_from",
            "available_until", "organisation__home_ward_id", "remote_ok",
        )
    ]  # fmt: skip
    open_needs = Need.objects.filter(
        status=ListingStatus.OPEN,
        organisation__verification_status=verified,
        needed_by__gte=today,
    )
    need_skills = _links(
        NeedSkill.objects.filter(need__in=open_needs), "need_id", "skill_id", "must_have"
    )
    need_themes = _links(
        Need.themes.through.objects.filter(need__in=open_needs), "need_id", "theme__slug"
    )
    priorities = _grouped(
        Council.priority_themes.through.objects.values_list("council_id", "theme__slug")
    )
    needs = [
        matching.NeedInput(
            id=pk, title=title, organisation_id=organisation_id,
            skills=tuple(need_skills.get(pk, ())), ward=ward_id,
            days_remaining=needed - reserved, needed_by=needed_by,
            published_on=published_on or today, remote_ok=remote_ok,
            themes=tuple(need_themes.get(pk, ())),
            priority_themes=frozenset(priorities[council]) if council in priorities else None,
        )
        for (
            pk, title, organisation_id, ward_id, needed, reserved, needed_by, published_on,
            remote_ok, council,
        ) in open_needs.annotate(published_on=TruncDate("published_at")).order_by("pk").values_list(
            "pk", "title", "organisation_id", "ward_id", "days_needed", "days_reserved",
            "needed_by", "published_on", "remote_ok", "ward__council_id",
        )  # the local date from the database: parsing 20,000 timestamps cost 0.2 s
    ]  # fmt: skip
    return {"skills": skills, "wards": wards, "offers": offers, "needs": needs}


def current_market() -> Market:
    """The market as it is now: rebuilt when the version or the day changes."""
    today = timezone.localdate()
    version = versions.MARKET.current()
    return _markets.get_or_build(
        "market",
        version and f"{version}:{today.isoformat()}",
        lambda: Market(today=today, settings=SETTINGS, **_inputs(today)),
    )


@dataclass(frozen=True)
class Suggested:
    listing: Offer | Need
    suggestion: matching.Suggestion


@dataclass(frozen=True)
class HeldBack:
    """A pair one side turned down recently: left out of suggestions and allocation plans."""

    match: Match
    until: dt.date

    @property
    def reason(self) -> str:
        event = self.match.turned_down
        who = (event.actor.get_full_name() or event.actor.username) if event.actor else "someone"
        return (
            f"{event.get_action_display()} by the {event.get_actor_side_display().lower()} "
            f"({who}) on {timezone.localdate(event.at):%-d %B %Y}"
            + (f": {event.note}" if event.note else "")
            + f". Not suggested again until {self.until:%-d %B %Y}."
        )


def held_back(**listing) -> list[HeldBack]:
    """Pairs declined or cancelled by the business or the charity within the last
    DECLINED_PAIR_DAYS days (not by a broker or the service: that says nothing of the fit),
    newest first; `listing` narrows to one offer or need (offer=…, need=…)."""
    days = dt.timedelta(days=settings.DECLINED_PAIR_DAYS)
    turned_down = (
        MatchEvent.objects.filter(
            action__in=[MatchEvent.Action.DECLINED, MatchEvent.Action.CANCELLED],
            actor_side__in=["business", "vcs"],
            at__gte=timezone.now() - days,
        )
        .select_related("actor")
        .order_by("-at")
    )
    matches = (
        Match.objects.filter(
            status__in=[MatchStatus.DECLINED, MatchStatus.CANCELLED],
            events__in=turned_down,
            **listing,
        )
        .select_related("offer__organisation", "need__organisation")
        .prefetch_related(Prefetch("events", turned_down, to_attr="turned_down_events"))
        .distinct()
    )
    held = []
    for match in matches:
        match.turned_down = match.turned_down_events[0]
        held.append(HeldBack(match, timezone.localdate(match.turned_down.at) + days))
    return sorted(held, key=lambda h: h.match.turned_down.at, reverse=True)


def excluded_pairs() -> frozenset[tuple[int, int]]:
    """(offer id, need id) pairs the engine must not propose: an open match, or held back."""
    open_ = Match.objects.filter(status__in=OPEN_STATUSES).values_list("offer_id", "need_id")
    return frozenset(open_) | {(h.match.offer_id, h.match.need_id) for h in held_back()}


def _open_pairs(**listing) -> set[int]:
    """The other side's ids that are already matched with this listing or held back."""
    field = "need_id" if "offer" in listing else "offer_id"
    open_ = Match.objects.filter(status__in=OPEN_STATUSES, **listing).values_list(field, flat=True)
    return set(open_) | {getattr(h.match, field) for h in held_back(**listing)}


def _suggested(model, engine_call, listing_id: int, taken: set[int], limit, min_score):
    """Run the engine, drop candidates already in an open match, load the rest."""
    limit = SETTINGS.default_limit if limit is None else limit
    results = [
        r
        for r in engine_call(
            current_market(), listing_id, limit=limit + len(taken), min_score=min_score
        )
        if r.id not in taken
    ][:limit]
    loaded = model.objects.select_related("organisation").in_bulk([r.id for r in results])
    return [Suggested(loaded[r.id], r) for r in results]


def suggestions_for_need(
    need: Need, *, limit: int | None = None, min_score: float | None = None
) -> list[Suggested]:
    """Best open offers for an open need; pairs already matched or held back are left out."""
    if need.pk not in current_market().need_index:
        return []
    taken = _open_pairs(need=need)
    return _suggested(Offer, matching.suggest_offers, need.pk, taken, limit, min_score)


def suggestions_for_offer(
    offer: Offer, *, limit: int | None = None, min_score: float | None = None
) -> list[Suggested]:
    """Best open needs for an open offer; pairs already matched or held back are left out."""
    if offer.pk not in current_market().offer_index:
        return []
    taken = _open_pairs(offer=offer)
    return _suggested(Need, matching.suggest_needs, offer.pk, taken, limit, min_score)


def pair_score(offer: Offer, need: Need) -> tuple[float, dict] | None:
    """The engine's fit for one pair now (a snapshot for a proposal), or None if either side
    is not in the open market or the pair fails a hard filter."""
    market = current_market()
    if offer.pk not in market.offer_index or need.pk not in market.need_index:
        return None
    scores = score_pairs(
        market,
        np.array([market.need_index[need.pk]]),
        np.array([market.offer_index[offer.pk]]),
    )
    if not scores.feasible[0]:
        return None
    parts = {
        name: round(float(getattr(scores, name)[0]), 4)
        for name in ("skill", "place", "time", "capacity")
    }
    return round(float(scores.fit[0]), 4), parts


@dataclass(frozen=True)
class UnmetNeed:
    need: Need
    reasons: tuple[str, ...]
    missing_skills: list[Skill]
    # Skills offered only by different businesses: each skill with the businesses holding it.
    offered_by: list[tuple[Skill, list[Organisation]]]


def find_unmet() -> list[Gap]:
    """The engine's unmet needs on the market as it is now (ids, reasons, skill holders)."""
    return find_gaps(current_market())


def unmet_needs(areas: Collection[str] | None = None) -> list[UnmetNeed]:
    """Open needs no offer can serve well enough now, with the reasons (always current: it
    is worked out from the market as it stands); with `areas`, those in their wards only."""
    gaps = find_gaps(current_market())
    if areas is not None:
        inside = set(
            Need.objects.filter(
                pk__in=[g.need_id for g in gaps], ward__council_id__in=list(areas)
            ).values_list("pk", flat=True)
        )
        gaps = [gap for gap in gaps if gap.need_id in inside]
    return [
        UnmetNeed(need, gap.reasons, missing, offered_by)
        for gap, need, missing, offered_by in zip(gaps, *explain(gaps), strict=True)
    ]


def explain(gaps: list[Gap]) -> tuple[list[Need], list[list[Skill]], list[list]]:
    """The needs, missing skills and (skill, businesses holding it) of gaps, as models, in
    four queries whatever their number."""
    needs = Need.objects.select_related("organisation", "ward").in_bulk([g.need_id for g in gaps])
    skill_ids = {s for g in gaps for s in g.missing_skills} | {
        s for g in gaps for s, _ in g.holders
    }
    skills = Skill.objects.in_bulk(skill_ids)
    offer_ids = {o for g in gaps for _, offers in g.holders for o in offers}
    business_of = dict(Offer.objects.filter(pk__in=offer_ids).values_list("pk", "organisation_id"))
    businesses = Organisation.objects.in_bulk(set(business_of.values()))

    def holding(offers) -> list[Organisation]:
        found = {business_of[o] for o in offers if o in business_of}
        return sorted((businesses[b] for b in found), key=lambda b: b.name)

    return (
        [needs[g.need_id] for g in gaps],
        [[skills[s] for s in g.missing_skills] for g in gaps],
        [[(skills[s], holding(offers)) for s, offers in g.holders] for g in gaps],
    )
