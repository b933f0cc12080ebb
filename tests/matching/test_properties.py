"""Invariants of the engine on random markets."""

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Market
from matching.scoring import score_block
from tests.matching.conftest import random_markets

markets = random_markets(max_offers=30, max_needs=30, max_wards=9)
common = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(market=markets)
def test_every_score_and_part_is_between_0_and_1(market):
    scores = score_block(market, np.arange(len(market.needs)))

    for part in (scores.fit, scores.skill, scores.place, scores.time, scores.capacity):
        assert np.all((part >= 0) & (part <= 1 + 1e-6))


@common
@given(market=markets, data=st.data())
def test_adding_a_needed_skill_to_an_offer_never_lowers_its_skill_fit(market, data):
    offer = data.draw(st.integers(0, len(market.offers) - 1))
    need = data.draw(st.integers(0, len(market.needs) - 1))
    skill = data.draw(st.sampled_from([s for s, _ in market.needs[need].skills]))
    before = score_block(market, np.array([need]), np.array([offer])).skill[0, 0]

    richer = list(market.offers)
    richer[offer] = dataclasses.replace(
        richer[offer], skills=tuple(sorted(set(richer[offer].skills) | {skill}))
    )
    bigger = Market(
        skills=market.skills, wards=market.wards, offers=richer, needs=market.needs,
        today=market.today, settings=market.settings,
    )  # fmt: skip
    after = score_block(bigger, np.array([need]), np.array([offer])).skill[0, 0]

    assert after >= before - 1e-6


@common
@given(market=markets)
def test_scoring_one_need_equals_scoring_it_within_all_needs(market):
    """The vectorised block and the single-need path agree (suggestions vs allocation)."""
    everything = score_block(market, np.arange(len(market.needs)))
    for need in range(len(market.needs)):
        alone = score_block(market, np.array([need]))
        assert np.allclose(alone.fit[0], everything.fit[need], atol=1e-5)
        assert np.array_equal(alone.feasible[0], everything.feasible[need])


@common
@given(market=markets)
def test_candidate_prefilter_keeps_every_feasible_offer(market):
    """Suggestions score only the offers `candidate_offers` returns: none feasible is lost."""
    from matching.scoring import candidate_offers

    everything = score_block(market, np.arange(len(market.needs)))
    for need in range(len(market.needs)):
        feasible = set(np.nonzero(everything.feasible[need])[0].tolist())
        assert feasible <= set(candidate_offers(market, need).tolist())


@common
@given(market=markets)
def test_the_cheap_reach_filter_drops_only_offers_scoring_would_call_infeasible(market):
    """Suggestions drop offers out of reach (ward limit, dates, no days) before scoring."""
    from matching.scoring import within_reach

    everything = score_block(market, np.arange(len(market.needs)))
    offers = np.arange(len(market.offers))
    for need in range(len(market.needs)):
        kept = set(within_reach(market, need, offers).tolist())
        feasible = set(np.nonzero(everything.feasible[need])[0].tolist())
        assert feasible <= kept
        assert not (kept - feasible) & set(np.nonzero(everything.place[need] == 0)[0].tolist())


@common
@given(market=markets)
def test_strong_and_category_only_candidates_split_the_candidates_without_overlap(market):
    from matching.scoring import need_credit

    for need in range(len(market.needs)):
        credit = need_credit(market, need)
        strong = set(credit.candidates(market.settings, strong=True).tolist())
        weak = set(credit.candidates(market.settings, weak_only=True).tolist())
        every = set(credit.candidates(market.settings).tolist())
        assert not strong & weak
        assert strong | weak == every


@common
@given(market=markets, limit=st.integers(1, 5))
def test_suggestions_equal_a_full_ranking_of_every_offer(market, limit):
    """The two-round shortcut in suggest_offers returns what ranking all offers would."""
    from matching.suggestions import suggest_offers, top_k

    everything = score_block(market, np.arange(len(market.needs)))
    for need in range(len(market.needs)):
        ranked = np.where(everything.feasible[need], everything.fit[need], -np.inf)
        ranked[ranked < market.settings.min_score] = -np.inf
        expected = top_k(ranked, market.offer_ids, limit)
        got = [
            market.offer_index[r.id]
            for r in suggest_offers(market, int(market.need_ids[need]), limit=limit)
        ]
        # Place by place as good as the full ranking's; which of two offers tied within float
        # noise comes first may differ (the two paths add the parts in another order).
        assert len(got) == len(expected)
        assert np.allclose(ranked[got], ranked[expected], atol=1e-5)
