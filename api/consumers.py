"""ws/notifications/: live notifications for the signed-in user. It lives at the edge beside
the REST API because it authenticates API tokens (knox); the domain only writes and pushes.

Authentication: the session cookie (web pages), or an API token offered as a WebSocket
subprotocol `token.<token>` beside `notifications` — it travels in a header, so it stays out
of URLs and access logs (`?token=` is not accepted). Anonymous sockets are refused: closed
before accepting (code 4401), which a server turns into HTTP 403 at the handshake.

Protocol (JSON): the client sends {"type": "resume", "after": <last seq seen>} and receives,
in `seq` order (each notification's place in the user's inbox), every notification after
that place, then live ones (held back until the replay is done, never sent twice), each
followed by {"type": "unread_count"}. {"type": "mark_read", "ids": [...]} marks its own
notifications read.

Nothing rests on the channel layer: a push that arrives after a gap in `seq` fills the gap
from the database first, and every SOCKET_WATCH_SECONDS one watcher per process checks all
of its sockets at once. It sends what a lost push left out (Redis down, or restarted under
an open socket; a place is lost once a whole round has passed without its push). It closes
with 4401 the sockets whose token was revoked or expired, whose session ended (sign-out,
password change elsewhere) or whose user was deactivated, and with 4409 the sockets of
users who left an organisation (reconnect and resume: what you see has changed).
While the channel layer (Redis) is unreachable, open sockets stay open and are served from
the database by the watcher; a new socket is refused at the handshake (close 1013, HTTP 403)
and its client tries again later (`notifications.js` backs off up to 30 s).
"""

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from knox.models import AuthToken
from redis.exceptions import RedisError
from rest_framework.exceptions import AuthenticationFailed

from api.authentication import TokenAuthentication
from brokerage import selectors
from brokerage.infra import outages
from brokerage.messaging import push, sequencing
from brokerage.messaging.push import user_group
from brokerage.models import InboxSequence, Membership, Notification, User
from brokerage.services import inbox

log = logging.getLogger(__name__)

REPLAY_LIMIT = 5_000  # a client further behind reads the rest through the REST inbox
MAX_IDS = 1_000
SIGNED_OUT = 4401  # the credentials no longer hold: sign in again
ACCESS_CHANGED = 4409  # reconnect and resume
TRY_AGAIN = 1013  # the channel layer is unreachable: the handshake is refused; retry later


@database_sync_to_async
def _authenticate_token(token: str) -> tuple[User, AuthToken] | None:
    try:
        return TokenAuthentication().authenticate_credentials(token.encode())
    except AuthenticationFailed:
        return None


@database_sync_to_async
def _since(user: User, after: int) -> list[dict]:
    sequencing.sequence([user.pk])  # a row whose place was never given gets it now
    rows = Notification.objects.filter(recipient=user, seq__gt=after).order_by("seq")
    return push.as_messages(list(rows[:REPLAY_LIMIT]))


@database_sync_to_async
def _organisations(user: User) -> frozenset[int]:
    return frozenset(selectors.organisation_ids_of(user))


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except RedisError as error:  # before the handshake: the layer gave no channel
            outages.CHANNEL_LAYER.failed(error)
            await send({"type": "websocket.close", "code": TRY_AGAIN})
        except OSError:  # a send to a client already gone (uvicorn's ClientDisconnected)
            log.debug("A notification socket's client went away mid-send")
        finally:
            # However the socket ended (a send that raised skips disconnect()), the watcher
            # lets go of it; else it would watch, and query for, a dead socket for ever.
            if getattr(self, "user", None) is not None:
                _watcher().discard(self)

    async def connect(self) -> None:
        self.user = None
        protocols = self.scope.get("subprotocols") or []
        token = next((p.removeprefix("token.") for p in protocols if p.startswith("token.")), None)
        self.token_digest = self.session_key = None
        if token:
            found = await _authenticate_token(token)
            user = found[0] if found else None
            self.token_digest = found[1].digest if found else None
        else:
            user = self.scope.get("user")
            session = self.scope.get("session")
            self.session_key = session.session_key if session is not None else None
        if user is None or not user.is_authenticated:
            await self.close(code=SIGNED_OUT)
            return
        self.user = user
        self.organisations = await _organisations(user)
        self.resumed = False
        self.held: list[dict] = []
        self.last_seq = 0
        self.watch_target = 0  # the last place the watcher saw given for this user
        self.unread = 0
        self.subscribed = False
        await self._subscribe()
        await self.accept(subprotocol="notifications" if "notifications" in protocols else None)
        _watcher().add(self)

    async def _subscribe(self) -> None:
        """Join the user's group; with the layer down the socket still works (the watcher
        sends from the database) and tries again each round."""
        try:
            await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        except Exception as error:
            outages.CHANNEL_LAYER.failed(error)
        else:
            self.subscribed = True

    async def disconnect(self, code: int) -> None:
        if self.user is not None:  # the watcher lets go in __call__, however the socket ends
            try:
                await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
            except Exception:  # the layer is down: its subscription went with it
                log.warning("Could not leave the group of user %s", self.user.pk, exc_info=True)

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "resume":
            await self._resume(content.get("after", 0))
        elif kind == "mark_read":
            await self._mark_read(content.get("ids"))
        else:
            await self.send_json({"type": "error", "detail": "Send resume or mark_read."})

    async def _resume(self, after) -> None:
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            await self.send_json({"type": "error", "detail": "after must be a whole number."})
            return
        self.last_seq = max(after, self.last_seq)
        await self._catch_up()
        self.resumed = True
        for message in sorted(self.held, key=lambda m: m["seq"]):
            await self._send(message)
        self.held = []
        await self._send_count(refresh=True)

    async def _catch_up(self) -> int:
        """Send, in order, what the database has after the last place sent."""
        sent = 0
        for message in await _since(self.user, self.last_seq):
            sent += await self._send(message)
        return sent

    async def _mark_read(self, ids) -> None:
        valid = isinstance(ids, list) and all(
            isinstance(i, int) and not isinstance(i, bool) for i in ids
        )
        if not valid or len(ids) > MAX_IDS:
            await self.send_json(
                {"type": "error", "detail": f"ids must be a list of up to {MAX_IDS} ids."}
            )
            return
        await database_sync_to_async(inbox.mark_read)(user=self.user, ids=ids)
        await self._send_count(refresh=True)

    async def _send(self, message: dict) -> bool:
        if message["seq"] <= self.last_seq:  # already delivered (replay and live overlap)
            return False
        self.last_seq = message["seq"]
        await self.send_json(message)
        return True

    async def _send_count(self, *, refresh: bool = False) -> None:
        if refresh:
            self.unread = await database_sync_to_async(selectors.unread_count)(self.user)
        await self.send_json({"type": "unread_count", "count": self.unread})

    async def notification_push(self, event: dict) -> None:
        """A committed notification for this user, from the channel layer."""
        message = event["message"]
        if not self.resumed:
            self.held.append(message)
            return
        if message["seq"] <= self.last_seq:
            return
        if message["seq"] == self.last_seq + 1:
            await self._send(message)
            self.unread += 1
            await self._send_count()
        elif await self._catch_up():  # a push before it was lost: the database has both
            await self._send_count(refresh=True)

    async def watched(self, state: "WatchState") -> None:
        """The watcher's verdict on this socket (see the module's docstring)."""
        if not self.subscribed:
            await self._subscribe()
        if not state.still_signed_in(self):
            await self.close(code=SIGNED_OUT)
        elif not self.organisations <= state.organisations.get(self.user.pk, frozenset()):
            await self.close(code=ACCESS_CHANGED)
        else:
            # Behind a place the previous round already saw: its push had a whole round to
            # arrive, so it was lost. (A place given just now is most likely still in flight.)
            lost = self.resumed and self.watch_target > self.last_seq
            self.watch_target = state.last_seq.get(self.user.pk, 0)
            if lost and await self._catch_up():
                await self._send_count(refresh=True)


@dataclass(frozen=True)
class WatchState:
    """What the database says of a set of sockets' users and credentials, read at once."""

    tokens: frozenset[str]  # digests of tokens still valid
    sessions: frozenset[str]  # keys of sessions still signed in as their user
    active: frozenset[int]  # users still active
    organisations: dict[int, frozenset[int]]
    last_seq: dict[int, int]

    def still_signed_in(self, socket: NotificationConsumer) -> bool:
        if socket.user.pk not in self.active:
            return False
        if socket.token_digest is not None:
            return socket.token_digest in self.tokens
        return socket.session_key is None or socket.session_key in self.sessions


def _read_state(sockets: list[NotificationConsumer]) -> WatchState:
    """A handful of queries, whatever the number of sockets."""
    now = timezone.now()
    users = {user.pk: user for user in User.objects.filter(pk__in={s.user.pk for s in sockets})}
    digests = {s.token_digest for s in sockets if s.token_digest}
    tokens = AuthToken.objects.filter(digest__in=digests).exclude(expiry__lte=now)
    sessions = set()
    keys = {s.session_key for s in sockets if s.session_key}
    for session in Session.objects.filter(session_key__in=keys, expire_date__gt=now):
        data = session.get_decoded()
        user = users.get(_as_int(data.get(SESSION_KEY)))
        if user and constant_time_compare(
            data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
        ):
            sessions.add(session.session_key)
    organisations: dict[int, set[int]] = {}
    for user_id, organisation_id in Membership.objects.filter(user_id__in=users).values_list(
        "user_id", "organisation_id"
    ):
        organisations.setdefault(user_id, set()).add(organisation_id)
    unplaced = Notification.objects.filter(
        recipient_id__in=users, seq__isnull=True, created_at__lt=now - dt.timedelta(seconds=1)
    ).values_list("recipient_id", flat=True)
    sequencing.sequence(set(unplaced))  # whose sequencer died after its commit
    return WatchState(
        tokens=frozenset(tokens.values_list("digest", flat=True)),
        sessions=frozenset(sessions),
        active=frozenset(pk for pk, user in users.items() if user.is_active),
        organisations={user_id: frozenset(ids) for user_id, ids in organisations.items()},
        last_seq=dict(
            InboxSequence.objects.filter(user_id__in=users).values_list("user_id", "last_seq")
        ),
    )


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _Watcher:
    """One per event loop (per server process): checks all its open sockets together."""

    def __init__(self) -> None:
        self.sockets: set[NotificationConsumer] = set()
        self.task: asyncio.Task | None = None

    def add(self, socket: NotificationConsumer) -> None:
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, socket: NotificationConsumer) -> None:
        self.sockets.discard(socket)

    async def _run(self) -> None:
        while self.sockets:
            await asyncio.sleep(settings.SOCKET_WATCH_SECONDS)
            sockets = list(self.sockets)
            if not sockets:
                break
            try:
                state = await database_sync_to_async(_read_state)(sockets)
            except Exception:  # the next round tries again
                log.exception("Watching %d notification sockets failed", len(sockets))
                continue
            for socket in sockets:
                if socket not in self.sockets:
                    continue  # it closed meanwhile
                try:
                    await socket.watched(state)
                except Exception:  # this socket's client went away; the others go on
                    log.debug("Watching a notification socket failed", exc_info=True)


_watchers: dict[asyncio.AbstractEventLoop, _Watcher] = {}


def _watcher() -> _Watcher:
    loop = asyncio.get_running_loop()
    for old in [other for other in _watchers if other.is_closed()]:
        del _watchers[old]
    return _watchers.setdefault(loop, _Watcher())
