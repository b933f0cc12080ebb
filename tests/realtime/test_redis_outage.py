"""Redis really stopped while a user is connected: nothing is lost.

A private redis-server on a spare port carries the channel layer, so stopping it leaves the
shared Redis (and other tests) alone. Notifications written while it is down fail to push
(logged); after Redis is back the client resumes and gets exactly those, in order."""

import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from knox.models import AuthToken

from tests import factories
from tests.realtime.servers import PrivateRedis
from tests.realtime.test_notification_socket import _drain, _notify, _socket

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_for(condition, seconds: float = 10) -> None:
    """Pushes happen in a thread after the commit: wait for what they leave behind."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


LAYERS = {
    "pubsub": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer"},
    "core": {"BACKEND": "channels_redis.core.RedisChannelLayer"},
}


@pytest.fixture(params=sorted(LAYERS))
def redis_server(request, settings):
    server = PrivateRedis()  # skips where redis-server is missing
    server.start()
    settings.CHANNEL_LAYERS = {
        "default": LAYERS[request.param] | {"CONFIG": {"hosts": [server.url]}}
    }
    yield server
    server.stop()


def test_notifications_written_while_redis_is_down_arrive_on_resume(redis_server, caplog):
    user = factories.UserFactory()
    token = AuthToken.objects.create(user=user)[1]

    async def before_outage():
        socket = _socket(token=token)
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "resume", "after": 0})
        await _drain(socket, 1)  # the unread count
        first = await database_sync_to_async(_notify)(user, "before the outage")
        got = await _drain(socket, 2)
        await socket.disconnect()
        return first, got

    first, got = async_to_sync(before_outage)()
    assert got[0]["id"] == first.pk  # live over Redis

    redis_server.stop()
    during = [_notify(user, f"while Redis is down {i}") for i in range(3)]  # pushes fail
    _wait_for(lambda: "The channel layer (Redis) is unreachable" in caplog.text)
    redis_server.start()

    async def after_outage():
        socket = _socket(token=token)
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "resume", "after": 1})  # seen the first
        got = await _drain(socket, 4)
        live = await database_sync_to_async(_notify)(user, "after the outage")
        pushed = await _drain(socket, 1)
        await socket.disconnect()
        return got, live, pushed

    got, live, pushed = async_to_sync(after_outage)()
    assert caplog.text.count("The channel layer (Redis) is unreachable") == 1  # not 3 times
    assert [m["id"] for m in got[:3]] == [n.pk for n in during]  # exactly the missed, in order
    assert got[3] == {"type": "unread_count", "count": 4}
    assert pushed[0]["id"] == live.pk  # and live delivery is back
