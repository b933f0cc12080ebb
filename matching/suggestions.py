"""Suggestions: the top-k offers for a need, or needs for an offer, with plain-English reasons.

One pass scores every candidate (see `scoring.score_pairs`); `argpartition` picks the best k
without sorting everything; ties break by id so the order is always the same.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from matching.market import Market
from matching.scoring import PairScores, need_credit, score_block, score_pairs, within_reach


@dataclass(frozen=True)
class Suggestion:
    id: int  # the offer's id (suggestions for a need) or the need's (for an offer)
    title: str
    score: float
    parts: dict[str, float]
    priority: float
    reasons: tuple[str, ...]


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest scores (−inf excluded), ties broken by lower id."""
    valid = np.isfinite(scores)
    if not valid.any() or k <= 0:
        return np.empty(0, dtype=np.int64)
    k = min(k, int(valid.sum()))
    if k < len(scores):
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.nonzero(scores >= kth)[0]  # ties at the boundary stay in
    else:
        candidates = np.nonzero(valid)[0]
    order = np.lexsort((ids[candidates], -scores[candidates]))
    return candidates[order][:k]


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B}"


def explain(market: Market, need: int, offer: int) -> tuple[str, ...]:
    """Plain-English reasons for one pair (indices into the market)."""
    s, n, o = market.settings, market.needs[need], market.offers[offer]
    reasons = []

    offered = [market.skill_index[skill] for skill in o.skills]
    covered, related, missing = [], [], []
    for skill, _must in n.skills:
        column = market.skill_index[skill]
        best = market.similarity[offered, column].max() if offered else 0.0
        name = market.skills[column].name
        if best >= s.synonym_credit:
            covered.append(name)
        elif best > 0:
            related.append(name)
        else:
            missing.append(name)
    text = f"covers {len(covered)} of {len(n.skills)} skill{'s' if len(n.skills) != 1 else ''}"
    if related:
        text += f"; related skills for {', '.join(related)}"
    if missing:
        text += f"; missing {', '.join(missing)}"
    reasons.append(text)

    need_ward = market.need_ward[need]
    ward_name = market.wards[need_ward].name
    both_remote = n.remote_ok and o.remote_ok
    if o.wards:
        reasons.append(f"works in {ward_name}" + (" and can work remotely" if both_remote else ""))
    elif both_remote:
        reasons.append("both sides can work remotely")
    elif market.offer_home[offer] >= 0:
        home = market.offer_home[offer]
        if home == need_ward:
            reasons.append(f"based in {ward_name}, the same ward")
        elif market.neighbour[need_ward, home]:
            reasons.append(f"based in a neighbouring ward ({market.wards[home].name})")
        else:
            km = market.distance_km[need_ward, home]
            reasons.append(f"based {km:.1f} km away ({market.wards[home].name})")
    else:
        reasons.append("can go anywhere in the area")

    start = max(o.available_from, market.today)
    timing = f"available until {_date(o.available_until)}, needed by {_date(n.needed_by)}"
    if start > market.today:
        timing = f"available from {_date(start)}; " + timing
    reasons.append(timing)
    days = min(o.days_remaining, n.days_remaining)
    reasons.append(f"{days} of {n.days_remaining} days")
    return tuple(reasons)


def _results(
    market: Market, scores: PairScores, need_of, offer_of, indices, ids_titles
) -> list[Suggestion]:
    results = []
    for index in indices:
        need, offer = need_of(index), offer_of(index)
        at = (0, index) if scores.fit.shape[0] == 1 else (index, 0)
        parts = {
            "skill": round(float(scores.skill[at]), 4),
            "place": round(float(scores.place[at]), 4),
            "time": round(float(scores.time[at]), 4),
            "capacity": round(float(scores.capacity[at]), 4),
        }
        identifier, title = ids_titles(index)
        results.append(
            Suggestion(
                id=identifier,
                title=title,
                score=round(float(scores.fit[at]), 4),
                parts=parts,
                priority=round(float(market.need_priority[need]), 4),
                reasons=explain(market, need, offer),
            )
        )
    return results


def suggest_offers(
    market: Market, need_id: int, *, limit: int | None = None, min_score: float | None = None
) -> list[Suggestion]:
    """The best offers for a need, best first.

    Offers holding a needed skill itself (or a synonym) are ranked first. Offers with only
    same-category skills cannot score above `bound` (their skill fit is at most the category
    credit); they are scored, and ranked with the first round's, only when the first round
    leaves fewer than `limit` results at or above it (the answer is the same, faster).
    """
    s = market.settings
    limit = s.default_limit if limit is None else limit
    floor = s.min_score if min_score is None else min_score
    need = market.need_index[need_id]
    credit = need_credit(market, need)

    def score(offers: np.ndarray) -> PairScores:
        skill, must_missing = credit.skill(s, offers)
        return score_pairs(
            market, np.full(len(offers), need), offers, skill=skill, must_missing=must_missing
        )

    def rank(offers: np.ndarray, pairs: PairScores) -> tuple[PairScores, np.ndarray]:
        scores = PairScores(*(getattr(pairs, f)[None, :] for f in PairScores.__dataclass_fields__))
        ranked = np.where(scores.feasible[0], scores.fit[0], -np.inf)
        ranked[ranked < floor] = -np.inf
        return scores, top_k(ranked, market.offer_ids[offers], limit)

    offers = within_reach(market, need, credit.candidates(s, strong=True))
    pairs = score(offers)
    scores, best = rank(offers, pairs)
    bound = s.skill_weight * s.category_credit + (1 - s.skill_weight)
    if len(best) < limit or scores.fit[0, best[-1]] < bound:
        more = within_reach(market, need, credit.candidates(s, weak_only=True))
        extra = score(more)
        offers = np.concatenate([offers, more])
        pairs = PairScores(
            *(
                np.concatenate([getattr(pairs, f), getattr(extra, f)])
                for f in PairScores.__dataclass_fields__
            )
        )
        scores, best = rank(offers, pairs)
    return _results(
        market,
        scores,
        need_of=lambda _: need,
        offer_of=lambda index: offers[index],
        indices=best,
        ids_titles=lambda index: (
            int(market.offer_ids[offers[index]]),
            market.offers[offers[index]].title,
        ),
    )


def suggest_needs(
    market: Market, offer_id: int, *, limit: int | None = None, min_score: float | None = None
) -> list[Suggestion]:
    """The best needs for an offer, best first (fit decides; priority is shown beside it)."""
    s = market.settings
    offer = market.offer_index[offer_id]
    scores = score_block(market, np.arange(len(market.needs)), np.array([offer]))
    ranked = np.where(scores.feasible[:, 0], scores.fit[:, 0], -np.inf)
    ranked[ranked < (s.min_score if min_score is None else min_score)] = -np.inf
    best = top_k(ranked, market.need_ids, s.default_limit if limit is None else limit)
    return _results(
        market,
        scores,
        need_of=lambda index: index,
        offer_of=lambda _: offer,
        indices=best,
        ids_titles=lambda index: (int(market.need_ids[index]), market.needs[index].title),
    )
