"""Unmet needs: open needs with no offer at or above the minimum fit, and why."""

from dataclasses import dataclass

import numpy as np

from matching.market import Market
from matching.scoring import need_credit, score_pairs

SKILL = "no open offer has the skill asked for"
SPLIT = "each skill is offered, but by different businesses: no one offer has them all"
PLACE = "offers with the skill exist, but none can work in this ward"
DATES = "offers with the skill and place exist, but none is available before the deadline"
FIT = "offers can help, but none fits well enough"


@dataclass(frozen=True)
class Gap:
    need_id: int
    title: str
    ward_id: int
    reasons: tuple[str, ...]
    missing_skills: tuple[int, ...]  # skill ids no open offer holds (itself or a synonym)
    # With SPLIT: each must-have skill and the offers (market positions' ids) that hold it.
    holders: tuple[tuple[int, tuple[int, ...]], ...] = ()


def unmet_needs(market: Market, *, min_score: float | None = None) -> list[Gap]:
    """Every open need without a suggestion at or above `min_score`, with the reason found
    first along the filters: skills, then place, then dates, then fit."""
    s = market.settings
    floor = s.min_score if min_score is None else min_score
    columns = market.offer_skills
    held = np.diff(columns.indptr) > 0  # skills some open offer holds
    holds_or_synonym = (market.similarity[held] >= s.must_have_min_credit).any(axis=0)
    gaps = []
    for need, info in enumerate(market.needs):
        credit = need_credit(market, need)  # read once: picks the candidates, then scores them
        offers = credit.candidates(s)
        if len(offers):
            skill, must_missing = credit.skill(s, offers)
            scores = score_pairs(
                market, np.full(len(offers), need), offers, skill=skill, must_missing=must_missing
            )
            if (scores.feasible & (scores.fit >= floor)).any():
                continue
            skilled = scores.skill > 0
            placed = skilled & (scores.place > 0)
            if not placed.any():
                reasons = (PLACE,)
            elif not (placed & (scores.time > 0)).any():
                reasons = (DATES,)
            else:
                reasons = (FIT,)
        missing = tuple(
            skill for skill, _must in info.skills if not holds_or_synonym[market.skill_index[skill]]
        )
        holders: tuple = ()
        if not len(offers):
            musts = [skill for skill, must in info.skills if must]
            if musts and not set(musts) & set(missing):  # each is held, never all by one offer
                reasons = (SPLIT,)
                holders = tuple((skill, _holders(market, skill)) for skill in musts)
            else:
                reasons = (SKILL,)
        gaps.append(Gap(info.id, info.title, info.ward, reasons, missing, holders))
    return gaps


def _holders(market: Market, skill: int) -> tuple[int, ...]:
    """Ids of the open offers holding `skill` itself or a synonym of it."""
    s, columns = market.settings, market.offer_skills
    givers = np.nonzero(market.similarity[:, market.skill_index[skill]] >= s.must_have_min_credit)[
        0
    ]
    positions = np.unique(
        np.concatenate(
            [columns.indices[columns.indptr[g] : columns.indptr[g + 1]] for g in givers] or [[]]
        )
    ).astype(np.int64)
    return tuple(int(market.offer_ids[p]) for p in positions)
