"""Fit of every (need, offer) pair in a block, in one vectorised pass.

    fit = skill_weight × skill fit + place_weight × place fit
        + time_weight × time fit + capacity_weight × capacity fit      ∈ [0, 1]

Hard filters make a pair infeasible whatever its fit: no needed skill met at all, a must-have
skill not covered (by the skill itself or a synonym), an offer limited to wards that exclude
the need's ward (unless both sides can work remotely), no overlap between availability and
the need's window, no days.
"""

from dataclasses import dataclass

import numpy as np

from matching.market import Market


@dataclass(frozen=True)
class BlockScores:
    """Arrays of shape (needs in block, offers in block)."""

    fit: np.ndarray
    skill: np.ndarray
    place: np.ndarray
    time: np.ndarray
    capacity: np.ndarray
    feasible: np.ndarray


def offer_skill_credit(market: Market, skill_columns: np.ndarray) -> np.ndarray:
    """(offers × columns): the credit each offer earns towards each needed skill column, from
    its best offered skill (exact, synonym, same category). Scatter over CSC columns, so the
    cost follows the number of offered skills involved, not offers × skills."""
    offers = market.offer_skills
    credit = np.zeros((offers.shape[0], len(skill_columns)), dtype=np.float32)
    for position, needed in enumerate(skill_columns):
        givers = np.nonzero(market.similarity[:, needed])[0]
        for offered in givers[np.argsort(market.similarity[givers, needed])]:
            rows = offers.indices[offers.indptr[offered] : offers.indptr[offered + 1]]
            credit[rows, position] = market.similarity[offered, needed]  # ascending: max wins
    return credit


def few_offers_skill_credit(
    market: Market, offers: np.ndarray, skill_columns: np.ndarray
) -> np.ndarray:
    """The same credit for a handful of offers, straight from their own skills."""
    rows = market.offer_skills_by_row
    credit = np.zeros((len(offers), len(skill_columns)), dtype=np.float32)
    for position, offer in enumerate(offers):
        offered = rows.indices[rows.indptr[offer] : rows.indptr[offer + 1]]
        if len(offered):
            credit[position] = market.similarity[np.ix_(offered, skill_columns)].max(axis=0)
    return credit


def score_block(
    market: Market,
    needs: np.ndarray,
    offers: np.ndarray | None = None,
    *,
    credit: np.ndarray | None = None,
    credit_columns: np.ndarray | None = None,
) -> BlockScores:
    """Score needs (indices) against offers (indices; None for all).

    `credit`/`credit_columns` may be passed in when scoring many blocks (allocation), so the
    per-offer skill credit is computed once.
    """
    s = market.settings
    weights = market.need_weights[needs]
    musts = market.need_musts[needs]
    if credit is None:
        credit_columns = np.unique(weights.indices)
        if offers is not None and len(offers) <= 1000:
            credit = few_offers_skill_credit(market, offers, credit_columns)
        else:
            credit = offer_skill_credit(market, credit_columns)
            credit = credit if offers is None else credit[offers]
    elif offers is not None:
        credit = credit[offers]
    offer_sel = slice(None) if offers is None else offers
    weights = weights[:, credit_columns] if len(credit_columns) else weights[:, :0]
    musts = musts[:, credit_columns] if len(credit_columns) else musts[:, :0]

    # Skill fit: weighted coverage of the need's skills; must-haves need real coverage.
    weight_sum = market.need_weight_sum[needs][:, None]
    skill = np.asarray(weights @ credit.T) / np.where(weight_sum > 0, weight_sum, 1)
    uncovered = (credit < s.must_have_min_credit).astype(np.float32)
    must_missing = np.asarray(musts @ uncovered.T) > 0

    # Place fit.
    need_ward = market.need_ward[needs]
    restricted = market.offer_restricted[offer_sel]
    serves = market.offer_wards[offer_sel][:, need_ward].toarray().T  # (needs, offers)
    home = market.offer_home[offer_sel]
    proximity = market.proximity[need_ward][:, np.maximum(home, 0)]
    open_place = np.where(home >= 0, np.maximum(proximity, s.anywhere_fit), s.anywhere_fit)
    place = np.where(restricted, np.where(serves, s.same_ward_fit, 0.0), open_place)
    both_remote = market.need_remote[needs][:, None] & market.offer_remote[offer_sel][None, :]
    place = np.where(both_remote, np.maximum(place, s.remote_fit), place)

    # Time fit: overlap of availability with today → deadline.
    need_by = market.need_by[needs][:, None]
    start = np.maximum(market.offer_from[offer_sel], market.today_ordinal)[None, :]
    end = np.minimum(market.offer_until[offer_sel][None, :], need_by)
    overlap = end - start + 1
    window = np.minimum(need_by - market.today_ordinal + 1, s.comfortable_window_days)
    time = np.clip(overlap / np.maximum(window, 1), 0, 1)

    # Capacity fit: how much of what is still needed the offer can cover.
    need_days = market.need_days[needs][:, None]
    offer_days = market.offer_days[offer_sel][None, :]
    capacity = np.minimum(offer_days, need_days) / np.maximum(need_days, 1)

    fit = (
        s.skill_weight * skill
        + s.place_weight * place
        + s.time_weight * time
        + s.capacity_weight * capacity
    )
    feasible = (
        (skill > 0)  # some skill in common: place and dates alone make no match
        & ~must_missing
        & (place > 0)
        & (overlap > 0)
        & (offer_days > 0)
        & (need_days > 0)
        & (weight_sum > 0)
    )
    return BlockScores(
        fit=np.clip(fit, 0, 1).astype(np.float32),
        skill=skill.astype(np.float32),
        place=place.astype(np.float32),
        time=time.astype(np.float32),
        capacity=capacity.astype(np.float32),
        feasible=feasible,
    )
