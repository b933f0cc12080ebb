"""Signing in, against the one thing it must cost: checking the password's hash.

The sign-in page (POST /sign-in/) and the API's token exchange (POST /api/v1/auth/token/),
each timed in-process through the whole middleware stack on PostgreSQL and Redis, with the
production password hasher; the reference in the same run is one `check_password` on the
same stored hash. Target (issue 16): sign-in median <= 1.2x one hash.

    .venv/bin/python bench/sign_in_bench.py            # prints one JSON object

Needs PostgreSQL (BENCH_DATABASE_URL, default a `brokerage_sign_in_bench` database on
127.0.0.1; its users are replaced) and Redis (REDIS_URL, default database 3 on 127.0.0.1).
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
from bench.timings import summary  # noqa: E402

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "brokerage.config.settings",
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brokerage_sign_in_bench"
        ),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "API_THROTTLE_ANON": "off",
        "API_THROTTLE_USER": "off",
        "API_THROTTLE_LOGIN": "off",  # one client signing in over and over is the point here
        "NOTIFICATION_DELIVERY": "inline",
    }
)
REPEAT = int(os.environ.get("SIGN_IN_BENCH_REPEAT", "15"))
PASSWORD = "a long bench password 4 sign-in"


def _setup() -> None:
    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from brokerage.models import Council, Organisation, User

    User.objects.filter(username__startswith="bench-").delete()
    Organisation.objects.filter(slug="bench-sign-in").delete()
    coventry, _ = Council.objects.get_or_create(gss_code="E08000026", defaults={"name": "Coventry"})
    organisation = Organisation.objects.create(
        kind="vcs", name="Bench sign-in", slug="bench-sign-in", contact_email="s@example.org",
        council=coventry,
    )  # fmt: skip
    user = User.objects.create_user("bench-member", "m@example.org", PASSWORD)
    organisation.memberships.create(user=user, role="admin")


def main() -> None:
    _setup()
    from django.contrib.auth.hashers import check_password, get_hasher
    from django.test import Client

    from brokerage.models import User

    stored = User.objects.get(username="bench-member").password
    Client(HTTP_HOST="localhost").get("/sign-in/")  # warm: templates, URL resolver
    hashes, pages, tokens = [], [], []
    for _ in range(REPEAT):  # interleaved, so a busy spell hits all three alike
        start = time.perf_counter()
        assert check_password(PASSWORD, stored)
        hashes.append((time.perf_counter() - start) * 1000)

        client = Client(HTTP_HOST="localhost")
        start = time.perf_counter()
        answer = client.post("/sign-in/", {"username": "bench-member", "password": PASSWORD})
        pages.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 302, answer.status_code

        start = time.perf_counter()
        answer = Client(HTTP_HOST="localhost").post(
            "/api/v1/auth/token/",
            {"username": "bench-member", "password": PASSWORD},
            content_type="application/json",
        )
        tokens.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.status_code
    reference = statistics.median(hashes)
    print(
        json.dumps(
            {
                "repeat": REPEAT,
                "hasher": get_hasher().algorithm,
                "reference_one_hash": summary(hashes),
                "sign_in_page": summary(pages),
                "api_token": summary(tokens),
                "sign_in_page_vs_one_hash": round(statistics.median(pages) / reference, 2),
                "api_token_vs_one_hash": round(statistics.median(tokens) / reference, 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
