"""A business's volunteers: its employees (members) who give time, with their skills."""

from collections.abc import Iterable

from django.db import transaction

from brokerage import access
from brokerage.errors import InvalidInput, NotAllowed
from brokerage.models import Organisation, Skill, User, Volunteer
from brokerage.services._common import require_can_act_for_volunteer, require_can_administer


@transaction.atomic
def add_volunteer(
    *, organisation: Organisation, user: User, skills: Iterable[Skill] = (), by: User
) -> Volunteer:
    """Link an employee (a member of the business) as a volunteer; re-activates a former one."""
    if organisation.kind != Organisation.Kind.BUSINESS:
        raise InvalidInput("Volunteers are employees of a business.")
    if by != user:
        require_can_administer(by, organisation)
    elif not access.is_member(by, organisation):
        raise NotAllowed(f"Only members of {organisation} can volunteer for it.")
    if not access.is_member(user, organisation):
        raise InvalidInput(
            f"{user} is not a member of {organisation}; invite them first.",
            fields={"user": ["Not a member of this organisation."]},
        )
    volunteer, created = Volunteer.objects.get_or_create(organisation=organisation, user=user)
    if not created and not volunteer.is_active:
        volunteer.is_active = True
        volunteer.save(update_fields=["is_active"])
    if skills:
        volunteer.skills.set(skills)
    return volunteer


@transaction.atomic
def update_volunteer(*, volunteer: Volunteer, by: User, skills: Iterable[Skill]) -> Volunteer:
    """The volunteer or an administrator names the skills they bring."""
    require_can_act_for_volunteer(by, volunteer, "change a volunteer's skills")
    volunteer.skills.set(skills)
    return volunteer


@transaction.atomic
def remove_volunteer(*, volunteer: Volunteer, by: User) -> Volunteer:
    """Stop volunteering (history, bookings and hours stay)."""
    require_can_act_for_volunteer(by, volunteer, "stop someone volunteering")
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])
    return volunteer
