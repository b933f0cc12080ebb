"""Synthetic market at city scale for benchmarks: drawn like the demo data, deterministic."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from brokerage.infra import market_log
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

COVENTRY = "E08000026"


@transaction.atomic
def seed_market(*, needs: int, offers: int, region: bool = False, seed: int = 42) -> None:
    """Synthetic charities, businesses and listings in Coventry's wards, or with `region` in
    all the region's (the West Midlands' 192, loaded by `load_reference_data`)."""
    rng = random.Random(seed)
    now, today = timezone.now(), timezone.localdate()
    wards = list(Ward.objects.all() if region else Ward.objects.filter(council_id=COVENTRY))
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
            home_ward=(home := rng.choice(wards)),
            council_id=home.council_id,
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
            council_id=COVENTRY,
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
    market_log.everything_changed()  # bulk rows send no signals
