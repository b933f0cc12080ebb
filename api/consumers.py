"""ws/notifications/: live notifications for the signed-in user. It lives at the edge beside
the REST API because it authenticates API tokens (knox); the domain only writes and pushes.

Authentication: the session cookie (web pages), or an API token offered as a WebSocket
subprotocol `token.<token>` beside `notifications` — it travels in a header, so it stays out
of URLs and access logs (`?token=` is not accepted). Anonymous sockets are refused: closed
before accepting (code 4401), which a server turns into HTTP 403 at the handshake.

Protocol (JSON): the client sends {"type": "resume", "after": <last id seen>} and receives,
in id order, every notification newer than that from the database, then live ones (held back
until the replay is done, never sent twice), each followed by {"type": "unread_count"}.
{"type": "mark_read", "ids": [...]} marks its own notifications read.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from brokerage import notifications, selectors
from brokerage.models import Notification
from brokerage.notifications import user_group
from brokerage.services import inbox

REPLAY_LIMIT = 5_000  # a client further behind reads the rest through the REST inbox
MAX_IDS = 1_000


@database_sync_to_async
def _user_for_token(token: str):
    try:
        user, _ = TokenAuthentication().authenticate_credentials(token.encode())
    except AuthenticationFailed:
        return None
    return user


@database_sync_to_async
def _since(user, after: int) -> list[dict]:
    rows = Notification.objects.filter(recipient=user, pk__gt=after).order_by("pk")
    return notifications.as_messages(list(rows[:REPLAY_LIMIT]))


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.user = None
        protocols = self.scope.get("subprotocols") or []
        token = next((p.removeprefix("token.") for p in protocols if p.startswith("token.")), None)
        user = await _user_for_token(token) if token else self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.user = user
        self.resumed = False
        self.held: list[dict] = []
        self.last_id = 0
        self.unread = 0
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        await self.accept(subprotocol="notifications" if "notifications" in protocols else None)

    async def disconnect(self, code: int) -> None:
        if self.user is not None:
            await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)

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
        for message in await _since(self.user, max(after, self.last_id)):
            await self._send(message)
        self.resumed = True
        for message in sorted(self.held, key=lambda m: m["id"]):
            await self._send(message)
        self.held = []
        await self._send_count(refresh=True)

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

    async def _send(self, message: dict) -> None:
        if message["id"] <= self.last_id:  # already delivered (replay and live overlap)
            return
        self.last_id = message["id"]
        await self.send_json(message)

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
        if message["id"] > self.last_id:
            await self._send(message)
            self.unread += 1
            await self._send_count()
