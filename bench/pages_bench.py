"""Server time of the main pages for each kind of user, on the demo market and on a market
ten times larger (10,000 needs, 2,000 offers, 200+ organisations), in-process on
PostgreSQL with Redis as the cache: median and p95 per page at each size. (Query counts
per page are asserted in the test suite, not here.)

    .venv/bin/python bench/pages_bench.py            # prints one JSON object
    .venv/bin/python bench/pages_bench.py --region   # the large market is a region's instead:
                                                     # 192 real wards, 20,000 needs, 5,000 offers

Needs PostgreSQL (BENCH_DATABASE_URL, default a `brokerage_pages_bench` database on
127.0.0.1; it is emptied first) and Redis (REDIS_URL, default database 2 on 127.0.0.1).
Timings are the Django test client's round trip through the whole middleware stack (no
network, no server process): the server's share of a page view. The reference measured in
the same run is the public home page, so a noisy machine moves both.
"""

import json
import os
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
            "BENCH_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/brokerage_pages_bench"
            + ("_region" if "--region" in sys.argv[1:] else ""),
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/2"),
        "API_THROTTLE_ANON": "off",
        "API_THROTTLE_USER": "off",
        "NOTIFICATION_DELIVERY": "inline",
        "TASKS_IMMEDIATE": "1",
        "TASK_QUEUE": "pages-bench",  # publishing queues jobs here, flushed after
    }
)
REPEAT = int(os.environ.get("PAGES_BENCH_REPEAT", "30"))
REGION = "--region" in sys.argv[1:]
LARGE = "region" if REGION else "x10"  # the second market's name in the report


def _setup_demo() -> None:
    emptied_with_reference_data()
    from django.conf import settings

    from brokerage.datasets.demo import seed_demo

    settings.DEBUG = True  # the demo seeds only in the embedded mode; served with DEBUG off
    seed_demo(password="bench-password")
    settings.DEBUG = False
    analyze()


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

    from brokerage.infra import startup
    from brokerage.models import User

    startup.settle()  # as the server's entry points do once the application is loaded

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
            found[f"{username or 'anonymous'} {path}"] = summary(timings)
    return found


def _drafts(count: int) -> tuple[list, list]:
    """Drafts for the demo charity's member and the demo business's admin to publish."""
    import datetime as dt

    from django.utils import timezone

    from brokerage.models import Organisation, Skill, User, Ward
    from brokerage.services import needs, offers

    charity, business = User.objects.get(username="charity"), User.objects.get(username="business")
    skills = list(Skill.objects.order_by("pk")[:3])
    ward = Ward.objects.order_by("pk").first()
    today = timezone.localdate()
    need_drafts = [
        needs.create_need(
            organisation=Organisation.objects.get(memberships__user=charity),
            by=charity, title=f"Bench request {i}", ward=ward, days_needed=3,
            needed_by=today + dt.timedelta(days=60), skills={skills[0]: True, skills[1]: False},
        )
        for i in range(count)
    ]  # fmt: skip
    offer_drafts = [
        offers.create_offer(
            organisation=Organisation.objects.get(memberships__user=business),
            by=business, title=f"Bench offer {i}", volunteers=2, days_offered=4,
            available_from=today, available_until=today + dt.timedelta(days=90),
            skills={skill: "experienced" for skill in skills[1:]},
        )
        for i in range(count)
    ]  # fmt: skip
    return need_drafts, offer_drafts


def _publishing() -> dict:
    """Server time of publishing a draft need (a charity's member) and offer (a business's
    admin): the Publish button's POST, and that POST with the page it leads to (the listing
    with its suggestions). As in production, notifications are delivered by the process's
    delivery thread and the engine's work (announcing fits, gap cases) is queued for the
    worker after the commit, not run in the request."""
    from django.conf import settings
    from django.test import Client
    from huey.contrib.djhuey import HUEY

    from brokerage.models import User

    need_drafts, offer_drafts = _drafts(REPEAT + 1)
    found = {}
    HUEY.immediate, settings.NOTIFICATION_DELIVERY = False, "thread"
    try:
        for username, kind, drafts in (
            ("charity", "need", need_drafts),
            ("business", "offer", offer_drafts),
        ):
            client = Client(HTTP_HOST="localhost")
            client.force_login(User.objects.get(username=username))
            client.post(f"/{kind}s/{drafts[0].pk}/publish/")  # warm
            posts, journeys = [], []
            for draft in drafts[1:]:
                start = time.perf_counter()
                answer = client.post(f"/{kind}s/{draft.pk}/publish/")
                posts.append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 302, answer.status_code
                assert client.get(answer.url).status_code == 200
                journeys.append((time.perf_counter() - start) * 1000)
            found[f"publish {kind}: POST"] = summary(posts)
            found[f"publish {kind}: POST and the page it opens"] = summary(journeys)
    finally:
        HUEY.flush()
        HUEY.immediate, settings.NOTIFICATION_DELIVERY = True, "inline"
    return found


def main() -> None:
    _setup_demo()
    from bench.seed import seed_market
    from brokerage.models import Need, Offer, Organisation
    from brokerage.services import gap_cases

    pages = _pages()
    demo = _measure(pages)
    demo_publishing = _publishing()
    needs, offers = (20_000, 5_000) if REGION else (10_000, 2_000)
    seed_market(
        needs=needs - Need.objects.count(), offers=offers - Offer.objects.count(), region=REGION
    )
    gap_cases.sweep()  # as the worker would after the market grew
    analyze()
    large = _measure(pages)
    large_publishing = _publishing()
    market = {"needs": Need.objects.count(), "offers": Offer.objects.count(),
              "organisations": Organisation.objects.count()}  # fmt: skip
    rows = {page: {"demo": demo[page], LARGE: large[page]} for page in demo}
    reference = rows["anonymous /"]
    print(
        json.dumps(
            {
                "repeat": REPEAT,
                f"market_{LARGE}": market,
                "reference": "anonymous / (the public home page)",
                "worst_p95_ms": {
                    "demo": max(r["demo"]["p95_ms"] for r in rows.values()),
                    LARGE: max(r[LARGE]["p95_ms"] for r in rows.values()),
                },
                "worst_p95_vs_reference": {
                    "demo": round(
                        max(r["demo"]["p95_ms"] for r in rows.values())
                        / reference["demo"]["p95_ms"],
                        2,
                    ),
                    LARGE: round(
                        max(r[LARGE]["p95_ms"] for r in rows.values()) / reference[LARGE]["p95_ms"],
                        2,
                    ),
                },
                f"pages_over_100ms_p95_at_{LARGE}": sorted(
                    p for p, r in rows.items() if r[LARGE]["p95_ms"] > 100
                ),
                "publishing": {
                    step: {"demo": demo_publishing[step], LARGE: large_publishing[step]}
                    for step in demo_publishing
                },
                "pages": rows,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
