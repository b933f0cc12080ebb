import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction

from brokerage.errors import InvalidInput
from brokerage.models import Offer, OfferSkill, Organisation, Skill, User, Ward
from brokerage.services import listings
from brokerage.services._common import validate

EDITABLE = {
    "title",
    "description",
    "volunteers",
    "days_offered",
    "leave_type",
    "available_from",
    "available_until",
    "remote_ok",
}


def _set_skills(offer: Offer, skills: Mapping[Skill, str]) -> None:
    bad = [level for level in skills.values() if level not in OfferSkill.Level.values]
    if bad:
        message = (
            f"Unknown skill level {bad[0]!r}; use one of {', '.join(OfferSkill.Level.values)}."
        )
        raise InvalidInput(message, fields={"skills": [message]})
    offer.offer_skills.all().delete()
    OfferSkill.objects.bulk_create(
        OfferSkill(offer=offer, skill=skill, level=level) for skill, level in skills.items()
    )


def _set_wards(offer: Offer, wards: Iterable[Ward]) -> None:
    wards = list(wards)
    listings.require_current_wards(wards, "wards")
    offer.wards.set(wards)


@transaction.atomic
def create_offer(
    *,
    organisation: Organisation,
    by: User,
    title: str,
    volunteers: int,
    days_offered: int,
    available_from: dt.date,
    available_until: dt.date,
    skills: Mapping[Skill, str],
    description: str = "",
    leave_type: str = Offer.LeaveType.PAID,
    wards: Iterable[Ward] = (),
    remote_ok: bool = False,
) -> Offer:
    """A business drafts an offer of `days_offered` volunteer-days from `volunteers` people.

    `skills` maps each skill to a level; `wards` empty means anywhere in the authority.
    The draft is invisible to others until it is published.
    """
    listings.require_poster(by, organisation, Organisation.Kind.BUSINESS, "offers")
    offer = Offer(
        organisation=organisation,
        created_by=by,
        title=title,
        description=description,
        volunteers=volunteers,
        days_offered=days_offered,
        leave_type=leave_type,
        available_from=available_from,
        available_until=available_until,
        remote_ok=remote_ok,
    )
    validate(offer)
    offer.save()
    _set_skills(offer, skills)
    _set_wards(offer, wards)
    return offer


@transaction.atomic
def update_offer(
    *,
    offer: Offer,
    by: User,
    skills: Mapping[Skill, str] | None = None,
    wards: Iterable[Ward] | None = None,
    **changes,
) -> Offer:
    """Edit an offer that is not closed or expired. Its days cannot go below the days that
    accepted matches hold; adding days to a fully matched offer opens it again."""
    listings.require_poster(by, offer.organisation, Organisation.Kind.BUSINESS, "offers")
    offer = listings.apply_changes(listings.lock(offer), changes, EDITABLE)
    if skills is not None:
        _set_skills(offer, skills)
    if wards is not None:
        _set_wards(offer, wards)
    return offer
