"""A volunteer's "I would like to help": registered on an open need, seen by their
business's administrators (told at once), withdrawn by the volunteer."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from brokerage import response_times
from brokerage.errors import InvalidInput, InvalidTransition
from brokerage.messaging import outbox
from brokerage.models import (
    Interest,
    ListingStatus,
    Need,
    Notification,
    User,
    Volunteer,
)
from brokerage.services._common import require_can_act_for_volunteer


@transaction.atomic
def register_interest(*, volunteer: Volunteer, need: Need, by: User, note: str = "") -> Interest:
    require_can_act_for_volunteer(by, volunteer, "say they would like to help")
    if not volunteer.is_active:
        raise InvalidTransition(f"{volunteer} no longer volunteers for {volunteer.organisation}.")
    if need.status != ListingStatus.OPEN:
        raise InvalidTransition("This request for help is no longer open.")
    try:
        with transaction.atomic():
            interest = Interest.objects.create(volunteer=volunteer, need=need, note=note.strip())
    except IntegrityError as error:
        raise InvalidInput(
            "You have already said you would like to help with this.",
            fields={"need": ["Already registered."]},
        ) from error
    admins = outbox.admins(volunteer.organisation)
    person = volunteer.user.get_full_name() or volunteer.user.username
    outbox.notify(
        recipients=admins,
        kind=Notification.Kind.VOLUNTEER_INTERESTED,
        text=(
            f"{person} would like to help with '{need}' ({need.organisation}). An answer is "
            f"due by {response_times.when(response_times.answer_by(interest.created_at))}."
        ),
        subject=need,
        exclude=by,
    )
    return interest


@transaction.atomic
def withdraw_interest(*, interest: Interest, by: User) -> Interest:
    require_can_act_for_volunteer(by, interest.volunteer, "withdraw this")
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.withdrawn_at is None:
        interest.withdrawn_at = timezone.now()
        interest.save(update_fields=["withdrawn_at"])
    return interest
