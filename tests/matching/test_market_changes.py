"""A market changed listing by listing is the market a fresh build gives on the same listings,
row for row: what lets each web process apply only what changed (`brokerage.matchmaking`)."""

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Market, synthetic
from matching.suggestions import suggest_needs, suggest_offers
from tests.matching.conftest import assert_same_market

common = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fresh(market: Market, offers, needs) -> Market:
    return Market(
        skills=market.skills, wards=market.wards, offers=offers, needs=needs,
        today=market.today, settings=market.settings,
    )  # fmt: skip


@st.composite
def changes(draw):
    """A synthetic market and a batch of changes: some listings gone, some edited (days,
    skills, wards, themes), some new, in no particular order."""
    market = synthetic.market(
        offers=draw(st.integers(0, 25)),
        needs=draw(st.integers(0, 25)),
        wards=draw(st.integers(1, 6)),
        seed=draw(st.integers(0, 10_000)),
    )
    skill_ids = [s.id for s in market.skills]
    ward_ids = [w.id for w in market.wards]
    gone_offers = (
        draw(st.sets(st.sampled_from([o.id for o in market.offers]))) if market.offers else set()
    )
    gone_needs = (
        draw(st.sets(st.sampled_from([n.id for n in market.needs]))) if market.needs else set()
    )
    edited_offers = [
        dataclasses.replace(
            o,
            days_remaining=draw(st.integers(0, 9)),
            skills=tuple(draw(st.sets(st.sampled_from(skill_ids), min_size=1, max_size=3))),
            wards=tuple(draw(st.sets(st.sampled_from(ward_ids), max_size=2))),
        )
        for o in market.offers
        if draw(st.booleans()) and o.id not in gone_offers
    ]
    edited_needs = [
        dataclasses.replace(
            n,
            days_remaining=draw(st.integers(1, 9)),
            ward=draw(st.sampled_from(ward_ids)),
            themes=tuple(draw(st.sets(st.sampled_from(["youth", "health"])))),
        )
        for n in market.needs
        if draw(st.booleans()) and n.id not in gone_needs
    ]
    donor = synthetic.market(offers=6, needs=6, wards=len(ward_ids), seed=draw(st.integers(0, 99)))
    new_offers = [
        dataclasses.replace(o, id=1_000 + o.id) for o in donor.offers[: draw(st.integers(0, 6))]
    ]
    new_needs = [
        dataclasses.replace(n, id=1_000 + n.id) for n in donor.needs[: draw(st.integers(0, 6))]
    ]
    offers = draw(st.permutations(edited_offers + new_offers))
    needs = draw(st.permutations(edited_needs + new_needs))
    return market, offers, needs, gone_offers, gone_needs


@common
@given(changes())
def test_a_changed_market_is_the_fresh_build_of_its_listings(case):
    market, offers, needs, gone_offers, gone_needs = case
    changed = market.changed(
        offers=offers, needs=needs, gone_offers=gone_offers, gone_needs=gone_needs
    )

    replaced_offers = {o.id for o in offers} | gone_offers
    replaced_needs = {n.id for n in needs} | gone_needs
    fresh = _fresh(
        market,
        sorted([o for o in market.offers if o.id not in replaced_offers] + list(offers),
               key=lambda o: o.id),
        sorted([n for n in market.needs if n.id not in replaced_needs] + list(needs),
               key=lambda n: n.id),
    )  # fmt: skip
    assert_same_market(changed, fresh)


def test_changing_a_market_leaves_the_one_it_came_from_as_it_was():
    """Readers holding the old market (another thread mid-request) are not disturbed."""
    market = synthetic.market(offers=10, needs=10, wards=4)
    copy = _fresh(market, list(market.offers), list(market.needs))
    first = market.needs[0]

    market.changed(
        needs=[dataclasses.replace(first, days_remaining=first.days_remaining + 5)],
        gone_offers={market.offers[0].id},
    )

    assert_same_market(market, copy)


def test_suggestions_on_a_changed_market_include_the_new_offer_and_drop_the_gone_one():
    market = synthetic.market(offers=30, needs=30, wards=3, seed=7)
    need = next(n for n in market.needs if suggest_offers(market, n.id, limit=1))
    best = suggest_offers(market, need.id, limit=1)[0]
    twin = dataclasses.replace(market.offers[market.offer_index[best.id]], id=500)

    changed = market.changed(offers=[twin], gone_offers={best.id})

    found = [s.id for s in suggest_offers(changed, need.id, limit=40)]
    assert 500 in found and best.id not in found
    assert need.id in {s.id for s in suggest_needs(changed, 500, limit=40)}
