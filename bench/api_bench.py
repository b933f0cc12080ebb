"""API speed on PostgreSQL: 10,000 needs and 2,000 offers; the needs list with two filters
and a need's detail, in-process and through a production-style server under load.

Each is measured twice: signed out (public data, served from the cache keyed on the market
version, as real browsing and open-data readers are) and signed in as a broker with a token
(no response cache: the full query, count and representation work every time).

    .venv/bin/python bench/api_bench.py            # prints one JSON object

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

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brokerage_bench"
)
ENV = os.environ | {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "brokerage.settings",
    "API_THROTTLE_ANON": "off",
    "API_THROTTLE_USER": "off",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
}
os.environ.update(ENV)
PORT = 8765
NEEDS, OFFERS = 10_000, 2_000


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
        seed_market(needs=NEEDS, offers=OFFERS)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
    call_command("collectstatic", "--noinput", verbosity=0)  # production static storage


def _urls() -> tuple[str, str]:
    from brokerage.models import Need

    need = Need.objects.filter(status="open", ward__name="Foleshill").order_by("pk").first()
    return "/api/v1/needs/?ward=E05001222&category=hr-people", f"/api/v1/needs/{need.pk}/"


def _suggestions_url() -> str:
    """A need's suggestions among the 2,000 open offers (the engine's market is built once
    per market version; the first request pays for it and is not timed)."""
    from brokerage.models import Need

    need = Need.objects.filter(status="open").order_by("pk").first()
    return f"/api/v1/needs/{need.pk}/suggestions/"


def _broker_token() -> str:
    from knox.models import AuthToken

    from brokerage.models import Membership, Organisation, User

    council, _ = Organisation.objects.get_or_create(
        slug="bench-council",
        defaults={
            "kind": "council", "name": "Bench council", "contact_email": "c@example.org",
            "verification_status": "verified", "verified_at": "2026-01-01T00:00:00Z",
        },
    )  # fmt: skip
    user, _ = User.objects.get_or_create(username="bench-broker")
    Membership.objects.get_or_create(user=user, organisation=council)
    return AuthToken.objects.create(user=user)[1]


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
    "gunicorn": ["gunicorn", "brokerage.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
                 "--workers", "3", "--log-level", "warning"],
    # The same app through the ASGI server, for comparison (production uses it for /ws/ only).
    "uvicorn": ["uvicorn", "brokerage.asgi:application", "--host", "127.0.0.1", "--port",
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


def main() -> None:
    _setup()
    list_url, detail_url = _urls()
    token = _broker_token()
    cases = {
        "list_public": (list_url, None),
        "detail_public": (detail_url, None),
        "list_signed_in": (list_url, token),
        "detail_signed_in": (detail_url, token),
    }
    report = {
        "database": "postgresql",
        "cache": "redis",
        "needs": NEEDS,
        "offers": OFFERS,
        "list_url": list_url + " (20 a page)",
        "detail_url": detail_url,
        "in_process_1000_requests": {
            name: _in_process(url, token) for name, (url, token) in cases.items()
        }
        | {"suggestions_signed_in": _in_process(_suggestions_url(), token)},
        "server": "gunicorn --workers 3 (WSGI), production settings; wrk -t2 -c16 15 s",
        "under_load": dict(zip(cases, _under_load(list(cases.values())), strict=True)),
    }
    (asgi_list,) = _under_load([cases["list_public"]], "uvicorn")
    report["under_load_uvicorn_list_public"] = asgi_list
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
