"""The socket watcher: one per server process (event loop), it checks all of that process's
open notification sockets together every SOCKET_WATCH_SECONDS, in a handful of queries
whatever their number, so nothing rests on the channel layer.

Each round reads, for the sockets' users and credentials, what the database says now
(`WatchState`): which tokens are still valid, which sessions still signed in as their user,
who is still active, their organisations and the last place given in each inbox (giving a
place to any row whose sequencer died after its commit). Each socket then acts on it
(`NotificationConsumer.watched`): sends what a lost push left out, or closes with 4401 (signed
out) or 4409 (access changed).
"""

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Protocol

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from knox.models import AuthToken

from brokerage.messaging import sequencing
from brokerage.models import InboxSequence, Membership, Notification, User

log = logging.getLogger(__name__)


class WatchedSocket(Protocol):
    """What the watcher needs of a socket (`api.consumers.NotificationConsumer`)."""

    user: User
    token_digest: str | None  # the API token it was opened with, if any
    session_key: str | None  # the session it was opened with, if any

    async def watched(self, state: "WatchState") -> None: ...


@dataclass(frozen=True)
class WatchState:
    """What the database says of a set of sockets' users and credentials, read at once."""

    tokens: frozenset[str]  # digests of tokens still valid
    sessions: frozenset[str]  # keys of sessions still signed in as their user
    active: frozenset[int]  # users still active
    organisations: dict[int, frozenset[int]]
    last_seq: dict[int, int]

    def still_signed_in(self, socket: WatchedSocket) -> bool:
        if socket.user.pk not in self.active:
            return False
        if socket.token_digest is not None:
            return socket.token_digest in self.tokens
        return socket.session_key is None or socket.session_key in self.sessions


def _read_state(sockets: list[WatchedSocket]) -> WatchState:
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
        self.sockets: set[WatchedSocket] = set()
        self.task: asyncio.Task | None = None

    def add(self, socket: WatchedSocket) -> None:
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    def discard(self, socket: WatchedSocket) -> None:
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


def watcher() -> _Watcher:
    """This event loop's watcher (one per server process)."""
    loop = asyncio.get_running_loop()
    for old in [other for other in _watchers if other.is_closed()]:
        del _watchers[old]
    return _watchers.setdefault(loop, _Watcher())
