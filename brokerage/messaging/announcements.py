"""Announcing a newly published listing to the other side's owners it fits.

Runs as a task after the publishing transaction commits: the matching engine scores against
the committed market, and publishing stays fast. `fits_announced_at`, set in the same
transaction as the notifications, makes a repeated or retried run send nothing.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brokerage import matchmaking
from brokerage.messaging import outbox
from brokerage.models import ListingStatus, Need, Notification, Offer


def announce_fits(listing: Offer | Need) -> int:
    """Notify each organisation with an open listing fitting `listing` at least
    FIT_NOTIFY_THRESHOLD (once per organisation, naming its best-fitting listing).
    Returns how many organisations were told."""
    model = type(listing)
    with transaction.atomic():
        listing = (
            model.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=listing.pk)
        )
        if listing.fits_announced_at is not None or listing.status != ListingStatus.OPEN:
            return 0
        listing.fits_announced_at = timezone.now()
        listing.save(update_fields=["fits_announced_at"])
        find = (
            matchmaking.suggestions_for_need if model is Need else matchmaking.suggestions_for_offer
        )
        found = find(
            listing, limit=settings.FIT_NOTIFY_LIMIT, min_score=settings.FIT_NOTIFY_THRESHOLD
        )
        best_per_organisation = {}
        for suggested in found:  # best first
            best_per_organisation.setdefault(suggested.listing.organisation_id, suggested)
        noun, their = ("need", "offer") if model is Need else ("offer", "need")
        where = f" in {listing.ward}" if model is Need else ""
        for suggested in best_per_organisation.values():
            outbox.notify(
                recipients=outbox.members(suggested.listing.organisation),
                kind=Notification.Kind.NEED_FITS_OFFER
                if model is Need
                else Notification.Kind.OFFER_FITS_NEED,
                text=(
                    f"A new {noun} fits your {their} '{suggested.listing}': '{listing}' from "
                    f"{listing.organisation}{where} (fit {suggested.suggestion.score:.0%})."
                ),
                subject=listing,
            )
        return len(best_per_organisation)


def announce_missed(now: dt.datetime | None = None) -> int:
    """Announce listings published a while ago whose announcement task never ran (the queue
    was down at the commit). Listings older than two days are left: the news is stale."""
    now = now or timezone.now()
    told = 0
    for model in (Offer, Need):
        missed = model.objects.filter(
            status=ListingStatus.OPEN,
            fits_announced_at__isnull=True,
            published_at__lte=now - dt.timedelta(minutes=10),
            published_at__gte=now - dt.timedelta(days=2),
        )
        for listing in missed:
            told += announce_fits(listing)
    return told
