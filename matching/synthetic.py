"""Synthetic markets for tests and benchmarks, drawn like the demo data: a two-level skills
taxonomy with synonyms, wards with neighbours and deprivation, offers and needs with 1–4
skills, some ward-limited or remote, dates over the coming year."""

import datetime as dt
import random

from matching.market import Market, NeedInput, OfferInput, SkillInfo, WardInfo
from matching.settings import MatchingSettings

TODAY = dt.date(2026, 11, 25)


def taxonomy(categories: int = 14, per_category: int = 5, seed: int = 1) -> list[SkillInfo]:
    rng = random.Random(seed)
    skills = []
    for category in range(categories):
        for index in range(per_category):
            skill_id = category * per_category + index + 1
            terms = {f"skill-{skill_id}"}
            if rng.random() < 0.2:  # a shared synonym with the next skill of the category
                terms.add(f"synonym-{category}-{index // 2}")
            skills.append(SkillInfo(skill_id, f"Skill {skill_id}", category + 1, frozenset(terms)))
    return skills


def grid_wards(count: int = 18, seed: int = 1) -> list[WardInfo]:
    """Wards on a grid around Coventry's centre; neighbours share a grid edge."""
    rng = random.Random(seed)
    side = max(1, int(count**0.5 + 0.999))
    wards = []
    for index in range(count):
        row, col = divmod(index, side)
        neighbours = {
            r * side + c + 1
            for r, c in ((row - 1, col), (row + 1, col), (row, col - 1), (row, col + 1))
            if r >= 0 and 0 <= c < side and r * side + c < count
        }
        wards.append(
            WardInfo(
                id=index + 1,
                name=f"Ward {index + 1}",
                lat=52.40 + 0.02 * row,
                lon=-1.55 + 0.03 * col,
                neighbours=frozenset(neighbours),
                deprivation=rng.uniform(5, 50),
            )
        )
    return wards


def market(
    *,
    offers: int,
    needs: int,
    wards: int = 18,
    seed: int = 42,
    settings: MatchingSettings | None = None,
    today: dt.date = TODAY,
) -> Market:
    rng = random.Random(seed)
    skills = taxonomy()
    ward_list = grid_wards(wards)
    skill_ids = [s.id for s in skills]
    ward_ids = [w.id for w in ward_list]
    offer_list = [
        OfferInput(
            id=index + 1,
            title=f"Offer {index + 1}",
            organisation_id=index % 500 + 1,
            skills=tuple(rng.sample(skill_ids, rng.randint(1, 4))),
            days_remaining=rng.randint(1, 20),
            available_from=today + dt.timedelta(days=rng.randint(0, 60)),
            available_until=today + dt.timedelta(days=rng.randint(61, 365)),
            wards=tuple(rng.sample(ward_ids, rng.randint(1, min(3, len(ward_ids)))))
            if rng.random() < 0.4
            else (),
            home_ward=rng.choice(ward_ids) if rng.random() < 0.8 else None,
            remote_ok=rng.random() < 0.3,
        )
        for index in range(offers)
    ]
    need_list = [
        NeedInput(
            id=index + 1,
            title=f"Need {index + 1}",
            organisation_id=index % 500 + 1001,
            skills=tuple(
                (skill, rng.random() < 0.6) for skill in rng.sample(skill_ids, rng.randint(1, 3))
            ),
            ward=rng.choice(ward_ids),
            days_remaining=rng.randint(1, 10),
            needed_by=today + dt.timedelta(days=rng.randint(7, 240)),
            published_on=today - dt.timedelta(days=rng.randint(0, 90)),
            remote_ok=rng.random() < 0.3,
            themes=tuple(
                rng.sample(["homelessness", "health", "culture", "youth"], rng.randint(0, 2))
            ),
        )
        for index in range(needs)
    ]
    return Market(
        skills=skills,
        wards=ward_list,
        offers=offer_list,
        needs=need_list,
        today=today,
        settings=settings,
    )
