"""Version tokens in the cache that move whenever what they cover changes, so whatever was
built or cached under an older one is never served again. Signals rather than calls in each
service, so admin edits and data loads count too.

Each moves at the change and again after the transaction commits: at once, so the writer's
own later reads in the transaction are not served an answer kept from before the change; at
commit, so nothing another reader kept from the not-yet-committed state in between is served
after it. A token, not a counter: a cache that was emptied starts a new version too.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


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

    def watch(self, *models, m2m: tuple = ()) -> None:
        """Move on any save or delete of `models`, and any change to the `m2m` through models."""
        for model in models:
            uid = f"{self.key}-{model._meta.label}"
            post_save.connect(self._on_change, sender=model, weak=False, dispatch_uid=uid)
            post_delete.connect(self._on_change, sender=model, weak=False, dispatch_uid=uid)
        for through in m2m:
            uid = f"{self.key}-m2m-{through._meta.label}"
            m2m_changed.connect(self._on_change, sender=through, weak=False, dispatch_uid=uid)
