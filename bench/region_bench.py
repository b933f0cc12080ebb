"""The region at its full size (issue 24): the West Midlands' 192 real wards and their
adjacency, 20,000 needs and 5,000 offers, on PostgreSQL with Redis. Prints one JSON object:

- the engine's market built from scratch (what every change cost each process before the
  change log, and what a process still pays at its first request or the day's turn);
- the first suggestions after a change, in the process that made it and in another one
  (`bench/market_reader.py`): the change applied from the log, then the suggestions;
- the same suggestions with nothing changed, for reference;
- allocation for one council (Coventry, Solihull) and for the whole region: the optimal plan's
  time and the share of offered days it places, against a greedy pass on the same candidates.

    .venv/bin/python bench/region_bench.py      # about five minutes, most of it seeding

Needs PostgreSQL (BENCH_DATABASE_URL, default a `brokerage_region_bench` database on
127.0.0.1; emptied first) and Redis (REDIS_URL, default database 3 on 127.0.0.1).
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.database import analyze, emptied_with_reference_data  # noqa: E402
from bench.timings import summary  # noqa: E402

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "brokerage.config.settings",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brokerage_region_bench"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "NOTIFICATION_DELIVERY": "inline",
        "TASKS_IMMEDIATE": "1",
    }
)
CHANGES = int(os.environ.get("REGION_BENCH_CHANGES", "40"))
COVENTRY, SOLIHULL, REGION = "E08000026", "E08000029", "E47000007"


def _setup() -> None:
    emptied_with_reference_data()
    from bench.seed import seed_market

    seed_market(needs=20_000, offers=5_000, region=True)
    analyze()


def _full_builds(repeat: int = 5) -> dict:
    from brokerage import matchmaking

    timings = []
    for _ in range(repeat):
        matchmaking.forget_market()
        start = time.perf_counter()
        matchmaking.current_market()
        timings.append((time.perf_counter() - start) * 1000)
    return summary(timings)


def _change(rng: random.Random, step: int) -> None:
    """One change as a user makes it, in its own transaction: a need published, an offer's
    days edited, a need closed, in turn."""
    from django.db import transaction
    from django.utils import timezone

    from brokerage.models import ListingStatus, Need, NeedSkill, Offer, Skill

    with transaction.atomic():
        kind = step % 3
        if kind == 0:
            model = Need.objects.filter(status=ListingStatus.OPEN).order_by("?").first()
            need = Need.objects.create(
                organisation_id=model.organisation_id, ward_id=model.ward_id,
                title=f"Bench need {step}", description="Published by the bench.",
                days_needed=3, needed_by=model.needed_by, status=ListingStatus.OPEN,
                published_at=timezone.now(),
            )  # fmt: skip
            NeedSkill.objects.create(
                need=need, skill=Skill.objects.order_by("?").first(), must_have=True
            )
        elif kind == 1:
            offer = Offer.objects.filter(status=ListingStatus.OPEN).order_by("?").first()
            offer.days_offered = offer.days_reserved + rng.randint(1, 20)
            offer.save(update_fields=["days_offered"])
        else:
            need = Need.objects.filter(status=ListingStatus.OPEN).order_by("?").first()
            need.status = ListingStatus.CLOSED
            need.save(update_fields=["status"])


def _after_changes() -> dict:
    """First suggestions after each change: here (the writer) and in another process."""
    from brokerage import matchmaking
    from brokerage.models import ListingStatus, Need

    rng = random.Random(5)
    reader = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "market_reader.py")],
        env=os.environ.copy(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdout.readline().strip() == "ready"
    open_needs = list(Need.objects.filter(status=ListingStatus.OPEN).values_list("pk", flat=True))
    here, there, steady = [], [], []
    matchmaking.current_market()
    try:
        for step in range(CHANGES):
            _change(rng, step)
            need = Need.objects.get(pk=rng.choice(open_needs))
            start = time.perf_counter()
            matchmaking.suggestions_for_need(need)
            here.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            matchmaking.suggestions_for_need(need)
            steady.append((time.perf_counter() - start) * 1000)
            reader.stdin.write(f"{need.pk}\n")
            reader.stdin.flush()
            there.append(float(reader.stdout.readline()))
    finally:
        reader.stdin.close()
        reader.wait(30)
    return {
        "in the process that made the change": summary(here),
        "in another process": summary(there),
        "nothing changed (reference)": summary(steady),
    }


def _allocations() -> dict:
    import numpy as np

    import matching
    import matching.allocation
    from brokerage import matchmaking
    from brokerage.access.places import with_constituents
    from brokerage.models import Ward

    market = matchmaking.current_market()
    excluded = matchmaking.excluded_pairs()
    found = {}
    for name, council in (("Coventry", COVENTRY), ("Solihull", SOLIHULL), ("region", REGION)):
        wards = frozenset(
            Ward.objects.filter(council_id__in=with_constituents([council])).values_list(
                "pk", flat=True
            )
        )
        options = matching.AllocationOptions(wards=wards, exclude_pairs=excluded)
        seconds, plans = [], []
        for _ in range(3):
            start = time.perf_counter()
            plans.append(matching.allocate(market, options))
            seconds.append(time.perf_counter() - start)
        start = time.perf_counter()
        greedy = matching.allocate_greedy(market, options)
        greedy_seconds = time.perf_counter() - start
        plan = plans[0]
        # The days on offer to the area: those of every offer with a feasible pair in it.
        able = np.unique(matching.allocation.candidates(market, options).offers)
        offered = int(market.offer_days[able].sum())
        found[name] = {
            "needs_considered": plan.needs_considered,
            "optimal_seconds_median": round(statistics.median(seconds), 3),
            "greedy_seconds": round(greedy_seconds, 3),
            "days_placed": {"optimal": plan.days_placed, "greedy": greedy.days_placed},
            "need_days_in_area": plan.need_days,
            "days_on_offer_to_the_area": offered,
            "share_of_need_days_placed": {
                "optimal": round(plan.days_placed / max(plan.need_days, 1), 3),
                "greedy": round(greedy.days_placed / max(greedy.need_days, 1), 3),
            },
            "share_of_offered_days_placed": {
                "optimal": round(plan.days_placed / max(offered, 1), 3),
                "greedy": round(greedy.days_placed / max(offered, 1), 3),
            },
            "objective": {
                "optimal": round(plan.objective, 2),
                "greedy": round(greedy.objective, 2),
            },
        }
    return found


def main() -> None:
    _setup()
    from django.db.models import F

    from brokerage.models import Need, Offer, Ward

    builds = _full_builds()
    changes = _after_changes()
    allocations = _allocations()
    print(
        json.dumps(
            {
                "market": {
                    "needs": Need.objects.count(),
                    "offers": Offer.objects.count(),
                    "wards": Ward.objects.count(),
                    "cross_council_neighbour_pairs": Ward.neighbours.through.objects.filter(
                        from_ward__council_id__lt=F("to_ward__council_id")
                    ).count(),
                },
                "market built from scratch": builds,
                f"first suggestions after a change ({CHANGES} changes)": changes,
                "allocation": allocations,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
