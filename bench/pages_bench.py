"""Server time of the main pages for each kind of user, on the demo market and on a market
ten times larger (10,000 needs, 2,000 offers, 200+ organisations), in-process on
PostgreSQL with Redis as the cache: median and p95 per page at each size. (Query counts
per page are asserted in the test suite, not here.)

    .venv/bin/python bench/pages_bench.py            # prints one JSON object

Needs PostgreSQL (BENCH_DATABASE_URL, default a `brokerage_pages_bench` database on
127.0.0.1; it is emptied first) and Redis (REDIS_URL, default database 2 on 127.0.0.1).
Timings are the Django test client's round trip through the whole middleware stack (no
network, no server process): the server's share of a page view. The reference measured in
the same run is the public home page, so a noisy machine moves both.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.database import create_database  # noqa: E402

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "brokerage.settings",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brokerage_pages_bench"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/2"),
        "API_THROTTLE_ANON": "off",
        "API_THROTTLE_USER": "off",
        "NOTIFICATION_DELIVERY": "inline",
        "TASKS_IMMEDIATE": "1",
    }
)
REPEAT = int(os.environ.get("PAGES_BENCH_REPEAT", "30"))


def _setup_demo() -> None:
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    from brokerage.demo import seed_demo

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    call_command("load_reference_data", verbosity=0)
    settings.DEBUG = True  # the demo seeds only in the embedded mode; served with DEBUG off
    seed_demo(password="bench-password")
    settings.DEBUG = False


def _pages() -> dict[str, list[str]]:
    """The main pages each demo user opens, by username."""
    from brokerage.models import GapCase, Match, Need, Offer, Organisation

    business = Organisation.objects.get(contact_email="social.value@mercia-lighting.example")
    match = Match.objects.filter(offer__organisation=business).order_by("pk").first()
    need = Need.objects.filter(status="open").first()
    offer = Offer.objects.filter(organisation=business).first()
    case = GapCase.objects.first()
    return {
        "broker": [
            "/dashboard/", "/needs/", f"/needs/{need.pk}/", f"/matches/{match.pk}/",
            "/unmet-needs/", *([f"/unmet-needs/{case.pk}/"] if case else []), "/reports/",
            "/wards/", "/allocation/", "/audit/", "/exports/", "/notifications/",
            f"/organisations/{business.pk}/social-value/",
        ],
        "business": [
            "/dashboard/", f"/offers/{offer.pk}/", f"/matches/{match.pk}/",
            f"/organisations/{business.pk}/volunteers/",
            f"/organisations/{business.pk}/social-value/", "/notifications/",
        ],
        "charity": [
            "/dashboard/", "/needs/", f"/needs/{need.pk}/", f"/matches/{match.pk}/"
            if match.need.organisation.memberships.filter(user__username="charity").exists()
            else "/needs/", "/notifications/",
        ],
        "volunteer": ["/dashboard/", "/volunteering/needs/", "/account/"],
        None: ["/", "/needs/"],  # signed out
    }  # fmt: skip


def _measure(pages: dict) -> dict:
    from django.test import Client

    from brokerage.models import User

    found = {}
    for username, paths in pages.items():
        client = Client(HTTP_HOST="localhost")
        if username:
            client.force_login(User.objects.get(username=username))
        for path in paths:
            first = client.get(path)
            assert first.status_code == 200, (username, path, first.status_code)
            timings = []
            for _ in range(REPEAT):
                start = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            found[f"{username or 'anonymous'} {path}"] = {
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 2),
            }
    return found


def main() -> None:
    _setup_demo()
    from bench.seed import seed_market
    from brokerage.models import Need, Offer, Organisation
    from brokerage.services import gap_cases

    pages = _pages()
    demo = _measure(pages)
    seed_market(needs=10_000 - Need.objects.count(), offers=2_000 - Offer.objects.count())
    gap_cases.sweep()  # as the worker would after the market grew
    large = _measure(pages)
    market = {"needs": Need.objects.count(), "offers": Offer.objects.count(),
              "organisations": Organisation.objects.count()}  # fmt: skip
    rows = {page: {"demo": demo[page], "x10": large[page]} for page in demo}
    reference = rows["anonymous /"]
    print(
        json.dumps(
            {
                "repeat": REPEAT,
                "market_x10": market,
                "reference": "anonymous / (the public home page)",
                "worst_p95_ms": {
                    "demo": max(r["demo"]["p95_ms"] for r in rows.values()),
                    "x10": max(r["x10"]["p95_ms"] for r in rows.values()),
                },
                "worst_p95_vs_reference": {
                    "demo": round(
                        max(r["demo"]["p95_ms"] for r in rows.values())
                        / reference["demo"]["p95_ms"],
                        2,
                    ),
                    "x10": round(
                        max(r["x10"]["p95_ms"] for r in rows.values()) / reference["x10"]["p95_ms"],
                        2,
                    ),
                },
                "pages_over_100ms_p95_at_x10": sorted(
                    p for p, r in rows.items() if r["x10"]["p95_ms"] > 100
                ),
                "pages": rows,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
