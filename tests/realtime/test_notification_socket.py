"""ws/notifications/: authenticated, private, replayable, and nothing lost."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from knox.models import AuthToken

from brokerage.asgi import application
from brokerage.models import Notification
from brokerage.notifications import notify
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(*, token=None, cookie=None, origin=b"http://localhost"):
    headers = [(b"host", b"localhost"), *([(b"origin", origin)] if origin else [])]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    protocols = ["notifications", *([f"token.{token}"] if token else [])]
    return WebsocketCommunicator(
        application, "/ws/notifications/", headers=headers, subprotocols=protocols
    )


def _token(user) -> str:
    return AuthToken.objects.create(user=user)[1]


def _notify(user, text="Hello"):
    subject = factories.OfferFactory()
    return notify(
        recipients=[user], kind="offer_published", text=text,
        subject=subject,
    )[0]  # fmt: skip


async def _drain(socket, count):
    return [await socket.receive_json_from(timeout=3) for _ in range(count)]


def test_anonymous_socket_is_refused():
    async def scenario():
        socket = _socket()
        connected, code = await socket.connect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4401)


def test_bad_token_is_refused():
    async def scenario():
        connected, code = await _socket(token="not-a-token").connect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4401)


def test_another_sites_page_cannot_ride_the_session_cookie():
    """Cross-site WebSocket hijacking: a browser on evil.example sends the user's cookie."""
    user = factories.UserFactory()
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    async def scenario():
        connected, _ = await _socket(cookie=cookie, origin=b"https://evil.example").connect()
        return connected

    assert async_to_sync(scenario)() is False


def test_a_token_client_without_origin_connects_but_not_without_a_token():
    """Non-browser clients send no Origin header; their token is what admits them."""
    token = _token(factories.UserFactory())

    async def scenario():
        with_token = _socket(token=token, origin=None)
        admitted, _ = await with_token.connect()
        await with_token.disconnect()
        refused = await _socket(origin=None).connect()
        return admitted, refused

    assert async_to_sync(scenario)() == (True, (False, 4401))


def test_token_client_resumes_then_gets_live_notifications_in_order():
    user = factories.UserFactory()
    missed = [_notify(user, f"missed {i}") for i in range(3)]
    token = _token(user)

    async def scenario():
        socket = _socket(token=token)
        connected, protocol = await socket.connect()
        assert connected and protocol == "notifications"
        await socket.send_json_to({"type": "resume", "after": missed[0].pk})
        replay = await _drain(socket, 3)  # two missed, then the count
        live = await database_sync_to_async(_notify)(user, "live")
        pushed = await _drain(socket, 2)
        await socket.disconnect()
        return replay, pushed, live

    replay, pushed, live = async_to_sync(scenario)()
    assert [m["text"] for m in replay[:2]] == ["missed 1", "missed 2"]
    assert replay[2] == {"type": "unread_count", "count": 3}
    assert pushed[0]["id"] == live.pk and pushed[0]["type"] == "notification"
    assert set(pushed[0]) >= {"id", "kind", "text", "url", "api_url", "created_at"}
    assert pushed[1] == {"type": "unread_count", "count": 4}


def test_session_cookie_authenticates_web_pages():
    user = factories.UserFactory()
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    async def scenario():
        connected, _ = await _socket(cookie=cookie).connect()
        return connected

    assert async_to_sync(scenario)() is True


def test_a_user_never_receives_another_users_notification():
    alice, bob = factories.UserFactory(), factories.UserFactory()
    tokens = _token(alice), _token(bob)

    async def scenario():
        sockets = [_socket(token=t) for t in tokens]
        for socket in sockets:
            await socket.connect()
            await socket.send_json_to({"type": "resume", "after": 0})
            await socket.receive_json_from(timeout=3)  # the count
        for i in range(3):  # interleaved
            await database_sync_to_async(_notify)(alice, f"for alice {i}")
            await database_sync_to_async(_notify)(bob, f"for bob {i}")
        alice_got = await _drain(sockets[0], 6)
        bob_got = await _drain(sockets[1], 6)
        nothing_more = await sockets[0].receive_nothing(timeout=0.3)
        for socket in sockets:
            await socket.disconnect()
        return alice_got, bob_got, nothing_more

    alice_got, bob_got, nothing_more = async_to_sync(scenario)()
    texts = lambda got: [m["text"] for m in got if m["type"] == "notification"]  # noqa: E731
    assert texts(alice_got) == ["for alice 0", "for alice 1", "for alice 2"]
    assert texts(bob_got) == ["for bob 0", "for bob 1", "for bob 2"]
    assert nothing_more


def test_notification_of_a_rolled_back_change_is_never_sent_or_kept():
    user = factories.UserFactory()
    token = _token(user)

    def rolled_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            _notify(user, "never")
            raise RuntimeError("the change failed")

    async def scenario():
        socket = _socket(token=token)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": 0})
        await socket.receive_json_from(timeout=3)
        await database_sync_to_async(rolled_back)()
        quiet = await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()
        return quiet

    assert async_to_sync(scenario)() is True
    assert not Notification.objects.exists()


def test_a_failing_channel_layer_loses_nothing(monkeypatch):
    user = factories.UserFactory()
    token = _token(user)
    from channels.layers import get_channel_layer

    async def broken(*args, **kwargs):
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(get_channel_layer(), "group_send", broken)
    kept = _notify(user, "kept anyway")  # the push fails and is logged; the row stays

    async def scenario():
        socket = _socket(token=token)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": 0})
        got = await _drain(socket, 2)
        await socket.disconnect()
        return got

    got = async_to_sync(scenario)()
    assert got[0]["id"] == kept.pk
    assert got[1] == {"type": "unread_count", "count": 1}


def test_mark_read_over_the_socket_touches_only_own_notifications():
    user, other = factories.UserFactory(), factories.UserFactory()
    mine, theirs = _notify(user), _notify(other)
    token = _token(user)

    async def scenario():
        socket = _socket(token=token)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": mine.pk})
        before = await socket.receive_json_from(timeout=3)
        await socket.send_json_to({"type": "mark_read", "ids": [mine.pk, theirs.pk]})
        after = await socket.receive_json_from(timeout=3)
        await socket.disconnect()
        return before, after

    before, after = async_to_sync(scenario)()
    assert (before["count"], after["count"]) == (1, 0)
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "message",
    [{"type": "dance"}, {"type": "resume", "after": "x"}, {"type": "resume", "after": -1},
     {"type": "mark_read", "ids": "all"}, {"type": "mark_read", "ids": [True]}, [1, 2]],
)  # fmt: skip
def test_bad_messages_get_an_error_and_the_socket_stays_open(message):
    user = factories.UserFactory()
    token = _token(user)

    async def scenario():
        socket = _socket(token=token)
        await socket.connect()
        await socket.send_json_to(message)
        reply = await socket.receive_json_from(timeout=3)
        await socket.send_json_to({"type": "resume", "after": 0})
        still = await socket.receive_json_from(timeout=3)
        await socket.disconnect()
        return reply, still

    reply, still = async_to_sync(scenario)()
    assert reply["type"] == "error"
    assert still == {"type": "unread_count", "count": 0}
