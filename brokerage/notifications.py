"""Writing notifications (an outbox), giving them their places, and pushing them.

Services call `notify()` inside their transaction. The rows commit with the change or not
at all. After the commit each row gets its place in its recipient's inbox (`sequence`), and
is pushed to the recipient's channel group. A push that fails is logged and changes nothing:
the socket finds the row in the database (on resume, or within seconds on its own; see
`api.consumers`). A place never given (the process died right after the commit) is given by
the next `sequence` for that recipient, which resuming always runs first.

The guarantee: each recipient's committed notifications get places 1, 2, 3… with no gaps and
no repeats, and a place is given only to a committed row, after every place given before it.
So a client that has seen place n and asks for everything after n gets every notification
it has not seen, in order, exactly once.
"""

import asyncio
import logging
import os
import queue
import threading
import weakref
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import close_old_connections, connection, models, transaction

from brokerage import access, emails, links, outages
from brokerage.models import InboxSequence, Membership, Notification, Organisation, User

log = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """One group per user: the layer routes each message to its one recipient."""
    return f"user-{user_id}"


def brokers() -> list[User]:
    """Everyone who brokers (`access.brokers`)."""
    return list(access.brokers())


def members(*organisations: Organisation) -> list[User]:
    ids = Membership.objects.filter(organisation__in=organisations).values("user_id")
    return list(User.objects.filter(pk__in=ids))


def admins(organisation: Organisation) -> list[User]:
    """The organisation's administrators (who run its volunteers, leave and checks)."""
    ids = Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    subject: models.Model,
    exclude: User | None = None,
) -> list[Notification]:
    """Write one notification per recipient (not to `exclude`, usually the actor) about
    `subject` in the current transaction; push them (and queue urgent e-mail) after it
    commits."""
    subject_type = type(subject).__name__.lower()
    if subject_type not in Notification.SUBJECT_TYPES[kind]:  # a bug, not input
        raise ValueError(f"A {kind} notification is not about a {subject_type}.")
    unique = {user.pk: user for user in recipients if user is not None}
    if exclude is not None:
        unique.pop(exclude.pk, None)
    rows = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            kind=kind,
            text=text[:500],
            subject_type=subject_type,
            subject_id=subject.pk,
        )
        for user_id in sorted(unique)
    )
    if rows:
        transaction.on_commit(lambda: deliver(sorted(unique)))
        transaction.on_commit(lambda: emails.email_soon(rows))
    return rows


def sequence(recipient_ids: Iterable[int]) -> list[Notification]:
    """Give each committed notification of these recipients that has no place yet the next
    place in its recipient's inbox, in id order. Returns the rows given places now.

    One short transaction: the recipients' `InboxSequence` rows are locked in user-id order
    (so two sequencers never deadlock), and the rows without a place are read after the lock
    is held, so a row another sequencer numbered meanwhile is not numbered twice."""
    ids = sorted(set(recipient_ids))
    if not ids:
        return []
    with transaction.atomic():
        counters = _locked_counters(ids)
        if len(counters) < len(ids):  # someone's first notification: make their counter
            InboxSequence.objects.bulk_create(
                [InboxSequence(user_id=user_id) for user_id in ids if user_id not in counters],
                ignore_conflicts=True,
            )
            counters = _locked_counters(ids)
        waiting = list(
            Notification.objects.filter(recipient_id__in=ids, seq__isnull=True).order_by("id")
        )
        if not waiting:
            return []
        for row in waiting:
            counter = counters[row.recipient_id]
            counter.last_seq += 1
            row.seq = counter.last_seq
        _set_column(Notification, "seq", [(row.pk, row.seq) for row in waiting])
        _set_column(InboxSequence, "last_seq", [(c.pk, c.last_seq) for c in counters.values()])
    return waiting


def _set_column(model: type[models.Model], column: str, values: list[tuple[int, int]]) -> None:
    """Set one integer column of many rows by primary key, in one statement. On PostgreSQL
    an UPDATE joined to the values as arrays: Django's bulk_update builds a CASE with a
    branch per row, which for a burst of hundreds of rows cost more than the rest together."""
    if connection.vendor != "postgresql":
        model.objects.bulk_update(
            [model(pk=pk, **{column: value}) for pk, value in values], [column]
        )
        return
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" AS t SET "{column}" = v.value '
            f'FROM unnest(%s::bigint[], %s::bigint[]) AS v(pk, value) WHERE t."{pk}" = v.pk',
            [[pk for pk, _ in values], [value for _, value in values]],
        )


def _locked_counters(ids: list[int]) -> dict[int, InboxSequence]:
    counters = InboxSequence.objects.select_for_update().filter(user_id__in=ids).order_by("user_id")
    return {counter.user_id: counter for counter in counters}


def deliver(recipient_ids: list[int]) -> None:
    """After a commit: give the new rows their places and push them. With Redis this is
    handed to a thread (`_Deliverer`), so the request that committed waits for neither, and
    under load one round serves many commits. With the in-memory layer (embedded mode) it
    runs here: that layer lives on the server's event loop, which this request can reach;
    and here too when NOTIFICATION_DELIVERY is "inline"."""
    in_memory = isinstance(get_channel_layer(), InMemoryChannelLayer)
    if in_memory or settings.NOTIFICATION_DELIVERY == "inline":
        _place_and_push(set(recipient_ids))
    else:
        _deliverer().submit(recipient_ids)


def _place_and_push(recipient_ids: set[int]) -> None:
    """Neither step may fail its caller: a row without a place gets it on the next
    `sequence` of its recipient (a later notification, a resume, the socket watcher)."""
    try:
        rows = sequence(recipient_ids)
    except Exception:
        log.exception("Could not give notifications of users %s their places", recipient_ids)
        return
    if rows:
        push(rows)


class _Deliverer:
    """A daemon thread per process that places and pushes committed notifications; it takes
    every recipient waiting when it wakes, so a burst of commits costs one transaction."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.waiting: queue.Queue[list[int]] = queue.Queue()
        threading.Thread(target=self._run, name="deliver", daemon=True).start()

    def submit(self, recipient_ids: list[int]) -> None:
        self.waiting.put(recipient_ids)

    def _run(self) -> None:
        while True:
            batches = [self.waiting.get()]
            while not self.waiting.empty():
                batches.append(self.waiting.get_nowait())
            try:
                _place_and_push({user_id for batch in batches for user_id in batch})
            finally:
                close_old_connections()
                for _ in batches:
                    self.waiting.task_done()


def drain(timeout: float = 30) -> bool:
    """Wait until this process has placed and handed over everything it committed (a
    command or a benchmark about to exit). Returns whether it finished in time."""
    if _delivering is None or _delivering.pid != os.getpid():
        return True
    done = threading.Thread(target=_delivering.waiting.join, daemon=True)
    done.start()
    done.join(timeout)
    return not done.is_alive()


_delivering: _Deliverer | None = None
_delivering_lock = threading.Lock()


def _deliverer() -> _Deliverer:
    global _delivering
    with _delivering_lock:
        if _delivering is None or _delivering.pid != os.getpid():  # re-made after a fork
            _delivering = _Deliverer()
        return _delivering


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
                        user_group(recipient), {"type": "notification.push", "message": message}
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
