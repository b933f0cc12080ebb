"""The market change log: what changed in the engine's inputs, in commit order, so that each
web process brings its market up to date by applying only the changes (`brokerage.matchmaking`)
instead of rebuilding it (see `MarketChange` for how positions are assigned).

Signals write the log, as they move `versions.MARKET`, so admin edits and data loads count too.
Writes that bypass signals (`bulk_create`, `QuerySet.update`) call `everything_changed()`
when they are done, or `changed()` with what they touched.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from brokerage import models
from brokerage.models.market_log import MarketChange

Kind = MarketChange.Kind


def changed(kind: str, ids: Iterable[int]) -> None:
    """Log that these needs, offers or organisations (their listings) changed."""
    MarketChange.objects.bulk_create(MarketChange(kind=kind, item_id=pk) for pk in ids)


def everything_changed() -> None:
    """Log a change the log cannot describe listing by listing (skills, wards, themes,
    councils' priorities, a bulk load): every process rebuilds its market."""
    MarketChange.objects.create(kind=Kind.EVERYTHING)


def prune(*, keep_days: int = 2) -> int:
    """Drop changes older than `keep_days`, but never the newest (the place every process up
    to date has reached). A process that had not caught up rebuilds its market; returns the
    number of changes dropped."""
    newest = MarketChange.objects.filter(position__isnull=False).order_by("-position").first()
    if newest is None:
        return 0
    cutoff = timezone.now() - dt.timedelta(days=keep_days)
    deleted, _ = MarketChange.objects.filter(position__lt=newest.position, at__lt=cutoff).delete()
    return deleted


# --- signals --------------------------------------------------------------------------------


def _saved(kind: str, attribute: str = "pk"):
    def receiver(instance, **kwargs) -> None:
        pk = getattr(instance, attribute)
        if pk is not None:
            changed(kind, [pk])

    return receiver


def _everything(**kwargs) -> None:
    everything_changed()


def _listing_m2m(kind: str):
    """Themes of a need, wards of an offer: changed from either end."""

    def receiver(instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
        if not action.startswith("post_"):
            return
        if not reverse:
            changed(kind, [instance.pk])
        elif pk_set:  # e.g. theme.need_set.add(...): the listings are the pk_set
            changed(kind, pk_set)
        else:  # cleared from the other end: which listings is not said
            everything_changed()

    return receiver


def _ends(*kinds) -> dict:
    return {"weak": False, "dispatch_uid": "market-log-" + "-".join(str(k) for k in kinds)}


def connect() -> None:
    """Log changes to everything the engine reads (called once the apps are ready)."""
    listings = (
        (models.Need, Kind.NEED, "pk"),
        (models.NeedSkill, Kind.NEED, "need_id"),
        (models.Offer, Kind.OFFER, "pk"),
        (models.OfferSkill, Kind.OFFER, "offer_id"),
        (models.Organisation, Kind.ORGANISATION, "pk"),
    )
    for model, kind, attribute in listings:
        receiver = _saved(kind, attribute)
        post_save.connect(receiver, sender=model, **_ends(model._meta.label))
        post_delete.connect(receiver, sender=model, **_ends(model._meta.label, "delete"))
    for model in (
        models.Ward, models.Skill, models.SkillCategory, models.Theme, models.Council,
    ):  # fmt: skip
        post_save.connect(_everything, sender=model, **_ends(model._meta.label))
        post_delete.connect(_everything, sender=model, **_ends(model._meta.label, "delete"))
    m2m_changed.connect(
        _listing_m2m(Kind.NEED), sender=models.Need.themes.through, **_ends("need-themes")
    )
    m2m_changed.connect(
        _listing_m2m(Kind.OFFER), sender=models.Offer.wards.through, **_ends("offer-wards")
    )
    for through in (models.Council.priority_themes.through, models.Ward.neighbours.through):
        m2m_changed.connect(_everything, sender=through, **_ends(through._meta.label))
