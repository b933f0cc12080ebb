"""Live notifications under load: a real ASGI server (uvicorn, one process) with the Redis
channel layer on loopback, and WebSocket clients in a second process (bench/ws_clients.py).

    .venv/bin/python bench/ws_bench.py                 # both channel layers; prints JSON
    .venv/bin/python bench/ws_bench.py --layer pubsub  # or one of them
    .venv/bin/python bench/ws_bench.py --port 9100 --redis-url redis://127.0.0.1:6379/5

The per-user and broadcast phases run twice on the same server, layer and clients: against
a bare Channels consumer (bench/bare_asgi.py: joins the user's group, forwards what it gets)
and against the product's, so the ratio means something on a noisy machine.

Phases, each on a freshly started server:
- per_user: 1,000 clients (one user each); this process writes notifications from
  PRODUCERS threads, one per transaction as the services do, paced at RATE per second in
  all, round-robin over the users;
  delivery latency = the client's receipt time − the notification's created_at.
- broadcast: 1,000 brokers connected; 10 notifications to all brokers (one `notify` each).
- idle: 2,000 connections held open; the server process's resident memory.
- resume: a user misses 1,000 notifications, reconnects and resumes; time to the last one.
Lost and duplicated messages are counted against the database (every row written for a
connected user must arrive exactly once).

Needs PostgreSQL (BENCH_WS_DATABASE_URL, default `brokerage_bench_ws` on 127.0.0.1, created
if missing). Redis: by default a private redis-server started on a free port (and emptied
between phases: it is the bench's own); `--redis-url` uses another, and never empties it.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.database import create_database  # noqa: E402

DATABASE_URL = os.environ.get(
    "BENCH_WS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/brokerage_bench_ws"
)
REDIS_URL = ""  # set by main(): a private redis-server, or --redis-url
PRIVATE_REDIS = False
ENV = os.environ | {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "brokerage.config.settings",
    "LOG_LEVEL": "WARNING",
}
PORT = 0  # set by main(): --port, or a free one
PRODUCT, BARE = "/ws/notifications/", "/ws/bare/"
BROKERS, PLAIN = 1_000, 2_000
RATE, PER_USER_SECONDS = 600, 10
PRODUCERS = 4  # threads writing notifications, as several web workers would
BROADCASTS = 10


def _setup(layer: str) -> dict:
    """Users (1,000 brokers, 2,000 others, one who resumes), a fresh token each, a subject."""
    os.environ.update(ENV | {"CHANNEL_LAYER": layer, "REDIS_URL": REDIS_URL})
    import django

    django.setup()
    from django.core.management import call_command
    from knox.models import AuthToken

    from brokerage.models import Council, Membership, Notification, Offer, Organisation, User

    call_command("migrate", verbosity=0)
    coventry, _ = Council.objects.get_or_create(gss_code="E08000026", defaults={"name": "Coventry"})
    if not User.objects.filter(username="wsbench-resume").exists():
        council = Organisation.objects.create(
            slug="wsbench-council", kind="council", name="Bench council", council=coventry,
            contact_email="c@example.org", verification_status="verified",
            verified_at="2026-01-01T00:00:00Z",
        )  # fmt: skip
        business = Organisation.objects.create(
            slug="wsbench-business", kind="business", name="Bench business", council=coventry,
            contact_email="b@example.org", verification_status="verified",
            verified_at="2026-01-01T00:00:00Z",
        )  # fmt: skip
        Offer.objects.create(
            organisation=business, title="Bench offer", volunteers=1, days_offered=1,
            available_from="2026-01-01", available_until="2027-12-31",
        )  # fmt: skip
        users = User.objects.bulk_create(
            User(username=f"wsbench-{i:04d}") for i in range(BROKERS + PLAIN)
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=council) for user in users[:BROKERS]
        )
        User.objects.create(username="wsbench-resume")
    Notification.objects.filter(recipient__username__startswith="wsbench-").delete()
    AuthToken.objects.filter(user__username__startswith="wsbench-").delete()
    users = list(User.objects.filter(username__startswith="wsbench-").order_by("username"))
    tokens = {user.pk: AuthToken.objects.create(user=user)[1] for user in users}
    resume_user = next(u for u in users if u.username == "wsbench-resume")
    numbered = [u for u in users if u is not resume_user]
    return {
        "brokers": [(u.pk, tokens[u.pk]) for u in numbered[:BROKERS]],
        "plain": [(u.pk, tokens[u.pk]) for u in numbered[BROKERS:]],
        "resume": (resume_user.pk, tokens[resume_user.pk]),
        "subject": Offer.objects.get(title="Bench offer"),
    }


class Server:
    def __init__(self, layer: str):
        self.layer = layer

    def __enter__(self) -> "Server":
        if PRIVATE_REDIS:  # the bench's own server: start each phase on an empty one
            subprocess.run(
                ["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True
            )
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "uvicorn"), "bench.bare_asgi:application",
             "--host", "127.0.0.1", "--port", str(PORT), "--no-access-log",
             "--log-level", "warning", "--ws-max-queue", "1024"],
            cwd=ROOT, env=ENV | {"CHANNEL_LAYER": self.layer, "REDIS_URL": REDIS_URL},
        )  # fmt: skip
        for _ in range(200):
            try:
                import socket

                socket.create_connection(("127.0.0.1", PORT), timeout=0.1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
        raise RuntimeError("no VmRSS")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Clients:
    """The client process: connect and resume, then collect until told to stop."""

    def __init__(self, tokens: list, path: str = PRODUCT):
        places = _last_places([user_id for user_id, _ in tokens])
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump([[u, t, places.get(u, 0)] for u, t in tokens], file)
        self.file = file
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "ws_clients.py"),
             f"ws://127.0.0.1:{PORT}{path}", self.file.name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.ready = json.loads(self.process.stdout.readline())
        if self.ready["failed"]:
            raise RuntimeError(f"clients failed to connect: {self.ready}")

    def stop(self) -> dict:
        self.process.stdin.write("stop\n")
        self.process.stdin.flush()
        result = json.loads(self.process.stdout.readline())
        self.process.wait(timeout=60)
        os.unlink(self.file.name)
        return result


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)
    if not values:
        return {}
    pick = lambda q: round(values[min(len(values) - 1, int(q * len(values)))], 1)  # noqa: E731
    return {"median_ms": round(statistics.median(values), 1), "p95_ms": pick(0.95),
            "p99_ms": pick(0.99), "max_ms": round(values[-1], 1)}  # fmt: skip


def _lost_and_duplicated(received: dict, user_ids: list[int], after: int) -> dict:
    from brokerage.models import Notification

    expected: dict[int, set[int]] = {}
    for pk, recipient in Notification.objects.filter(
        recipient_id__in=user_ids, pk__gt=after
    ).values_list("pk", "recipient_id"):
        expected.setdefault(recipient, set()).add(pk)
    lost = duplicated = stray = 0
    for user_id in user_ids:
        got = received.get(str(user_id), [])
        want = expected.get(user_id, set())
        lost += len(want - set(got))
        duplicated += len(got) - len(set(got))
        stray += len(set(got) - want)  # another user's notification: must never happen
    return {"expected": sum(map(len, expected.values())), "lost": lost,
            "duplicated": duplicated, "wrong_recipient": stray}  # fmt: skip


def _last_places(user_ids: list[int]) -> dict[int, int]:
    """Each user's last inbox place: where a client that has seen everything resumes."""
    from brokerage.models import InboxSequence

    rows = InboxSequence.objects.filter(user_id__in=user_ids).values_list("user_id", "last_seq")
    return dict(rows)


def _last_id() -> int:
    from brokerage.models import Notification

    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _notify(recipients, subject, text: str) -> None:
    from django.db import transaction

    from brokerage.messaging.outbox import notify

    with transaction.atomic():
        notify(recipients=recipients, kind="offer_published", text=text,
               subject=subject)  # fmt: skip


def _use_layer(layer: str) -> None:
    """This process writes the notifications and pushes them: use the server's layer (the
    same two configurations as brokerage/config/settings.py)."""
    from channels.layers import channel_layers
    from django.conf import settings

    config = {"hosts": [REDIS_URL]}
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                    "CONFIG": config | {"capacity": 1000, "expiry": 60}}
        if layer == "core"
        else {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer", "CONFIG": config}
    }  # fmt: skip
    channel_layers.backends = {}


def per_user(layer: str, data: dict) -> dict:
    """The same load against the bare consumer, then the product's, on one server."""
    with Server(layer):
        bare, product = _per_user(data, BARE), _per_user(data, PRODUCT)
    return {"bare": bare, "product": product, **_ratios(bare, product)}


def _per_user(data: dict, path: str) -> dict:
    from brokerage.models import User

    users = {u.pk: u for u in User.objects.filter(pk__in=[pk for pk, _ in data["plain"][:1000]])}
    order = [users[pk] for pk, _ in data["plain"][:1000]]
    after = _last_id()
    clients = Clients(data["plain"][:1000], path)
    total = RATE * PER_USER_SECONDS
    start = time.perf_counter()

    def produce(first: int) -> None:  # one writer, as one web worker would be
        from django.db import connection

        for i in range(first, total, PRODUCERS):
            delay = start + i / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            _notify([order[i % len(order)]], data["subject"], f"per-user {i}")
        connection.close()

    with ThreadPoolExecutor(PRODUCERS) as pool:
        list(pool.map(produce, range(PRODUCERS)))
    produced_in = time.perf_counter() - start
    time.sleep(3)  # let the last ones arrive
    result = clients.stop()
    return {
        "clients": clients.ready["connected"],
        "connect_seconds": clients.ready["connect_seconds"],
        "notifications": total,
        "rate_per_second": round(total / produced_in),
        **_percentiles(result["latencies_ms"]),
        **_lost_and_duplicated(result["received"], list(users), after),
    }


def _ratios(bare: dict, product: dict) -> dict:
    """The product's latency as a multiple of the bare consumer's, in the same run."""
    return {
        f"{key}_vs_bare": round(product[key] / bare[key], 2)
        for key in ("median_ms", "p99_ms")
        if bare.get(key) and product.get(key)
    }


def broadcast(layer: str, data: dict) -> dict:
    with Server(layer):
        bare, product = _broadcast(data, BARE), _broadcast(data, PRODUCT)
    return {"bare": bare, "product": product, **_ratios(bare, product)}


def _broadcast(data: dict, path: str) -> dict:
    from brokerage.messaging.outbox import brokers

    after = _last_id()
    clients = Clients(data["brokers"], path)
    recipients = brokers()
    for i in range(BROADCASTS):
        _notify(recipients, data["subject"], f"broadcast {i}")
        time.sleep(1)
    time.sleep(2)
    result = clients.stop()
    return {
        "clients": clients.ready["connected"],
        "broadcasts": BROADCASTS,
        **_percentiles(result["latencies_ms"]),
        **_lost_and_duplicated(result["received"], [pk for pk, _ in data["brokers"]], after),
    }


def idle(layer: str, data: dict) -> dict:
    tokens = data["brokers"] + data["plain"][: 2000 - len(data["brokers"])]
    with Server(layer) as server:
        time.sleep(1)
        before = server.rss_mb()
        clients = Clients(tokens)
        time.sleep(5)
        held = server.rss_mb()
        clients.stop()
    return {"connections": clients.ready["connected"], "connect_seconds":
            clients.ready["connect_seconds"], "rss_mb_before": before, "rss_mb_with_all": held,
            "kb_per_connection": round((held - before) * 1024 / len(tokens), 1)}  # fmt: skip


def resume(layer: str, data: dict) -> dict:
    import asyncio

    import websockets

    from brokerage.messaging import delivery
    from brokerage.models import User

    user_id, token = data["resume"]
    user = User.objects.get(pk=user_id)
    after = _last_id()
    seen = _last_places([user_id]).get(user_id, 0)
    from django.db import transaction

    with transaction.atomic():  # missed while offline (no socket: the pushes reach nobody)
        for i in range(1000):
            _notify([user], data["subject"], f"missed {i}")
    delivery.drain()  # placed before the server starts
    last = _last_id()

    async def reconnect() -> tuple[float, int]:
        async with websockets.connect(
            f"ws://127.0.0.1:{PORT}{PRODUCT}",
            subprotocols=["notifications", f"token.{token}"],
            max_queue=None,
        ) as socket:
            start = time.perf_counter()
            await socket.send(json.dumps({"type": "resume", "after": seen}))
            count = 0
            while True:
                message = json.loads(await socket.recv())
                if message["type"] == "notification":
                    count += 1
                if message["type"] == "unread_count":
                    return (time.perf_counter() - start) * 1000, count

    with Server(layer):
        elapsed, count = asyncio.run(reconnect())
    assert count == 1000 and last - after >= 1000, (count, last - after)
    return {"missed": 1000, "delivered": count, "time_to_last_ms": round(elapsed, 1)}


def main() -> None:
    global PORT, REDIS_URL, PRIVATE_REDIS
    parser = argparse.ArgumentParser()
    parser.add_argument("--layer", choices=["core", "pubsub", "both"], default="both")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: free)")
    parser.add_argument("--redis-url", default="", help="default: a private redis-server")
    args = parser.parse_args()
    PORT = args.port or _free_port()
    private = None if args.redis_url else _start_private_redis()
    REDIS_URL, PRIVATE_REDIS = args.redis_url or private[1], private is not None
    os.environ["REDIS_URL"] = REDIS_URL
    try:
        _main(args)
    finally:
        if private is not None:
            private[0].terminate()
            private[0].wait(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_private_redis() -> tuple[subprocess.Popen, str]:
    import socket

    port = _free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def _main(args) -> None:
    create_database(DATABASE_URL)
    layers = ["core", "pubsub"] if args.layer == "both" else [args.layer]
    data = _setup(layers[0])
    report = {"server": "uvicorn, 1 process", "database": "PostgreSQL", "layers": {}}
    for layer in layers:
        _use_layer(layer)
        report["layers"][layer] = {
            phase.__name__: phase(layer, data) for phase in (per_user, broadcast, idle, resume)
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
