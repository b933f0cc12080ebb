"""Step 3 of a notification (see `brokerage.messaging`): after a commit, place the new rows
(`sequencing`) and push them (`push`), off the request that committed. Neither step may fail
its caller."""

import logging
import os
import queue
import threading

from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.db import close_old_connections

from brokerage.messaging.push import push
from brokerage.messaging.sequencing import sequence

log = logging.getLogger(__name__)


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
