"""Helpers shared by the services (not part of their public interface): input validation and
the `require_*` guards that turn an access rule (`brokerage.access`) into a `NotAllowed`."""

from django.core.exceptions import ValidationError
from django.db import models

from brokerage import access
from brokerage.errors import InvalidInput, NotAllowed
from brokerage.models import Need, Offer, Organisation, User, Volunteer


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """`full_clean()`, with Django's ValidationError turned into our InvalidInput."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        first = next(iter(fields.values()), error.messages)[0]
        raise InvalidInput(first, fields=fields) from error


def refusal_to_act_for(organisation: Organisation, action: str) -> str:
    return f"Only members of {organisation} or a broker can {action}."


def refusal_to_administer(organisation: Organisation, action: str = "do this") -> str:
    return f"Only an administrator of {organisation} or a broker can {action}."


def refusal_to_manage(listing: Offer | Need, action: str) -> str:
    """Why someone may not manage a listing (`access.can_manage_listing`)."""
    if listing.organisation.kind == Organisation.Kind.BUSINESS:
        return refusal_to_administer(listing.organisation, action)
    return refusal_to_act_for(listing.organisation, action)


def require_can_act_for(user: User, organisation: Organisation, action: str) -> None:
    if not access.can_act_for(user, organisation):
        raise NotAllowed(refusal_to_act_for(organisation, action))


def require_can_administer(user: User, organisation: Organisation, action: str = "do this") -> None:
    if not access.can_administer(user, organisation):
        raise NotAllowed(refusal_to_administer(organisation, action))


def require_can_manage(user: User, listing: Offer | Need, action: str) -> None:
    if not access.can_manage_listing(user, listing):
        raise NotAllowed(refusal_to_manage(listing, action))


def require_can_act_for_volunteer(user: User, volunteer: Volunteer, action: str) -> None:
    if not access.can_act_for_volunteer(user, volunteer):
        raise NotAllowed(
            f"Only the volunteer, an administrator of {volunteer.organisation} or a broker can "
            f"{action}."
        )


def require_broker(user: User, action: str, where: object = None) -> None:
    """A broker (of `where`'s area, when given: `access.is_broker`)."""
    if not access.is_broker(user, where):
        if where is not None and access.is_broker(user):
            raise NotAllowed(f"Only a broker of its council's area can {action}.")
        raise NotAllowed(f"Only a broker can {action}.")
