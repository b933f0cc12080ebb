"""Fit of an offer for a need: its parts, the hard filters, and the reasons given."""

import datetime as dt

import numpy as np
import pytest

from matching import MatchingSettings, suggest_needs, suggest_offers
from tests.matching.conftest import (
    ACCOUNTS,
    BOOKKEEPING,
    HR_POLICY,
    PAYROLL,
    PLUMBING,
    TODAY,
    A,
    B,
    C,
    D,
    need,
    offer,
)


def _by_id(results):
    return {r.id: r for r in results}


def test_exact_skill_beats_synonym_beats_category(make_market):
    market = make_market(
        [offer(1, [BOOKKEEPING]), offer(2, [ACCOUNTS]), offer(3, [PAYROLL]), offer(4, [HR_POLICY])],
        [need(1, [(BOOKKEEPING, False)])],
    )

    results = _by_id(suggest_offers(market, 1, min_score=0))

    assert results[1].parts["skill"] == 1.0  # exact
    assert results[2].parts["skill"] == 0.8  # synonym (both known as "xero")
    assert set(results) == {1, 2}  # payroll and HR policy share nothing with bookkeeping
    assert [r.id for r in suggest_offers(market, 1, min_score=0)] == [1, 2]


def test_same_category_earns_partial_credit(make_market):
    market = make_market([offer(1, [PAYROLL])], [need(1, [(HR_POLICY, False)])])

    (result,) = suggest_offers(market, 1, min_score=0)

    assert result.parts["skill"] == pytest.approx(0.4, abs=1e-4)
    assert "related skills for HR policy" in result.reasons[0]


def test_missing_must_have_skill_filters_the_pair_out(make_market):
    market = make_market(
        [offer(1, [HR_POLICY]), offer(2, [HR_POLICY, PAYROLL]), offer(3, [PLUMBING, PAYROLL])],
        [
            need(1, [(HR_POLICY, True), (PAYROLL, False)]),
            need(2, [(PLUMBING, True), (BOOKKEEPING, True)]),
        ],
    )

    results = _by_id(suggest_offers(market, 1, min_score=0))

    assert set(results) == {1, 2, 3}  # offer 3: payroll is HR policy's category
    assert results[2].score > results[1].score > results[3].score
    assert results[1].reasons[0] == "covers 1 of 2 skills; related skills for Payroll"
    # Nothing related to bookkeeping, a must-have, is offered: no suggestion at all.
    assert suggest_offers(market, 2, min_score=0) == []


def test_nice_to_have_counts_half_as_much_as_a_must_have(make_market):
    market = make_market(
        [offer(1, [HR_POLICY]), offer(2, [PLUMBING, HR_POLICY])],
        [need(1, [(HR_POLICY, True), (PLUMBING, False)])],
    )

    results = _by_id(suggest_offers(market, 1, min_score=0))

    assert results[1].parts["skill"] == pytest.approx(2 / 3, abs=1e-4)
    assert results[2].parts["skill"] == 1.0
    assert results[1].reasons[0] == "covers 1 of 2 skills; missing Plumbing"


def test_place_fit_same_ward_then_neighbour_then_distance(make_market):
    market = make_market(
        [
            offer(1, [HR_POLICY], home_ward=A),
            offer(2, [HR_POLICY], home_ward=B),
            offer(3, [HR_POLICY], home_ward=C),
            offer(4, [HR_POLICY], wards=(A,)),
        ],
        [need(1, [(HR_POLICY, True)], ward=A)],
    )

    results = _by_id(suggest_offers(market, 1, min_score=0))

    assert results[1].parts["place"] == 1.0
    assert results[2].parts["place"] == 0.8
    assert results[3].parts["place"] == pytest.approx(
        0.7, abs=1e-4
    )  # far, but willing to go anywhere
    assert results[4].parts["place"] == 1.0  # works in the need's ward
    assert results[2].reasons[1] == "based in a neighbouring ward (Henley)"
    assert results[4].reasons[1] == "works in Foleshill"


def test_offer_limited_to_other_wards_is_filtered_unless_both_are_remote(make_market):
    market = make_market(
        [offer(1, [HR_POLICY], wards=(C,)), offer(2, [HR_POLICY], wards=(C,), remote_ok=True)],
        [
            need(1, [(HR_POLICY, True)], ward=A, remote_ok=True),
            need(2, [(HR_POLICY, True)], ward=A),
        ],
    )

    assert [r.id for r in suggest_offers(market, 1, min_score=0)] == [2]
    assert suggest_offers(market, 2, min_score=0) == []
    assert suggest_offers(market, 1, min_score=0)[0].reasons[1].startswith("works in")


def test_no_overlap_in_time_filters_the_pair_out(make_market):
    later = {
        "available_from": TODAY + dt.timedelta(days=70),
        "available_until": TODAY + dt.timedelta(days=100),
    }
    past = {
        "available_from": TODAY - dt.timedelta(days=30),
        "available_until": TODAY - dt.timedelta(days=1),
    }
    market = make_market(
        [offer(1, [HR_POLICY], **later), offer(2, [HR_POLICY], **past), offer(3, [HR_POLICY])],
        [need(1, [(HR_POLICY, True)], needed_by=TODAY + dt.timedelta(days=60))],
    )

    assert [r.id for r in suggest_offers(market, 1, min_score=0)] == [3]


def test_short_overlap_lowers_time_fit(make_market):
    market = make_market(
        [offer(1, [HR_POLICY], available_until=TODAY + dt.timedelta(days=9))],
        [need(1, [(HR_POLICY, True)], needed_by=TODAY + dt.timedelta(days=60))],
    )

    (result,) = suggest_offers(market, 1, min_score=0)

    assert result.parts["time"] == pytest.approx(10 / 30, abs=1e-4)
    assert result.reasons[2] == "available until 4 December, needed by 24 January"


def test_capacity_fit_is_the_share_of_remaining_days_covered(make_market):
    market = make_market(
        [offer(1, [HR_POLICY], days_remaining=4)],
        [need(1, [(HR_POLICY, True)], days_remaining=6)],
    )

    (result,) = suggest_offers(market, 1, min_score=0)

    assert result.parts["capacity"] == pytest.approx(4 / 6, abs=1e-4)
    assert result.reasons[3] == "4 of 6 days"


def test_score_is_the_weighted_sum_of_parts(make_market):
    settings = MatchingSettings()
    market = make_market(
        [offer(1, [PAYROLL], home_ward=C, days_remaining=2)], [need(1, [(HR_POLICY, False)])]
    )

    (result,) = suggest_offers(market, 1, min_score=0)

    parts = result.parts
    expected = (
        settings.skill_weight * parts["skill"]
        + settings.place_weight * parts["place"]
        + settings.time_weight * parts["time"]
        + settings.capacity_weight * parts["capacity"]
    )
    assert result.score == pytest.approx(expected, abs=1e-3)


def test_ties_break_by_lower_id_every_time(make_market):
    market = make_market(
        [offer(i, [HR_POLICY]) for i in (5, 3, 9, 1)], [need(1, [(HR_POLICY, True)])]
    )

    assert [r.id for r in suggest_offers(market, 1, limit=3)] == [1, 3, 5]


def test_min_score_and_limit(make_market):
    market = make_market(
        [offer(1, [HR_POLICY]), offer(2, [PAYROLL], home_ward=C, days_remaining=1)],
        [need(1, [(HR_POLICY, False)])],
    )

    assert [r.id for r in suggest_offers(market, 1, min_score=0)] == [1, 2]
    assert [r.id for r in suggest_offers(market, 1, min_score=0.9)] == [1]
    assert [r.id for r in suggest_offers(market, 1, limit=1, min_score=0)] == [1]


def test_needs_for_an_offer_rank_by_fit_with_priority_beside(make_market):
    market = make_market(
        [offer(1, [HR_POLICY], home_ward=A)],
        [
            need(1, [(HR_POLICY, True)], ward=A),
            need(2, [(HR_POLICY, True)], ward=C),
            need(3, [(PLUMBING, True)], ward=A),
        ],
    )

    results = suggest_needs(market, 1, min_score=0)

    assert [r.id for r in results] == [1, 2]
    assert results[0].priority > results[1].priority  # Foleshill is more deprived


def test_priority_grows_with_deprivation_themes_and_waiting(make_market):
    market = make_market(
        [],
        [
            need(1, [(HR_POLICY, True)], ward=C),
            need(2, [(HR_POLICY, True)], ward=A),
            need(3, [(HR_POLICY, True)], ward=C, themes=("homelessness",)),
            need(4, [(HR_POLICY, True)], ward=C, published_on=TODAY - dt.timedelta(days=60)),
        ],
    )

    priority = dict(zip(market.need_ids.tolist(), market.need_priority.tolist(), strict=True))

    assert priority[2] > priority[1]
    assert priority[3] == pytest.approx(priority[1] + 0.3)
    assert priority[4] == pytest.approx(priority[1] + 0.2)
    assert all(0 <= p <= 1 for p in priority.values())


def test_weights_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        MatchingSettings(skill_weight=0.9)


def test_distance_decay_for_wards_without_a_shared_boundary(make_market):
    market = make_market([], [])
    a, c, d = (market.ward_index[w] for w in (A, C, D))

    assert market.proximity[a, d] > market.proximity[a, c]
    assert np.all(market.proximity <= 1)


def test_unmet_needs_say_why(make_market):
    from matching.gaps import DATES, PLACE, SKILL, unmet_needs

    later = {
        "available_from": TODAY + dt.timedelta(days=100),
        "available_until": TODAY + dt.timedelta(days=200),
    }
    market = make_market(
        [offer(1, [BOOKKEEPING], wards=(C,)), offer(2, [PLUMBING], **later)],
        [
            need(1, [(HR_POLICY, True)]),  # nothing in HR is offered
            need(2, [(ACCOUNTS, True)], ward=A),  # bookkeepers only work in Wainbody
            need(3, [(PLUMBING, True)], needed_by=TODAY + dt.timedelta(days=30)),  # too late
            need(4, [(BOOKKEEPING, True)], ward=C),  # met
        ],
    )

    gaps = {gap.need_id: gap for gap in unmet_needs(market)}

    assert set(gaps) == {1, 2, 3}
    assert gaps[1].reasons == (SKILL,) and gaps[1].missing_skills == (HR_POLICY,)
    assert gaps[2].reasons == (PLACE,)
    assert gaps[3].reasons == (DATES,)


def test_skills_offered_only_by_different_businesses_are_their_own_reason(make_market):
    from matching.gaps import SKILL, SPLIT, unmet_needs

    market = make_market(
        [offer(1, [HR_POLICY]), offer(2, [PLUMBING]), offer(3, [PLUMBING])],
        [
            need(1, [(HR_POLICY, True), (PLUMBING, True)]),  # each held, never together
            need(2, [(HR_POLICY, True), (BOOKKEEPING, True)]),  # bookkeeping: nobody
        ],
    )

    gaps = {gap.need_id: gap for gap in unmet_needs(market)}

    assert gaps[1].reasons == (SPLIT,) and gaps[1].missing_skills == ()
    assert dict(gaps[1].holders) == {HR_POLICY: (1,), PLUMBING: (2, 3)}
    assert gaps[2].reasons == (SKILL,) and gaps[2].missing_skills == (BOOKKEEPING,)
    assert gaps[2].holders == ()
