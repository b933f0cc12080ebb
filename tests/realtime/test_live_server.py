"""Through a real ASGI server: uvicorn in its own process, the Redis channel layer, and a
WebSocket client library, as a token client (a mobile app, an integration) meets it."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
import websockets
from django.conf import settings
from django.db import connection
from knox.models import AuthToken

from brokerage.messaging.outbox import notify
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the server and this process share the channel layer)")
    port = _free_port()
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "brokerage.config.asgi:application", "--port", str(port),
         "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"ws://127.0.0.1:{port}/ws/notifications/"
    process.terminate()
    process.wait(timeout=20)


def _notify(user, text):
    """Runs in an executor thread: its database connection is closed after, so the test
    database can be dropped at the end of the run."""
    try:
        return notify(recipients=[user], kind="offer_published", text=text,
                      subject=factories.OfferFactory())[0]  # fmt: skip
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def test_a_token_client_resumes_and_receives_live_through_uvicorn(server):
    user, other = factories.UserFactory(), factories.UserFactory()
    token = AuthToken.objects.create(user=user)[1]
    missed = _notify(user, "while offline")

    async def scenario():
        async with websockets.connect(
            server, subprotocols=["notifications", f"token.{token}"]
        ) as ws:
            await ws.send(json.dumps({"type": "resume", "after": 0}))
            replay = [json.loads(await ws.recv()) for _ in range(2)]
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, _notify, other, "not for this user")
            live = await loop.run_in_executor(None, _notify, user, "live")
            pushed = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(2)]
            return replay, live, pushed

    replay, live, pushed = asyncio.run(scenario())
    assert replay[0]["id"] == missed.pk and replay[1] == {"type": "unread_count", "count": 1}
    assert pushed[0]["id"] == live.pk and pushed[0]["text"] == "live"  # not the other's
    assert pushed[1] == {"type": "unread_count", "count": 2}


def test_the_real_server_refuses_anonymous_and_cross_site_sockets(server):
    """Refused at the handshake (HTTP 403): no socket is ever opened for them."""
    token = AuthToken.objects.create(user=factories.UserFactory())[1]

    async def attempt(**options) -> int:
        try:
            async with websockets.connect(server, **options):
                return 101
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    async def scenario():
        return [
            await attempt(subprotocols=["notifications"]),  # no credentials
            await attempt(subprotocols=["notifications", "token.not-a-token"]),
            await attempt(  # a page on another site riding a browser's credentials
                subprotocols=["notifications", f"token.{token}"], origin="https://evil.example"
            ),
            await attempt(subprotocols=["notifications", f"token.{token}"]),
        ]

    assert asyncio.run(scenario()) == [403, 403, 403, 101]
