"""ws/notifications/: authenticated, private, replayable, and nothing lost."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from brokerage.config.asgi import application
from brokerage.messaging.outbox import notify
from brokerage.models import Notification
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
    for i in range(3):
        _notify(user, f"missed {i}")
    token = _token(user)

    async def scenario():
        socket = _socket(token=token)
        connected, protocol = await socket.connect()
        assert connected and protocol == "notifications"
        await socket.send_json_to({"type": "resume", "after": 1})  # seen the first
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
        await socket.send_json_to({"type": "resume", "after": 1})  # seen it
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


# --- the watcher: sockets follow their credentials, and lost pushes are found -------------


@pytest.fixture
def quick_watch(settings):
    settings.SOCKET_WATCH_SECONDS = 0.2


async def _closed_with(socket, *, within: float) -> int | None:
    """The close code the server sends within `within` seconds (None: still open; the
    communicator then stops the application)."""
    try:
        while True:
            output = await socket.receive_output(timeout=within)
            if output["type"] == "websocket.close":
                return output.get("code")
    except TimeoutError:
        return None


def _session_cookie(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.parametrize("how", ["revoked", "all revoked", "expired", "deactivated"])
def test_a_token_socket_closes_when_its_token_no_longer_holds(quick_watch, how):
    user = factories.UserFactory()
    instance, token = AuthToken.objects.create(user=user)
    other = AuthToken.objects.create(user=factories.UserFactory())[1]

    def end() -> None:
        if how == "revoked":
            instance.delete()
        elif how == "all revoked":
            AuthToken.objects.filter(user=user).delete()
        elif how == "expired":
            AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now())
        else:
            type(user).objects.filter(pk=user.pk).update(is_active=False)

    async def scenario():
        mine, theirs = _socket(token=token), _socket(token=other)
        for socket in (mine, theirs):
            assert (await socket.connect())[0]
        await database_sync_to_async(end)()
        code = await _closed_with(mine, within=2)
        still_open = await theirs.receive_nothing(timeout=0.5)  # another user's socket
        await theirs.disconnect()
        return code, still_open

    assert async_to_sync(scenario)() == (4401, True)


@pytest.mark.parametrize("how", ["signed out", "password changed elsewhere"])
def test_a_page_socket_closes_when_its_session_ends(quick_watch, how):
    user = factories.UserFactory()
    client, cookie = _session_cookie(user)

    def end() -> None:
        if how == "signed out":
            client.post(reverse("frontend:sign-out"))
        else:
            user.set_password("a new secret phrase")
            user.save()

    async def scenario():
        socket = _socket(cookie=cookie)
        assert (await socket.connect())[0]
        await database_sync_to_async(end)()
        return await _closed_with(socket, within=2)

    assert async_to_sync(scenario)() == 4401


def test_a_socket_closes_with_reconnect_when_its_user_leaves_an_organisation(quick_watch):
    membership = factories.MembershipFactory()
    token = _token(membership.user)

    async def scenario():
        socket = _socket(token=token)
        assert (await socket.connect())[0]
        await database_sync_to_async(membership.delete)()
        return await _closed_with(socket, within=2)

    assert async_to_sync(scenario)() == 4409


def test_a_lost_push_reaches_the_open_socket_without_a_resume(quick_watch, monkeypatch):
    """Redis dropped the push (down, or restarted under the socket): the watcher finds the
    row in the database and sends it, once, in order."""
    user = factories.UserFactory()
    token = _token(user)
    from channels.layers import get_channel_layer

    async def lost(*args, **kwargs):
        return None  # accepted by the layer, never delivered

    async def scenario():
        socket = _socket(token=token)
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "resume", "after": 0})
        await socket.receive_json_from(timeout=3)  # the count
        monkeypatch.setattr(get_channel_layer(), "group_send", lost)
        rows = [await database_sync_to_async(_notify)(user, f"lost {i}") for i in range(2)]
        got = await _drain(socket, 3)
        quiet = await socket.receive_nothing(timeout=0.6)
        await socket.disconnect()
        return rows, got, quiet

    rows, got, quiet = async_to_sync(scenario)()
    assert [(m["id"], m["seq"]) for m in got[:2]] == [(rows[0].pk, 1), (rows[1].pk, 2)]
    assert got[2] == {"type": "unread_count", "count": 2}
    assert quiet  # not sent again by the next rounds


def test_a_push_after_a_lost_one_brings_both_in_order(monkeypatch):
    """A gap in `seq` is filled from the database before the push that revealed it."""
    user = factories.UserFactory()
    token = _token(user)
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    real_send = layer.group_send
    dropped = []

    async def drop_first(group, message):
        if not dropped:
            dropped.append(message)
            return None
        return await real_send(group, message)

    async def scenario():
        socket = _socket(token=token)
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "resume", "after": 0})
        await socket.receive_json_from(timeout=3)
        monkeypatch.setattr(layer, "group_send", drop_first)
        for i in range(2):
            await database_sync_to_async(_notify)(user, f"message {i}")
        got = await _drain(socket, 3)
        await socket.disconnect()
        return got

    got = async_to_sync(scenario)()
    assert [m["text"] for m in got[:2]] == ["message 0", "message 1"]
    assert [m["seq"] for m in got[:2]] == [1, 2]


def test_a_client_gone_mid_send_ends_the_socket_quietly_and_the_watcher_lets_go():
    """Seen in the browser suite: uvicorn raises ClientDisconnected (an OSError) from a send
    to a client that has just gone, so the consumer ends without its disconnect(); it must
    still leave the watcher, which would otherwise query for a dead socket for ever."""
    import asyncio

    from api import consumers, socket_watch

    user = factories.UserFactory()
    scope = {
        "type": "websocket", "path": "/ws/notifications/", "headers": [],
        "subprotocols": ["notifications"], "user": user, "session": None,
    }  # fmt: skip

    async def scenario():
        incoming = asyncio.Queue()
        incoming.put_nowait({"type": "websocket.connect"})
        incoming.put_nowait({"type": "websocket.receive", "text": '{"type": "resume", "after": 0}'})
        sent = []

        async def send(message):
            if message["type"] == "websocket.send":
                raise OSError("the client went away")  # what uvicorn raises
            sent.append(message["type"])

        await asyncio.wait_for(
            consumers.NotificationConsumer.as_asgi()(scope, incoming.get, send), timeout=5
        )
        return sent, len(socket_watch.watcher().sockets)

    sent, watched = async_to_sync(scenario)()
    assert sent == ["websocket.accept"]
    assert watched == 0
