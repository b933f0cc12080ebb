"""Helpers shared by the services (not part of their public interface)."""

from django.core.exceptions import ValidationError
from django.db import models

from brokerage import selectors
from brokerage.errors import InvalidInput, NotAllowed
from brokerage.models import Organisation, User, Volunteer


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """`full_clean()`, with Django's ValidationError turned into our InvalidInput."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        first = next(iter(fields.values()), error.messages)[0]
        raise InvalidInput(first, fields=fields) from error


def require_can_act_for(user: User, organisation: Organisation, action: str) -> None:
    if not selectors.can_act_for(user, organisation):
        raise NotAllowed(f"Only members of {organisation} or a broker can {action}.")


def require_can_administer(user: User, organisation: Organisation, action: str = "do this") -> None:
    if not selectors.can_administer(user, organisation):
        raise NotAllowed(f"Only an administrator of {organisation} or a broker can {action}.")


def require_can_act_for_volunteer(user: User, volunteer: Volunteer, action: str) -> None:
    if not selectors.can_act_for_volunteer(user, volunteer):
        raise NotAllowed(
            f"Only the volunteer, an administrator of {volunteer.organisation} or a broker can "
            f"{action}."
        )


def require_broker(user: User, action: str) -> None:
    if not selectors.is_broker(user):
        raise NotAllowed(f"Only a broker can {action}.")
