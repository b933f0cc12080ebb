"""The city-wide allocation: optimal under both sides' capacities, never worse than greedy,
equal to an independent solver's optimum, and honouring the broker's options."""

from contextlib import contextmanager
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matching import AllocationOptions, allocate, allocate_greedy, allocation, synthetic
from matching.allocation import Candidates, candidates, greedy, solve
from matching.verify import networkx_objective
from tests.matching.conftest import HR_POLICY, A, C, need, offer, random_markets


def _used(plan):
    offers, needs = {}, {}
    for line in plan.lines:
        offers[line.offer_id] = offers.get(line.offer_id, 0) + line.days
        needs[line.need_id] = needs.get(line.need_id, 0) + line.days
    return offers, needs


def test_optimum_beats_greedy_where_greedy_grabs_the_best_pair_first(make_market):
    """Offer 1 suits both needs, offer 2 only need 1. Greedy gives offer 1 to need 1 and
    strands offer 2; the optimum sends offer 1 to need 2 and offer 2 to need 1."""
    market = make_market(
        [
            offer(1, [HR_POLICY], days_remaining=3, home_ward=A),
            offer(2, [HR_POLICY], days_remaining=3, wards=(A,)),
        ],
        [
            need(1, [(HR_POLICY, True)], ward=A, days_remaining=3),
            need(2, [(HR_POLICY, True)], ward=C, days_remaining=3),
        ],
    )

    best, baseline = allocate(market), allocate_greedy(market)

    assert best.days_placed == 6 and best.needs_fully_covered == 2
    assert best.objective > baseline.objective
    assert {(line.offer_id, line.need_id) for line in best.lines} == {(1, 2), (2, 1)}


def test_plan_reports_coverage_per_ward(make_market):
    market = make_market(
        [offer(1, [HR_POLICY], days_remaining=4)],
        [
            need(1, [(HR_POLICY, True)], ward=A, days_remaining=3),
            need(2, [(HR_POLICY, True)], ward=C, days_remaining=3),
        ],
    )

    plan = allocate(market)

    assert plan.days_placed == 4 and plan.need_days == 6
    assert plan.ward_coverage[A]["needed"] == 3 and plan.ward_coverage[C]["needed"] == 3
    assert sum(w["placed"] for w in plan.ward_coverage.values()) == 4
    assert plan.ward_coverage[A]["placed"] == 3  # Foleshill: more deprived, and closer


def test_broker_options_restrict_the_plan():
    market = synthetic.market(offers=60, needs=40, seed=3)
    some_ward = market.needs[0].ward

    only_ward = allocate(market, AllocationOptions(wards=frozenset({some_ward})))
    without = allocate(market, AllocationOptions(exclude_needs=frozenset({1, 2, 3})))
    capped = allocate(market, AllocationOptions(max_offers_per_need=1))
    themed = allocate(market, AllocationOptions(themes=frozenset({"youth"})))

    need_ward = {n.id: n.ward for n in market.needs}
    need_themes = {n.id: n.themes for n in market.needs}
    assert all(need_ward[line.need_id] == some_ward for line in only_ward.lines)
    assert not {line.need_id for line in without.lines} & {1, 2, 3}
    per_need = {}
    for line in capped.lines:
        per_need.setdefault(line.need_id, set()).add(line.offer_id)
    assert all(len(offers) == 1 for offers in per_need.values())
    assert all("youth" in need_themes[line.need_id] for line in themed.lines)


def test_min_fit_keeps_weak_pairs_out():
    market = synthetic.market(offers=80, needs=50, seed=5)

    plan = allocate(market, AllocationOptions(min_fit=0.8))

    assert all(line.fit >= 0.8 for line in plan.lines)


markets = random_markets(max_offers=25, max_needs=25, max_wards=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=markets)
def test_allocation_never_exceeds_any_capacity(market):
    plan = allocate(market)

    offers, needs = _used(plan)
    offer_days = dict(zip(market.offer_ids.tolist(), market.offer_days.tolist(), strict=True))
    need_days = dict(zip(market.need_ids.tolist(), market.need_days.tolist(), strict=True))
    assert all(days <= offer_days[o] for o, days in offers.items())
    assert all(days <= need_days[n] for n, days in needs.items())
    assert all(line.days > 0 for line in plan.lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=markets)
def test_optimum_is_never_worse_than_greedy(market):
    assert allocate(market).objective >= allocate_greedy(market).objective - 1e-6


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=markets)
def test_optimum_equals_networkx_on_small_instances(market):
    options = AllocationOptions()
    pairs = candidates(market, options)
    needs = np.arange(len(market.needs))
    plan = solve(market, pairs, needs_considered=needs)

    assert abs(plan.objective - networkx_objective(market, pairs)) < 1e-3 * max(
        1, len(pairs.offers)
    )


def test_empty_market_gives_an_empty_plan(make_market):
    plan = allocate(make_market([], []))

    assert (plan.lines, plan.objective, plan.days_placed) == ([], 0.0, 0)


def test_greedy_and_solver_agree_when_there_is_no_conflict(make_market):
    market = make_market(
        [offer(1, [HR_POLICY], days_remaining=2)], [need(1, [(HR_POLICY, True)], days_remaining=2)]
    )
    pairs = candidates(market, AllocationOptions())
    considered = np.arange(1)

    assert (
        solve(market, pairs, needs_considered=considered).objective
        == greedy(market, pairs, needs_considered=considered).objective
    )
    assert isinstance(pairs, Candidates)


def test_candidates_per_offer_keeps_each_offers_best_needs():
    market = synthetic.market(offers=40, needs=300, wards=4, seed=11)
    everything = candidates(market, AllocationOptions())
    pruned = candidates(market, AllocationOptions(candidates_per_offer=5, block_size=16))

    for index in np.unique(everything.offers):
        fits = np.sort(everything.fit[everything.offers == index])[::-1]
        kept = np.sort(pruned.fit[pruned.offers == index])[::-1]
        assert np.allclose(kept, fits[:5])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(market=markets)
def test_pricing_reaches_the_same_optimum_as_one_solve_on_every_pair(market):
    """Past PRICED_ABOVE arcs the solver starts from each need's and offer's best pair and
    adds only pairs whose reduced cost says they would help: the plan must be exactly as
    good as solving on every pair at once, and keep within both sides' days."""
    pairs = candidates(market, AllocationOptions())
    needs = np.arange(len(market.needs))
    whole = solve(market, pairs, needs_considered=needs)
    with patch.object(allocation, "PRICED_ABOVE", 0):
        priced = solve(market, pairs, needs_considered=needs)

    assert priced.objective == pytest.approx(whole.objective, abs=1e-6)
    offers_used, needs_used = _used(priced)
    index = {o.id: i for i, o in enumerate(market.offers)}
    assert all(days <= market.offer_days[index[o]] for o, days in offers_used.items())
    index = {n.id: i for i, n in enumerate(market.needs)}
    assert all(days <= market.need_days[index[n]] for n, days in needs_used.items())


@contextmanager
def _priced_from_one_pair_each(rounds: int):
    """Pricing on any market, starting from each need's and offer's single best pair."""
    with (
        patch.object(allocation, "PRICED_ABOVE", 0),
        patch.object(allocation, "FIRST_PER_NEED", 1),
        patch.object(allocation, "FIRST_PER_OFFER", 1),
        patch.object(allocation, "MOST_PRICING_ROUNDS", rounds),
    ):
        yield


def test_pricing_adds_the_pair_the_first_solve_left_out():
    """A market where each need's and each offer's best pair is not enough: the optimum
    needs pairs the first round did not hold, and pricing finds them."""
    market = synthetic.market(offers=30, needs=200, wards=4, seed=5)
    pairs = candidates(market, AllocationOptions())
    needs = np.arange(len(market.needs))
    with _priced_from_one_pair_each(rounds=100):  # no fallback to every pair
        first = allocation._first_choice(pairs, allocation._pair_costs(pairs))
        priced = solve(market, pairs, needs_considered=needs)
    used = {(line.offer_id, line.need_id) for line in priced.lines}
    first_pairs = {
        (int(market.offer_ids[pairs.offers[i]]), int(market.need_ids[pairs.needs[i]]))
        for i in first
    }

    assert used - first_pairs  # the optimum uses pairs the first round did not have
    assert priced.objective == pytest.approx(
        solve(market, pairs, needs_considered=needs).objective, abs=1e-6
    )


def test_pricing_that_takes_too_many_rounds_solves_on_every_pair_instead():
    market = synthetic.market(offers=30, needs=200, wards=4, seed=5)
    pairs = candidates(market, AllocationOptions())
    needs = np.arange(len(market.needs))
    with _priced_from_one_pair_each(rounds=1):
        priced = solve(market, pairs, needs_considered=needs)

    assert priced.objective == pytest.approx(
        solve(market, pairs, needs_considered=needs).objective, abs=1e-6
    )
