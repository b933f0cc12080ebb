"""The delivery guarantee in the production shape: gunicorn for HTTP, uvicorn for /ws/,
PostgreSQL, and a private Redis. Eight writers propose and cancel matches through the API
while the broker's sockets listen, one staying open and one dropping and resuming at random
moments; every committed notification for the broker arrives on each exactly once, in
order. Then the same with Redis stopped for five seconds in the middle: the API never
answers 5xx, and nothing is lost."""

import asyncio
import json
import random
import threading
import time
import urllib.error
import urllib.request

import pytest
import websockets
from django.db import connection
from knox.models import AuthToken

from brokerage.models import InboxSequence, Notification
from tests import factories
from tests.realtime.servers import PrivateRedis, production_shape

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WRITERS, SECONDS = 8, 10


@pytest.fixture
def redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def market():
    """A broker, and a business–charity pair per writer with an offer and a need."""
    council = factories.CouncilFactory()
    broker = factories.MembershipFactory(organisation=council).user
    pairs = []
    for _ in range(WRITERS):
        offer, need = factories.OfferFactory(days_offered=50), factories.NeedFactory(days_needed=50)
        member = factories.MembershipFactory(organisation=offer.organisation).user
        pairs.append((AuthToken.objects.create(user=member)[1], offer.pk, need.pk))
    return AuthToken.objects.create(user=broker)[1], broker, pairs


def _post(base: str, token: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{base}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, {}


def _write(base: str, token: str, offer: int, need: int, until: float, statuses: list) -> None:
    """Propose, then cancel, again and again: each notifies the broker."""
    while time.monotonic() < until:
        status, match = _post(
            base, token, "/api/v1/matches/", {"offer": offer, "need": need, "days": 1}
        )
        statuses.append(status)
        if status == 201:
            statuses.append(_post(base, token, f"/api/v1/matches/{match['id']}/cancel/", {})[0])


class Listener:
    """A broker's socket that records every notification's place; `drops` makes it close
    and resume from its last place at random moments."""

    def __init__(self, ws_base: str, token: str, *, drops: bool) -> None:
        self.url, self.token, self.drops = f"{ws_base}/ws/notifications/", token, drops
        self.seen: list[int] = []
        self.closes: list[int] = []

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self._session(stop)
            except (OSError, websockets.WebSocketException) as closed:  # refused or dropped
                self.closes.append(type(closed).__name__)
                await asyncio.sleep(0.2)

    async def _session(self, stop: asyncio.Event) -> None:
        async with websockets.connect(
            self.url, subprotocols=["notifications", f"token.{self.token}"]
        ) as ws:
            last = self.seen[-1] if self.seen else 0
            await ws.send(json.dumps({"type": "resume", "after": last}))
            drop_at = time.monotonic() + random.uniform(0.5, 2) if self.drops else None
            while not stop.is_set():
                if drop_at and time.monotonic() > drop_at:
                    return  # the client goes away; it resumes on the next loop
                try:
                    message = json.loads(await asyncio.wait_for(ws.recv(), 0.2))
                except TimeoutError:
                    continue
                if message["type"] == "notification":
                    self.seen.append(message["seq"])


def _run(ws_base: str, token: str, broker, body) -> list[Listener]:
    listeners = [Listener(ws_base, token, drops=False), Listener(ws_base, token, drops=True)]
    done = {}

    async def main() -> None:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(listener.run(stop)) for listener in listeners]
        await asyncio.sleep(1)  # connected
        await asyncio.get_running_loop().run_in_executor(None, body)
        done["expected"] = await asyncio.get_running_loop().run_in_executor(
            None, _last_place, broker
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(
            (listener.seen[-1] if listener.seen else 0) < done["expected"] for listener in listeners
        ):
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # anything sent twice would come now
        stop.set()
        await asyncio.gather(*tasks)

    asyncio.run(main())
    return listeners


def _last_place(user) -> int:
    """The broker's last place once the writers are done (in a thread: its own connection)."""
    try:
        return InboxSequence.objects.get(user=user).last_seq
    finally:
        connection.close()


def _writers(base: str, pairs: list, statuses: list, *, during=None) -> None:
    until = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_write, args=(base, token, offer, need, until, statuses))
        for token, offer, need in pairs
    ]
    for thread in threads:
        thread.start()
    if during:
        during()
    for thread in threads:
        thread.join()


def _check(broker, listeners) -> None:
    places = list(
        Notification.objects.filter(recipient=broker).order_by("seq").values_list("seq", flat=True)
    )
    assert places and places == list(range(1, len(places) + 1))  # all placed, no gaps
    for listener in listeners:
        assert listener.seen == places  # every one, once, in order


def test_concurrent_writers_lose_nothing_on_open_and_resuming_sockets(redis, market):
    broker_token, broker, pairs = market
    statuses = []
    with production_shape(redis.url, SOCKET_WATCH_SECONDS="0.5") as (http, ws):
        listeners = _run(ws, broker_token, broker, lambda: _writers(http, pairs, statuses))

    assert statuses.count(201) > WRITERS  # the writers really wrote
    assert all(status < 500 for status in statuses)
    _check(broker, listeners)


def test_a_redis_outage_in_the_middle_answers_no_5xx_and_loses_nothing(redis, market):
    broker_token, broker, pairs = market
    statuses = []

    def outage() -> None:
        time.sleep(2)
        redis.stop()
        time.sleep(5)
        redis.start()

    with production_shape(redis.url, SOCKET_WATCH_SECONDS="0.5") as (http, ws):
        listeners = _run(
            ws, broker_token, broker, lambda: _writers(http, pairs, statuses, during=outage)
        )

    assert statuses.count(201) > WRITERS
    assert [status for status in statuses if status >= 500] == []
    _check(broker, listeners)
