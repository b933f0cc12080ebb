"""A counter that changes whenever anything a listing read shows may have changed.

Readers cache responses under the current version; any save or delete of a listing, its
skills, a match, an organisation or reference data moves the version on (at the change and
again after the transaction commits), so a cached answer is never served for a market that
has changed.
Signals rather than calls in each service, so admin edits and data loads count too.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from brokerage import models

KEY = "market-version"


def current() -> str:
    """A token, not a counter: a cache that was emptied starts a new version too."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(KEY)
    # A cache that holds nothing (Redis unreachable): every read is of a new version, so
    # nothing built for an older market is reused.
    return version or uuid.uuid4().hex


def bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


def _on_change(**kwargs) -> None:
    # At once, so the writer's own later reads in this transaction are not served an answer
    # cached before the change; and again at commit, so nothing another reader cached from
    # the not-yet-committed market in between is served after it.
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    watched = [
        models.Need, models.NeedSkill, models.Offer, models.OfferSkill, models.Match,
        models.Organisation, models.Ward, models.Skill, models.SkillCategory, models.Theme,
    ]  # fmt: skip
    for model in watched:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"market-{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"market-del-{model.__name__}")
    for through in (models.Need.themes.through, models.Offer.wards.through):
        m2m_changed.connect(_on_change, sender=through, dispatch_uid=f"market-m2m-{through}")
