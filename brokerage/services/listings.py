"""Rules offers and needs share: publishing, closing and deleting (the same services for both),
and the editing, ward and poster checks that `needs` and `offers` use to create and change
them."""

import logging
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from brokerage import access, selectors
from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed, NotVerified
from brokerage.messaging import jobs, outbox
from brokerage.models import (
    AuditEntry,
    ListingStatus,
    Need,
    Notification,
    Offer,
    Organisation,
    Side,
    User,
    Ward,
)
from brokerage.services import audit, gap_cases
from brokerage.services._common import (
    refusal_to_act_for,
    refusal_to_administer,
    require_can_manage,
    validate,
)
from brokerage.services.matches import cancel_proposals
from brokerage.wording import quantity

log = logging.getLogger(__name__)
L = TypeVar("L", Offer, Need)
FINISHED = (ListingStatus.CLOSED, ListingStatus.EXPIRED)
# What a listing is called in messages, and the side its organisation is on.
_NOUN = {Offer: "offer", Need: "request for help"}
_OWNER_SIDE = {Offer: Side.BUSINESS, Need: Side.VCS}


def require_poster(user: User, organisation: Organisation, kind: str, nouns: str) -> None:
    """Only an organisation of the right kind posts its listings: a charity's members (or a
    broker) its needs; a business's administrators (or a broker) its offers, because an offer
    commits the staff's time — its volunteers say they would like to help instead."""
    if organisation.kind != kind:
        who = "a business" if kind == Organisation.Kind.BUSINESS else "a charity or community group"
        raise InvalidInput(
            f"Only {who} can post {nouns}.",
            fields={"organisation": [f"{organisation} is a {organisation.get_kind_display()}."]},
        )
    if not access.can_post_for(user, organisation):
        action = f"post {nouns} for it"
        raise NotAllowed(
            refusal_to_administer(organisation, action)
            if kind == Organisation.Kind.BUSINESS
            else refusal_to_act_for(organisation, action)
        )


def require_listing_manager(user: User, listing: Offer | Need, action: str) -> None:
    """Who may publish or close a listing: `access.can_manage_listing`."""
    require_can_manage(user, listing, action)


def require_current_wards(wards: Iterable[Ward], field: str) -> None:
    """New listings name wards in force of a council this service brokers."""
    current = set(selectors.current_wards().values_list("pk", flat=True))
    refused = [ward for ward in wards if ward.pk not in current]
    if not refused:
        return
    outside = [ward.name for ward in refused if ward.council_id not in settings.COUNCILS]
    stale = [ward.name for ward in refused if ward.council_id in settings.COUNCILS]
    if outside:
        message = (
            f"{', '.join(outside)}: in a council this service does not broker; "
            "choose a ward of a council it serves."
        )
    else:
        message = f"{', '.join(stale)}: no longer a ward in use; choose a current ward."
    raise InvalidInput(message, fields={field: [message]})


def lock(listing: L) -> L:
    return (
        type(listing)
        .objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=listing.pk)
    )


def apply_changes(listing: L, changes: dict[str, Any], editable: set[str]) -> L:
    """Set plain fields on a locked listing and validate it; capacity never drops below what
    accepted matches hold."""
    unknown = changes.keys() - editable
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}.")
    if listing.status in FINISHED:
        raise InvalidTransition(f"'{listing}' is {listing.get_status_display().lower()}.")
    for name, value in changes.items():
        setattr(listing, name, value)
    if listing.days_remaining < 0:
        field = "days_offered" if isinstance(listing, Offer) else "days_needed"
        reserved = listing.days_reserved
        agreeing = "is" if reserved == 1 else "are"
        message = f"{quantity(reserved, 'day')} {agreeing} already matched; it cannot be fewer."
        raise InvalidInput(message, fields={field: [message]})
    validate(listing)
    listing.sync_status_with_capacity()
    listing.save()
    return listing


@transaction.atomic
def publish_listing(*, listing: L, by: User) -> L:
    """Open a draft offer or need to matching. Its organisation must be verified, its dates
    current, and it must name at least one skill."""
    noun = _NOUN[type(listing)]
    require_listing_manager(by, listing, f"publish this {noun}")
    listing = lock(listing)
    if not listing.organisation.is_verified:
        raise NotVerified(
            f"{listing.organisation} must be verified by a broker before it can publish."
        )
    if listing.status != ListingStatus.DRAFT:
        raise InvalidTransition(
            f"Only a draft can be published; this {noun} is {listing.get_status_display().lower()}."
        )
    if listing.last_day < timezone.localdate():
        raise InvalidInput(f"The {noun}'s dates have passed; change them before publishing.")
    if not listing.skills.exists():
        raise InvalidInput(
            f"Name at least one skill before publishing the {noun}.",
            fields={"skills": ["Choose at least one skill."]},
        )
    listing.status = ListingStatus.OPEN
    listing.published_at = timezone.now()
    listing.sync_status_with_capacity()
    listing.save()
    outbox.notify(
        recipients=outbox.brokers(listing),
        kind=Notification.Kind.OFFER_PUBLISHED
        if isinstance(listing, Offer)
        else Notification.Kind.NEED_PUBLISHED,
        text=f"{listing.organisation} published: '{listing}'.",
        subject=listing,
        exclude=by,
    )
    jobs.announce_fits_after_commit(listing)
    if isinstance(listing, Need):  # a case for brokers if nothing fits it (`gap_cases`)
        jobs.after_commit(gap_cases.open_cases_later, listing.pk)
    return listing


@transaction.atomic
def close_listing(*, listing: L, by: User) -> L:
    """Withdraw an offer or need: no new matches; proposals still waiting on it are
    cancelled; accepted matches go ahead."""
    noun = _NOUN[type(listing)]
    require_listing_manager(by, listing, f"close this {noun}")
    listing = lock(listing)
    if listing.status in FINISHED:
        raise InvalidTransition(f"This {noun} is already {listing.get_status_display().lower()}.")
    was = listing.status
    listing.status = ListingStatus.CLOSED
    listing.closed_at = timezone.now()
    listing.save()
    owner = access.is_member(by, listing.organisation)
    side = _OWNER_SIDE[type(listing)] if owner else Side.BROKER
    if not owner:  # a broker closing another organisation's listing answers for it
        audit.record(
            actor=by,
            action=AuditEntry.Action.LISTING_CLOSED,
            subject=listing,
            organisation=listing.organisation,
            changes={"status": [was, listing.status]},
        )
    cancel_proposals(listing=listing, by=by, side=side, note=f"The {noun} was closed.")
    return listing


@transaction.atomic
def delete_listing(*, listing: L, by: User) -> None:
    """Only a draft that never had a match can be deleted; anything else is closed instead,
    so the history of what was offered and matched stays."""
    noun = _NOUN[type(listing)]
    require_listing_manager(by, listing, f"delete this {noun}")
    listing = lock(listing)
    if listing.status != ListingStatus.DRAFT or listing.matches.exists():
        raise InvalidTransition(
            f"Only a draft {noun} without matches can be deleted; close it instead."
        )
    listing.delete()
