"""API speed on PostgreSQL: 10,000 needs and 2,000 offers; the needs list with two filters
and a need's detail, in-process and through a production-style server under load.

The needs and offers lists (two filters, 20 a page) and a detail of each, signed in with a
token as a broker, a charity's member and a business's member; beside them, in the same run,
the reference: the public needs list and detail (signed out). Every read is cached per market
version and per what the reader may see (`api.views.listings`), so the signed-in cost over
the public one is reading the token and the reader's memberships (one query).

    .venv/bin/python bench/api_bench.py            # prints one JSON object
    .venv/bin/python bench/api_bench.py --region   # 192 real wards, 20k needs, 5k offers

With --region the market is the size of the West Midlands' seven metropolitan councils (its own
database, `brokerage_bench_region`) and the report adds the main list query's plan on
PostgreSQL (EXPLAIN ANALYZE of the signed-in needs list, as the ORM writes it, uncached).

Needs PostgreSQL (DATABASE_URL, default a `brokerage_bench` database on 127.0.0.1) and wrk
(Debian package). The server is gunicorn with 3 workers in production mode (and, for
comparison, uvicorn with 2); wrk runs 16 connections from a second process on loopback.
Throttling is off for the run (a load generator is one client hammering from one address).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.database import create_database  # noqa: E402

REGION = "--region" in sys.argv[1:]
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/"
    + ("brokerage_bench_region" if REGION else "brokerage_bench"),
)
ENV = os.environ | {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "brokerage.config.settings",
    "API_THROTTLE_ANON": "off",
    "API_THROTTLE_USER": "off",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
}
os.environ.update(ENV)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
NEEDS, OFFERS = (20_000, 5_000) if REGION else (10_000, 2_000)


def _setup() -> None:
    create_database(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.seed import seed_market
    from brokerage.models import Need

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    if Need.objects.count() != NEEDS:
        with connection.cursor() as cursor:  # start from a clean market
            cursor.execute(
                "TRUNCATE brokerage_needskill, brokerage_need_themes, brokerage_offerskill,"
                " brokerage_offer_wards, brokerage_matchevent, brokerage_match, brokerage_need,"
                " brokerage_offer, brokerage_membership, brokerage_organisation_wards_served,"
                " brokerage_organisation CASCADE"
            )
        seed_market(needs=NEEDS, offers=OFFERS, region=REGION)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    call_command("collectstatic", "--noinput", verbosity=0)  # production static storage


LISTS = {
    "needs_list": "/api/v1/needs/?ward=E05001222&category=hr-people",
    "offers_list": "/api/v1/offers/?ward=E05001222&category=hr-people",
}


def _urls(user) -> dict[str, str]:
    """The two lists (two filters, 20 a page) and a need and an offer the user may see in
    detail (a charity sees an offer only once matched to one of its needs: none, here)."""
    from brokerage import selectors

    urls = dict(LISTS)
    need = selectors.visible_needs(user).filter(status="open").order_by("pk").first()
    urls["need_detail"] = f"/api/v1/needs/{need.pk}/"
    offer = selectors.visible_offers(user).order_by("pk").first()
    if offer is not None:
        urls["offer_detail"] = f"/api/v1/offers/{offer.pk}/"
    return urls


def _suggestions_url() -> str:
    """A need's suggestions among the 2,000 open offers (the engine's market is built once
    per market version; the first request pays for it and is not timed)."""
    from brokerage.models import Need

    need = Need.objects.filter(status="open").order_by("pk").first()
    return f"/api/v1/needs/{need.pk}/suggestions/"


def _tokens() -> dict[str, tuple]:
    """A token each for a broker, a charity's member and a business's member (seeded
    organisations, so each sees its own drafts beside the open market)."""
    from knox.models import AuthToken

    from brokerage.models import Membership, Organisation, User

    council, _ = Organisation.objects.get_or_create(
        slug="bench-council",
        defaults={
            "kind": "council", "name": "Bench council", "contact_email": "c@example.org",
            "verification_status": "verified", "verified_at": "2026-01-01T00:00:00Z",
        },
    )  # fmt: skip
    organisations = {
        "broker": council,
        "charity": Organisation.objects.filter(kind="vcs").order_by("pk").first(),
        "business": Organisation.objects.filter(kind="business", offers__status="open")
        .order_by("pk")
        .first(),
    }
    tokens = {}
    for role, organisation in organisations.items():
        user, _ = User.objects.get_or_create(username=f"bench-{role}")
        Membership.objects.get_or_create(user=user, organisation=organisation)
        tokens[role] = (user, AuthToken.objects.create(user=user)[1])
    return tokens


def _in_process(url: str, token: str | None = None, count: int = 1000) -> dict:
    from django.test import Client

    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    client = Client(HTTP_HOST="localhost", **headers)
    assert client.get(url).status_code == 200
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * len(timings))], 2),
    }


SERVERS = {
    # Production HTTP: WSGI workers.
    "gunicorn": ["gunicorn", "brokerage.config.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                 "--workers", "3", "--log-level", "warning"],
    # The same app through the ASGI server, for comparison (production uses it for /ws/ only).
    "uvicorn": ["uvicorn", "brokerage.config.asgi:application", "--host", "127.0.0.1", "--port",
                str(PORT), "--workers", "2", "--no-access-log", "--log-level", "warning"],
}  # fmt: skip


def _under_load(
    urls: list[tuple[str, str | None]], server_name: str = "gunicorn", seconds: int = 15
) -> list[dict]:
    server_env = ENV | {"LOG_LEVEL": "WARNING"}
    command = SERVERS[server_name]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / command[0]), *command[1:]],
        cwd=ROOT,
        env=server_env,
    )
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/healthz")
        results = []
        for url, token in urls:
            target = f"http://127.0.0.1:{PORT}{url}"
            header = ["-H", f"Authorization: Token {token}"] if token else []
            subprocess.run(  # warm both workers' connections and caches
                ["wrk", "-t2", "-c16", "-d3s", *header, target], capture_output=True, check=True
            )
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    "-c16",
                    f"-d{seconds}s",
                    "-s",
                    str(ROOT / "bench/wrk_report.lua"),
                    *header,
                    target,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(url: str) -> None:
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


def _list_query_plan(token: str) -> list[str]:
    """EXPLAIN ANALYZE of the largest query behind the charity's signed-in needs list, read
    uncached (the market version moved first), as the ORM wrote it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from brokerage.infra import versions  # after django.setup() (it imports models)

    versions.MARKET.bump()
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LISTS["needs_list"]).status_code == 200
    listing = max(
        (
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT") and "brokerage_need" in q["sql"]
        ),
        key=len,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {listing}")
        return [listing, *(row[0] for row in cursor.fetchall())]


def main() -> None:
    _setup()
    from django.contrib.auth.models import AnonymousUser

    tokens = _tokens()
    public = _urls(AnonymousUser())
    # The reference: the public needs list, cached per market version (offers are not public).
    cases = {
        "needs_list public": (public["needs_list"], None),
        "need_detail public": (public["need_detail"], None),
    }
    urls = {"public": public}
    for role, (user, token) in tokens.items():
        urls[role] = _urls(user)
        cases |= {f"{name} {role}": (url, token) for name, url in urls[role].items()}
    in_process = {name: _in_process(url, token) for name, (url, token) in cases.items()}
    in_process["suggestions broker"] = _in_process(_suggestions_url(), tokens["broker"][1])
    under_load = dict(zip(cases, _under_load(list(cases.values())), strict=True))
    reference = under_load["needs_list public"]["rps"]
    signed_in = {name: row for name, row in under_load.items() if "public" not in name}
    report = {
        "database": "postgresql",
        "cache": "redis",
        "needs": NEEDS,
        "offers": OFFERS,
        "wards": "the West Midlands' 192" if REGION else "Coventry's 18",
        "urls": urls,
        "in_process_1000_requests": in_process,
        "server": "gunicorn --workers 3 (WSGI), production settings; wrk -t2 -c16 15 s",
        "under_load": under_load,
        "reference": "needs_list public (rps)",
        "signed_in_rps_vs_reference": {
            name: round(row["rps"] / reference, 2) for name, row in signed_in.items()
        },
        "signed_in_worst": {
            "rps_vs_reference": min(round(r["rps"] / reference, 2) for r in signed_in.values()),
            "p95_ms": max(r["p95_ms"] for r in signed_in.values()),
        },
    }
    (asgi_list,) = _under_load([cases["needs_list public"]], "uvicorn")
    report["under_load_uvicorn_needs_list_public"] = asgi_list
    if REGION:
        report["needs_list_query_plan"] = _list_query_plan(tokens["charity"][1])
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
