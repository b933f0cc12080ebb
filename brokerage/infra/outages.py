"""Redis is a cache, a message bus and a task queue here, never the only copy of anything.
When it is unreachable the product carries on without it; this says so in the log once when
it goes and once when it is back, not once per request."""

import logging
import threading

log = logging.getLogger(__name__)


class Outage:
    """The state of one optional service (the cache, the channel layer, the task queue) in
    this process."""

    def __init__(self, name: str, consequence: str) -> None:
        self.name = name
        self.consequence = consequence
        self.down = False
        self._lock = threading.Lock()

    def failed(self, error: BaseException) -> None:
        with self._lock:
            if self.down:
                return
            self.down = True
        log.error("%s is unreachable (%s): %s", self.name, error, self.consequence)

    def succeeded(self) -> None:
        if not self.down:  # the usual case: no lock taken
            return
        with self._lock:
            if not self.down:
                return
            self.down = False
        log.warning("%s is reachable again.", self.name)


CACHE = Outage("The cache (Redis)", "serving without it: every read is a miss.")
CHANNEL_LAYER = Outage(
    "The channel layer (Redis)",
    "live pushes are skipped; open sockets catch up from the database.",
)
TASK_QUEUE = Outage(
    "The task queue (Redis)",
    "jobs are not queued; the periodic sweeps and the daily digest catch up.",
)
