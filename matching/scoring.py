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


def skill_credit(
    market: Market, skill_columns: np.ndarray, offers: np.ndarray | None = None
) -> np.ndarray:
    """(offers × columns): the credit each offer earns towards each needed skill column, from
    its best offered skill (exact, synonym, same category): one sparse product per level."""
    rows = market.offer_skills_by_row if offers is None else market.offer_skills_by_row[offers]
    credit = np.zeros((rows.shape[0], len(skill_columns)), dtype=np.float32)
    for value, level in market.skill_levels:  # ascending, so the best level wins
        hit = np.asarray(rows @ level[:, skill_columns]) > 0
        credit[hit] = value
    return credit


@dataclass(frozen=True)
class NeedCredit:
    """One need's skills against every offer: per needed skill column, each offer's credit
    from its best offered skill (k × offers), with the column's weight and must-have flag."""

    weights: np.ndarray
    musts: np.ndarray
    credit: np.ndarray

    def candidates(self, settings, *, strong: bool = False, weak_only: bool = False) -> np.ndarray:
        """Offers that can pass the skill filters: something related to every must-have,
        and to at least one needed skill (with `strong`, one needed skill or a synonym;
        with `weak_only`, the others: those related to the needed skills only by category)."""
        found = np.ones(self.credit.shape[1], dtype=bool)
        for row in np.nonzero(self.musts)[0]:
            found &= self.credit[row] >= settings.must_have_min_credit
        best = self.credit.max(axis=0)
        if strong:
            found &= best >= settings.synonym_credit
        elif weak_only:
            found &= (best > 0) & (best < settings.synonym_credit)
        else:
            found &= best > 0
        return np.nonzero(found)[0]

    def skill(self, settings, offers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Skill fit and "a must-have is missing" for the need against `offers`."""
        total = np.zeros(len(offers), dtype=np.float32)
        missing = np.zeros(len(offers), dtype=bool)
        for row, weight in enumerate(self.weights):
            credit = self.credit[row, offers]
            total += weight * credit
            if self.musts[row]:
                missing |= credit < settings.must_have_min_credit
        weight_sum = self.weights.sum()
        return (total / (weight_sum if weight_sum > 0 else 1)).astype(np.float32), missing


def need_credit(market: Market, need: int) -> NeedCredit:
    """Credit of every offer towards each of a need's skills, read from the sparse skill
    columns of the offers holding a related skill (only those rows are touched)."""
    row = market.need_weights[need]
    columns, weights = row.indices, row.data
    musts = np.isin(columns, market.need_musts[need].indices)
    held = market.offer_skills
    credit = np.zeros((len(columns), held.shape[0]), dtype=np.float32)
    for place, column in enumerate(columns):
        similar = market.similarity[:, column]
        givers = np.nonzero(similar)[0]
        for giver in givers[np.argsort(similar[givers], kind="stable")]:  # best level last
            holders = held.indices[held.indptr[giver] : held.indptr[giver + 1]]
            credit[place, holders] = similar[giver]
    return NeedCredit(weights=weights, musts=musts, credit=credit)


def candidate_offers(market: Market, need: int, *, strong: bool = False) -> np.ndarray:
    """Offers that can pass the skill filters for a need (see `NeedCredit.candidates`)."""
    return need_credit(market, need).candidates(market.settings, strong=strong)


def serves_ward(market: Market, ward: int, offers: np.ndarray) -> np.ndarray:
    """Whether each offer names the ward (index) among the wards it is limited to."""
    column = market.offer_wards
    serving = np.zeros(column.shape[0], dtype=bool)
    serving[column.indices[column.indptr[ward] : column.indptr[ward + 1]]] = True
    return serving[offers]


def within_reach(market: Market, need: int, offers: np.ndarray) -> np.ndarray:
    """The offers among `offers` that the cheap hard filters leave for a need: days left,
    dates that overlap its window, and a ward limit that includes its ward (unless both sides
    can work remotely). Scoring the rest would only mark them infeasible, so suggestions drop
    them first (at 1M offers most of a common skill's holders go here, not into scoring)."""
    placed = ~market.offer_restricted[offers] | serves_ward(market, market.need_ward[need], offers)
    if market.need_remote[need]:
        placed |= market.offer_remote[offers]
    start = np.maximum(market.offer_from[offers], market.today_ordinal)
    overlap = np.minimum(market.offer_until[offers], market.need_by[need]) >= start
    return offers[placed & overlap & (market.offer_days[offers] > 0)]


@dataclass(frozen=True)
class PairScores:
    """Parallel arrays, one entry per (need, offer) pair."""

    fit: np.ndarray
    skill: np.ndarray
    place: np.ndarray
    time: np.ndarray
    capacity: np.ndarray
    feasible: np.ndarray


def _pair_skill(
    market: Market, needs: np.ndarray, offer_rows: np.ndarray, credit: np.ndarray, columns
) -> tuple[np.ndarray, np.ndarray]:
    """Skill fit and "a must-have is missing" for pairs, from per-offer credit (rows × cols)."""
    s = market.settings
    if len(needs) and needs.min() == needs.max():  # one need against many offers
        distinct, need_rows = needs[:1], np.zeros(len(needs), dtype=np.int64)
    else:
        distinct, need_rows = np.unique(needs, return_inverse=True)
    weights = market.need_weights[distinct][:, columns].toarray()[need_rows]
    musts = market.need_musts[distinct][:, columns].toarray()[need_rows] > 0
    offered = credit[offer_rows]
    weight_sum = market.need_weight_sum[needs]
    skill = (weights * offered).sum(axis=1) / np.where(weight_sum > 0, weight_sum, 1)
    must_missing = (musts & (offered < s.must_have_min_credit)).any(axis=1)
    return skill.astype(np.float32), must_missing


def score_pairs(
    market: Market,
    needs: np.ndarray,
    offers: np.ndarray,
    *,
    skill: np.ndarray | None = None,
    must_missing: np.ndarray | None = None,
) -> PairScores:
    """Score explicit (need, offer) pairs, given as two index arrays of equal length.

    `skill` and `must_missing` may come precomputed (allocation works them out for whole
    blocks by matrix products, then scores only the pairs that pass)."""
    s = market.settings
    if skill is None:
        single = len(needs) and needs.min() == needs.max()
        columns = np.unique(market.need_weights[needs[:1] if single else np.unique(needs)].indices)
        if len(offers) < 2 or np.all(offers[1:] > offers[:-1]):  # already distinct, in order
            distinct, position = offers, np.arange(len(offers))
        else:
            distinct, position = np.unique(offers, return_inverse=True)
        credit = skill_credit(market, columns, distinct)
        skill, must_missing = _pair_skill(market, needs, position, credit, columns)

    need_ward = market.need_ward[needs]
    restricted = market.offer_restricted[offers]
    if not len(offers):
        serves = np.zeros(0, dtype=bool)
    elif need_ward.min() == need_ward.max():  # one ward: read its column once
        serves = serves_ward(market, need_ward[0], offers)
    else:
        serves = np.asarray(market.offer_wards_by_row[offers, need_ward]).ravel().astype(bool)
    home = market.offer_home[offers]
    proximity = market.proximity[need_ward, np.maximum(home, 0)]
    open_place = np.where(home >= 0, np.maximum(proximity, s.anywhere_fit), s.anywhere_fit)
    place = np.where(restricted, np.where(serves, s.same_ward_fit, 0.0), open_place)
    both_remote = market.need_remote[needs] & market.offer_remote[offers]
    place = np.where(both_remote, np.maximum(place, s.remote_fit), place).astype(np.float32)

    need_by = market.need_by[needs]
    start = np.maximum(market.offer_from[offers], market.today_ordinal)
    overlap = np.minimum(market.offer_until[offers], need_by) - start + 1
    window = np.minimum(need_by - market.today_ordinal + 1, s.comfortable_window_days)
    time = np.clip(overlap / np.maximum(window, 1), 0, 1).astype(np.float32)

    need_days = market.need_days[needs]
    offer_days = market.offer_days[offers]
    capacity = (np.minimum(offer_days, need_days) / np.maximum(need_days, 1)).astype(np.float32)

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
    )
    return PairScores(np.clip(fit, 0, 1).astype(np.float32), skill, place, time, capacity, feasible)


def score_block(market: Market, needs: np.ndarray, offers: np.ndarray | None = None) -> PairScores:
    """Every pair of the given needs × offers (None: all offers), as (needs, offers) arrays."""
    offers = np.arange(len(market.offers)) if offers is None else offers
    need_grid, offer_grid = np.meshgrid(needs, offers, indexing="ij")
    scores = score_pairs(market, need_grid.ravel(), offer_grid.ravel())
    shape = (len(needs), len(offers))
    return PairScores(*(getattr(scores, f).reshape(shape) for f in PairScores.__dataclass_fields__))


def skill_block(
    market: Market, weights, musts, weight_sum: np.ndarray, credit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Skill fit and must-have misses for needs (their weight and must-have rows, already
    sliced to the credit's columns) × offers (their credit rows), by two sparse products."""
    s = market.settings
    skill = np.asarray(weights @ credit.T) / np.where(weight_sum > 0, weight_sum, 1)[:, None]
    short = (credit < s.must_have_min_credit).astype(np.float32)
    return skill.astype(np.float32), np.asarray(musts @ short.T) > 0
