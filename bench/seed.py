"""Synthetic market at city scale for benchmarks: drawn like the demo data, deterministic."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from brokerage.models import (
    ListingStatus,
    Need,
    NeedSkill,
    Offer,
    OfferSkill,
    Organisation,
    Skill,
    Theme,
    Ward,
)


@transaction.atomic
def seed_market(*, needs: int, offers: int, seed: int = 42) -> None:
    rng = random.Random(seed)
    now, today = timezone.now(), timezone.localdate()
    wards = list(Ward.objects.all())
    skills = list(Skill.objects.all())
    themes = list(Theme.objects.all())
    charities = Organisation.objects.bulk_create(
        Organisation(
            kind="vcs",
            name=f"Charity {i}",
            slug=f"bench-charity-{i}",
            contact_email=f"c{i}@example.org",
            verification_status="verified",
            verified_at=now,
            home_ward=rng.choice(wards),
        )
        for i in range(max(1, needs // 50))
    )
    businesses = Organisation.objects.bulk_create(
        Organisation(
            kind="business",
            name=f"Business {i}",
            slug=f"bench-business-{i}",
            contact_email=f"b{i}@example.org",
            verification_status="verified",
            verified_at=now,
        )
        for i in range(max(1, offers // 20))
    )
    need_rows = Need.objects.bulk_create(
        Need(
            organisation=rng.choice(charities),
            title=f"Help wanted {i}",
            description="We need a hand with " + rng.choice(skills).name.lower() + ".",
            ward=rng.choice(wards),
            days_needed=rng.randint(1, 10),
            needed_by=today + dt.timedelta(days=rng.randint(10, 200)),
            remote_ok=rng.random() < 0.3,
            status=ListingStatus.OPEN if rng.random() < 0.9 else ListingStatus.DRAFT,
            published_at=now,
        )
        for i in range(needs)
    )
    NeedSkill.objects.bulk_create(
        NeedSkill(need=need, skill=skill, must_have=rng.random() < 0.7)
        for need in need_rows
        for skill in rng.sample(skills, rng.randint(1, 3))
    )
    Need.themes.through.objects.bulk_create(
        Need.themes.through(need=need, theme=theme)
        for need in need_rows
        for theme in rng.sample(themes, rng.randint(0, 2))
    )
    offer_rows = Offer.objects.bulk_create(
        Offer(
            organisation=rng.choice(businesses),
            title=f"Skills on offer {i}",
            volunteers=rng.randint(1, 10),
            days_offered=rng.randint(2, 30),
            available_from=today,
            available_until=today + dt.timedelta(days=rng.randint(30, 365)),
            remote_ok=rng.random() < 0.4,
            status=ListingStatus.OPEN,
            published_at=now,
        )
        for i in range(offers)
    )
    OfferSkill.objects.bulk_create(
        OfferSkill(offer=offer, skill=skill)
        for offer in offer_rows
        for skill in rng.sample(skills, rng.randint(1, 4))
    )
    Offer.wards.through.objects.bulk_create(
        Offer.wards.through(offer=offer, ward=ward)
        for offer in offer_rows
        if rng.random() < 0.5
        for ward in rng.sample(wards, rng.randint(1, 4))
    )


@transaction.atomic
def seed_region_wards(*, total: int = 400, seed: int = 7) -> int:
    """Grow the wards to a region's count (the West Midlands' seven metropolitan councils
    have about 400): synthetic wards on a grid west of Coventry, neighbours sharing a grid
    edge, deprivation drawn at random. Returns how many were added."""
    rng = random.Random(seed)
    missing = total - Ward.objects.count()
    if missing <= 0:
        return 0
    from brokerage.models import WardSet

    ward_set = WardSet.objects.create(
        slug="bench-region", name="Bench region (synthetic)", lad_code="E08099999",
        valid_from=dt.date(2026, 5, 7), source="bench/seed.py: synthetic",
    )  # fmt: skip
    side = int(missing**0.5) + 1
    wards = Ward.objects.bulk_create(
        Ward(
            ward_set=ward_set,
            gss_code=f"E0599{index:04d}",
            name=f"Region ward {index}",
            lad_code="E08099999",
            centroid_lat=52.30 + 0.015 * (index // side),
            centroid_lon=-2.20 + 0.025 * (index % side),
            imd_score=rng.uniform(5, 60),
        )
        for index in range(missing)
    )
    edges = [
        (wards[index], wards[other])
        for index in range(len(wards))
        for other in (index + 1, index + side)  # east and south on the grid
        if other < len(wards) and (other == index + side or other % side)
    ]
    link = Ward.neighbours.through
    link.objects.bulk_create(
        [link(from_ward=a, to_ward=b) for a, b in edges]
        + [link(from_ward=b, to_ward=a) for a, b in edges]
    )
    return missing
