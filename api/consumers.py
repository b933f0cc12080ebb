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

Nothing rests on the channel layer: a push (`brokerage.messaging.push.PUSH_EVENT`) that
arrives after a gap in `seq` fills the gap from the database first, and every
SOCKET_WATCH_SECONDS one watcher per process (`api.socket_watch`) checks all of its sockets at
once. It sends what a lost push left out (Redis down, or restarted under
an open socket; a place is lost once a whole round has passed without its push). It closes
with 4401 the sockets whose token was revoked or expired, whose session ended (sign-out,
password change elsewhere) or whose user was deactivated, and with 4409 the sockets of
users who left an organisation (reconnect and resume: what you see has changed).
While the channel layer (Redis) is unreachable, open sockets stay open and are served from
the database by the watcher; a new socket is refused at the handshake (close 1013, HTTP 403)
and its client tries again later (`notifications.js` backs off up to 30 s).
"""

import logging

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from knox.models import AuthToken
from redis.exceptions import RedisError
from rest_framework.exceptions import AuthenticationFailed

from api import socket_watch
from api.authentication import TokenAuthentication
from brokerage import selectors
from brokerage.infra import outages
from brokerage.messaging import push, sequencing
from brokerage.messaging.push import PUSH_EVENT, user_group
from brokerage.models import Notification, User
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
                socket_watch.watcher().discard(self)

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
        socket_watch.watcher().add(self)

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

    async def on_push(self, event: dict) -> None:
        """A committed notification for this user, from the channel layer (`PUSH_EVENT`)."""
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

    async def watched(self, state: socket_watch.WatchState) -> None:
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


# Channels calls the handler named after an event's type (dots as underscores): the push's
# handler is named from the domain's constant, so the two ends cannot drift apart.
setattr(NotificationConsumer, get_handler_name({"type": PUSH_EVENT}), NotificationConsumer.on_push)
