"""A token that changes whenever anything a signed-in reader's identity rests on may have
changed: users (deactivated, password or sign-in), memberships, organisations (a broker is a
member of a verified council) and, connected by the API, its tokens.

A process that remembers who an API token belongs to (`api.authentication`) checks this on
every request, so a revoked token, a closed account or a new membership counts on the very
next request, whichever process serves it. It moves at the change and again at commit, as the
market version does (`brokerage.market_version`). With Redis unreachable there is no version
and nothing is remembered: every request reads the database.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from brokerage import models

KEY = "auth-version"


def current() -> str | None:
    """The current version, or None while the cache cannot hold one (then remember nothing)."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(KEY)
    return version


def bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


def _on_change(**kwargs) -> None:
    bump()
    transaction.on_commit(bump)


def connect(*more_models) -> None:
    """Watch the domain's models, and `more_models` (the API adds its token model)."""
    for model in (models.User, models.Membership, models.Organisation, *more_models):
        name = model.__name__
        post_save.connect(_on_change, sender=model, dispatch_uid=f"auth-{name}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"auth-del-{name}")
