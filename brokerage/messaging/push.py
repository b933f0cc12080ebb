"""Step 4 of a notification (see `brokerage.messaging`): send placed rows to their recipients'
channel groups. A push that fails is logged and changes nothing: the socket finds the row in
the database (on resume, or within seconds through the socket watcher, `api.socket_watch`).

`PUSH_EVENT` is the contract with the socket: the channel-layer event type every push carries,
which `api.consumers.NotificationConsumer` handles."""

import asyncio
import logging
import os
import threading
import weakref

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from brokerage.infra import outages
from brokerage.messaging import links
from brokerage.models import Notification

log = logging.getLogger(__name__)

# The channel-layer event a push is sent as; Channels calls the consumer's handler named after
# it (dots as underscores).
PUSH_EVENT = "notification.push"


def user_group(user_id: int) -> str:
    """One group per user: the layer routes each message to its one recipient."""
    return f"user-{user_id}"


def as_messages(rows: list[Notification]) -> list[dict]:
    """The WebSocket shape of notifications (the REST inbox shows the same fields)."""
    found = links.for_notifications(rows)
    return [
        {
            "type": "notification",
            "id": row.pk,
            "seq": row.seq,
            "kind": row.kind,
            "text": row.text,
            "url": found[row.pk].page,
            "api_url": found[row.pk].api,
            "subject": {"type": row.subject_type, "id": row.subject_id},
            "created_at": row.created_at.isoformat(),
            "read_at": row.read_at.isoformat() if row.read_at else None,
        }
        for row in rows
    ]


# Pushes in flight at once. One event loop sends a whole batch (a broadcast to every broker
# is one `notify`), but redis-py's async pool allows 100 connections by default and raises
# MaxConnectionsError past it, so stay well under.
PUSH_CONCURRENCY = 50
PUSH_TIMEOUT = 10  # seconds; a push the layer has not taken by then is dropped (and logged)


def push(rows: list[Notification]) -> None:
    """Send committed notifications to their recipients' groups; failures only log."""
    try:
        messages = [
            (row.recipient_id, message)
            for row, message in zip(rows, as_messages(rows), strict=True)
        ]
        if isinstance(get_channel_layer(), InMemoryChannelLayer):
            # Embedded mode: the layer lives on the ASGI server's loop, where async_to_sync
            # runs it (the sync view was called from that loop).
            async_to_sync(_send_all)(messages)
        else:
            # Redis: one long-lived loop per process keeps the layer's connections open
            # (async_to_sync would start a new loop, thread and connection for every push).
            # The delivery thread does not wait: it places the next burst meanwhile.
            _pusher_loop().submit(_send_all(messages))
    except Exception:  # the row is the truth; the client catches up on resume
        log.exception("Push of notifications %s failed", [row.pk for row in rows])


async def _send_all(messages: list[tuple[int, dict]]) -> None:
    layer = get_channel_layer()
    slots = _push_slots()

    async def send(recipient: int, message: dict) -> None:
        async with slots:
            try:
                await asyncio.wait_for(
                    layer.group_send(
                        user_group(recipient), {"type": PUSH_EVENT, "message": message}
                    ),
                    PUSH_TIMEOUT,
                )
            except Exception as error:  # the row is the truth; the socket catches up
                outages.CHANNEL_LAYER.failed(error)
                log.debug("Push of notification %s failed", message["id"], exc_info=True)
            else:
                outages.CHANNEL_LAYER.succeeded()

    await asyncio.gather(*(send(recipient, message) for recipient, message in messages))


_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _push_slots() -> asyncio.Semaphore:
    """PUSH_CONCURRENCY for all the pushes in flight on this loop, whatever their batch."""
    return _slots.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(PUSH_CONCURRENCY))


class _PusherLoop:
    """An event loop in a daemon thread, one per process (re-made after a fork)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        thread = threading.Thread(target=self.loop.run_forever, name="push", daemon=True)
        thread.start()

    def submit(self, coroutine) -> None:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        future.add_done_callback(_log_failure)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("Pushing notifications failed", exc_info=future.exception())


_pusher: _PusherLoop | None = None
_pusher_lock = threading.Lock()


def _pusher_loop() -> _PusherLoop:
    global _pusher
    with _pusher_lock:
        if _pusher is None or _pusher.pid != os.getpid():
            _pusher = _PusherLoop()
        return _pusher
