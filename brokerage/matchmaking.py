"""The bridge between the database and the matching engine (`matching/`).

Loads open offers and needs of verified organisations into the engine's plain inputs, keeps
the built `Market` per process until the market version moves (any change to listings,
matches, organisations or reference data; see `market_version`), and turns the engine's
answers back into model objects.
"""

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

import matching
from brokerage.infra import versions
from brokerage.models import (
    Council,
    ListingStatus,
    MarketChange,
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


def _reference() -> dict:
    """Skills and wards (with neighbours and deprivation) as the engine's inputs."""
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
    return {"skills": skills, "wards": wards}


def _offer_inputs(today: dt.date, only: Q | None = None) -> list[matching.OfferInput]:
    """The open offers of verified businesses (with `only`, those of them it selects)."""
    open_offers = Offer.objects.filter(
        status=ListingStatus.OPEN,
        organisation__verification_status=Organisation.Verification.VERIFIED,
        available_until__gte=today,
    )
    rows = list(
        (open_offers.filter(only) if only is not None else open_offers)
        .order_by("pk")
        .values_list(
            "pk", "title", "organisation_id", "days_offered", "days_reserved", "available_from",
            "available_until", "organisation__home_ward_id", "remote_ok",
        )
    )  # fmt: skip
    # As for needs: a few changed offers' links by their ids, all of them by the filter.
    of = (
        {"offer_id__in": [row[0] for row in rows]}
        if only is not None
        else {"offer__in": open_offers}
    )
    offer_skills = _links(OfferSkill.objects.filter(**of), "offer_id", "skill_id")
    offer_wards = _links(Offer.wards.through.objects.filter(**of), "offer_id", "ward_id")
    return [
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
        ) in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class _CouncilPriorities:
    """Each council's priority themes and weights, as the engine reads them for its needs.
    Any change to them logs "everything" (`market_log`), so a market keeps the ones it was
    built with while it applies listing changes."""

    themes: dict[int, frozenset[str]]
    weights: dict[int, tuple[float, float, float]]


def _council_priorities() -> _CouncilPriorities:
    themes = _grouped(
        Council.priority_themes.through.objects.values_list("council_id", "theme__slug")
    )
    return _CouncilPriorities(
        themes={council: frozenset(slugs) for council, slugs in themes.items()},
        weights={
            council.pk: council.priority_weights
            for council in Council.objects.filter(deprivation_weight__isnull=False)
        },
    )


def _need_inputs(
    today: dt.date, only: Q | None = None, councils: _CouncilPriorities | None = None
) -> list[matching.NeedInput]:
    """The open needs of verified charities (with `only`, those of them it selects)."""
    open_needs = Need.objects.filter(
        status=ListingStatus.OPEN,
        organisation__verification_status=Organisation.Verification.VERIFIED,
        needed_by__gte=today,
    )
    rows = list(
        (open_needs.filter(only) if only is not None else open_needs)
        .annotate(published_on=TruncDate("published_at"))
        .order_by("pk")
        .values_list(
            "pk", "title", "organisation_id", "ward_id", "days_needed", "days_reserved",
            "needed_by", "published_on", "remote_ok", "ward__council_id",
        )  # the local date from the database: parsing 20,000 timestamps cost 0.2 s
    )  # fmt: skip
    # A few changed needs' skills and themes by their ids (no subquery to plan); all of them
    # by the same filter as the needs.
    of = {"need_id__in": [row[0] for row in rows]} if only is not None else {"need__in": open_needs}
    need_skills = _links(NeedSkill.objects.filter(**of), "need_id", "skill_id", "must_have")
    need_themes = _links(Need.themes.through.objects.filter(**of), "need_id", "theme__slug")
    councils = councils or _council_priorities()
    return [
        matching.NeedInput(
            id=pk, title=title, organisation_id=organisation_id,
            skills=tuple(need_skills.get(pk, ())), ward=ward_id,
            days_remaining=needed - reserved, needed_by=needed_by,
            published_on=published_on or today, remote_ok=remote_ok,
            themes=tuple(need_themes.get(pk, ())),
            priority_themes=councils.themes.get(council),
            priority_weights=councils.weights.get(council),
        )
        for (
            pk, title, organisation_id, ward_id, needed, reserved, needed_by, published_on,
            remote_ok, council,
        ) in rows
    ]  # fmt: skip


def _inputs(today: dt.date, councils: _CouncilPriorities | None = None) -> dict:
    """The engine's inputs as plain rows: one lean query per table, no model instances (at
    10,000 needs, model instances with prefetches took 2 s of the first request after every
    change to the market; rows take a tenth of that)."""
    return {
        **_reference(),
        "offers": _offer_inputs(today),
        "needs": _need_inputs(today, councils=councils),
    }


# Past this many changes since a process's market was built, building afresh is cheaper.
MOST_CHANGES_APPLIED = 1_000


@dataclass
class _Kept:
    """A process's market: `base` holds only committed changes, up to the log's `position`
    (whose row is `anchor`, so a pruned or replaced log is noticed); `view` is what readers
    are given under the market `version`: the base, or inside a transaction the base with
    the transaction's own changes (never kept as a base: they may be rolled back)."""

    today: dt.date
    base: Market | None = None
    position: int = 0
    anchor: int | None = None
    view: Market | None = None
    version: str | None = None
    councils: _CouncilPriorities | None = None  # those the base was built with


class MarketKeeper:
    """The engine's market in this process, brought up to date from the change log
    (`brokerage.infra.market_log`): built once a day (or when the log cannot tell what
    changed), and otherwise changed only in the listings the log names since its position.
    The market version in the cache says when to look at the log; without it (Redis down)
    the log is read on every call, which is one indexed query."""

    def __init__(self) -> None:
        self._kept: _Kept | None = None
        self._lock = threading.Lock()

    def forget(self) -> None:
        self._kept = None

    def current(self) -> Market:
        today = timezone.localdate()
        committed = not connection.in_atomic_block  # else our own changes may be visible
        # Read before the log, so a change committed after the read moves it. A view made
        # inside a transaction is that transaction's own: it may hold its uncommitted changes.
        version = versions.MARKET.current()
        version = version and f"{version}:{'' if committed else threading.get_ident()}"
        with self._lock:
            kept = self._kept if self._kept and self._kept.today == today else _Kept(today)
            if kept.view is not None and version is not None and kept.version == version:
                return kept.view
            view = self._caught_up(kept, committed) if kept.base else None
            if view is None:
                view = self._built(kept, committed)
            kept.view, kept.version = view, version
            self._kept = kept
            return view

    def _built(self, kept: _Kept, committed: bool) -> Market:
        """A fresh build; the new base when no uncommitted change can be in it."""
        head = (
            MarketChange.objects.filter(position__isnull=False)
            .order_by("-position")
            .values_list("pk", "position")
            .first()
        )
        councils = _council_priorities()
        market = Market(today=kept.today, settings=SETTINGS, **_inputs(kept.today, councils))
        if committed:
            kept.base, kept.councils = market, councils
            kept.anchor, kept.position = head or (None, 0)
        return market

    def _caught_up(self, kept: _Kept, committed: bool) -> Market | None:
        """The base with the changes since its position applied (and, in a transaction, its
        own changes on top for the view); None when the log cannot tell what changed."""
        rows = list(
            MarketChange.objects.filter(Q(position__gte=kept.position) | Q(position=None))
            .order_by(F("position").asc(nulls_last=True), "pk")
            .values_list("pk", "position", "kind", "item_id")[: MOST_CHANGES_APPLIED + 1]
        )
        if kept.anchor is not None:
            if not rows or rows[0][:2] != (kept.anchor, kept.position):
                return None  # pruned, or the log was replaced (a restore)
            rows = rows[1:]
        done = [row for row in rows if row[1] is not None]
        pending = rows[len(done) :]
        if (
            len(rows) > MOST_CHANGES_APPLIED
            or any(kind == MarketChange.Kind.EVERYTHING for _, _, kind, _ in rows)
            or [row[1] for row in done]
            != list(range(kept.position + 1, kept.position + 1 + len(done)))
        ):
            return None
        market = kept.base
        if done:
            market = _applied(market, done, kept.councils)
            if committed:
                kept.base, (kept.anchor, kept.position) = market, done[-1][:2]
        if pending:
            market = _applied(market, pending, kept.councils)
        return market


def _applied(market: Market, changes: list[tuple], councils: _CouncilPriorities) -> Market:
    """`market` with the listings the `changes` name loaded again (or taken out: closed,
    expired, deleted, their organisation no longer verified)."""
    named = defaultdict(set)
    for _, _, kind, item in changes:
        named[kind].add(item)
    organisations = named[MarketChange.Kind.ORGANISATION]
    offers, needs = named[MarketChange.Kind.OFFER], named[MarketChange.Kind.NEED]
    if organisations:  # a scan of every listing: only when an organisation changed
        offers |= {o.id for o in market.offers if o.organisation_id in organisations}
        needs |= {n.id for n in market.needs if n.organisation_id in organisations}
    today, touched_offers, touched_needs = market.today, Q(pk__in=offers), Q(pk__in=needs)
    if organisations:  # their listings as they are now, whatever the market held of them
        touched_offers |= Q(organisation__in=organisations)
        touched_needs |= Q(organisation__in=organisations)
    return market.changed(
        offers=_offer_inputs(today, touched_offers) if offers or organisations else (),
        needs=_need_inputs(today, touched_needs, councils) if needs or organisations else (),
        gone_offers=offers,
        gone_needs=needs,
    )


_keeper = MarketKeeper()


def current_market() -> Market:
    """The market as it is now, in this process (see `MarketKeeper`)."""
    return _keeper.current()


def forget_market() -> None:
    """Drop this process's market: the next read builds it afresh (tests, after a restore)."""
    _keeper.forget()


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


def _turned_down() -> QuerySet[MatchEvent]:
    """Declines and cancellations by the business or the charity within the last
    DECLINED_PAIR_DAYS days (not by a broker or the service: that says nothing of the fit)."""
    return MatchEvent.objects.filter(
        action__in=[MatchEvent.Action.DECLINED, MatchEvent.Action.CANCELLED],
        actor_side__in=["business", "vcs"],
        at__gte=timezone.now() - dt.timedelta(days=settings.DECLINED_PAIR_DAYS),
    )


def _not_to_suggest(**listing) -> QuerySet[Match]:
    """Matches whose pair the engine must not propose: open, or held back (`held_back`)."""
    return Match.objects.filter(
        Q(status__in=OPEN_STATUSES)
        | Q(
            Exists(_turned_down().filter(match=OuterRef("pk"))),
            status__in=[MatchStatus.DECLINED, MatchStatus.CANCELLED],
        ),
        **listing,
    )


def held_back(**listing) -> list[HeldBack]:
    """Pairs declined or cancelled by the business or the charity within the last
    DECLINED_PAIR_DAYS days (not by a broker or the service: that says nothing of the fit),
    newest first, with who turned them down and why; `listing` narrows to one offer or need
    (offer=…, need=…)."""
    days = dt.timedelta(days=settings.DECLINED_PAIR_DAYS)
    turned_down = _turned_down().select_related("actor").order_by("-at")
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
    return frozenset(_not_to_suggest().values_list("offer_id", "need_id"))


def _open_pairs(**listing) -> set[int]:
    """The other side's ids that are already matched with this listing or held back: one
    lean query (loading the matches with their reasons cost 15 ms of each suggestion)."""
    field = "need_id" if "offer" in listing else "offer_id"
    return set(_not_to_suggest(**listing).values_list(field, flat=True))


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
    return [Suggested(loaded[r.id], r) for r in results if r.id in loaded]  # deleted since


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
