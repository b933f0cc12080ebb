"""Version tokens, and the two ways of keeping something under them. The one home for "has what
this was built from changed?".

A version is a token in the cache that moves whenever what it covers changes, so whatever was
built or cached under an older one is never served again. Signals rather than calls in each
service, so admin edits and data loads count too. Each moves at the change and again after the
transaction commits: at once, so the writer's own later reads in the transaction are not served
an answer kept from before the change; at commit, so nothing another reader kept from the
not-yet-committed state in between is served after it. A token, not a counter: a cache that
was emptied starts a new version too.

The versions:
- `MARKET`: anything a listing read shows (listings, their skills and wards, matches,
  organisations, reference data). The API's listing reads and the skills gap are kept under
  it, and a process reads the market change log when it moves.
- `AUTH`: anything a signed-in reader's identity rests on (users, memberships, organisations,
  and the API's tokens, which `api.apps` adds). Who a token belongs to is kept under it.
- `DELIVERY`: delivered time and credits. The summary report is kept under it and `MARKET`.
- `REFERENCE`: what the pages' filters offer to choose from (wards and ward sets, councils,
  skill categories, themes). The choices are kept under it in each process.

With Redis down there is no version (`current()` is None) and nothing is kept or reused: every
read builds afresh. Both ways of keeping things follow that one rule:
- `cached()`: in the shared cache, for every process;
- `ProcessMemo`: in this process's memory, for what is too big or too hot to fetch from Redis
  (who a token belongs to). The engine's market per process follows the market change log
  instead (`brokerage.matchmaking.MarketKeeper`): it tells what changed, not only that.
"""

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from brokerage import models


class Version:
    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> str | None:
        """The current token; None while the cache cannot hold one (Redis unreachable)."""
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.key)
        return version

    def bump(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)

    def _on_change(self, **kwargs) -> None:
        self.bump()
        transaction.on_commit(self.bump)

    def watch(self, *watched, m2m: tuple = ()) -> None:
        """Move on any save or delete of the `watched` models, and any change to the `m2m`
        through models."""
        for model in watched:
            uid = f"{self.key}-{model._meta.label}"
            post_save.connect(self._on_change, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(self._on_change, sender=model, weak=False, dispatch_uid=uid)
        for through in m2m:
            uid = f"{self.key}-m2m-{through._meta.label}"
            m2m_changed.connect(self._on_change, sender=through, weak=False, dispatch_uid=uid)


MARKET = Version("market-version")
AUTH = Version("auth-version")
DELIVERY = Version("delivery-version")
REFERENCE = Version("reference-version")


def connect() -> None:
    """Watch the domain's models (called once the apps are ready; the API adds its tokens to
    `AUTH`)."""
    MARKET.watch(
        models.Need, models.NeedSkill, models.Offer, models.OfferSkill, models.Match,
        models.Organisation, models.Ward, models.Skill, models.SkillCategory, models.Theme,
        m2m=(
            models.Need.themes.through,
            models.Offer.wards.through,
            models.Council.priority_themes.through,
        ),
    )  # fmt: skip
    AUTH.watch(models.User, models.Membership, models.Organisation)
    DELIVERY.watch(models.TimeEntry, models.CreditEntry)
    REFERENCE.watch(models.Ward, models.WardSet, models.Council, models.SkillCategory,
                    models.Theme)  # fmt: skip


def cached(key: str, build: Callable[[], Any], seconds: int, *versions: Version) -> Any:
    """`build()`, kept in the shared cache for `seconds` under `key` and the current
    `versions`; built afresh (and not kept) while any version is unknown (Redis down)."""
    tokens = [version.current() for version in versions]
    if None in tokens:
        return build()
    return cache.get_or_set(":".join([key, *tokens]), build, seconds)


class ProcessMemo:
    """Values built in this process, each kept under the version (a string naming everything
    it was built from) it was built at: a value is returned only while the version is the same,
    and nothing is kept while the version is None (Redis down). `seconds` also lets an entry
    lapse, in case a change went unseen; past `limit` entries it starts again."""

    def __init__(self, *, seconds: float | None = None, limit: int = 10_000) -> None:
        self.seconds, self.limit = seconds, limit
        self._entries: dict[Any, tuple[str, float, Any]] = {}
        self._lock = threading.Lock()

    def recall(self, key: Any, version: str | None) -> Any | None:
        entry = self._entries.get(key) if version else None
        if entry is None or entry[0] != version or entry[1] < time.monotonic():
            return None
        return entry[2]

    def keep(self, key: Any, version: str | None, value: Any) -> None:
        if not version:  # nothing says when it goes stale: keep nothing
            return
        if len(self._entries) >= self.limit:
            self._entries = {}
        lapses = time.monotonic() + self.seconds if self.seconds is not None else float("inf")
        self._entries[key] = (version, lapses, value)

    def get_or_build(self, key: Any, version: str | None, build: Callable[[], Any]) -> Any:
        """The value kept for `key` at `version`, else `build()` (kept); one builder at a time,
        so a burst of readers after a change builds once."""
        with self._lock:
            found = self.recall(key, version)
            if found is None:
                found = build()
                self.keep(key, version, found)
            return found
