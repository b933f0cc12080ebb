"""Invitations: an organisation's admins bring colleagues in by e-mail.

The link in the e-mail carries a signed token (`brokerage.tokens`). Only the newest link for
an invitation works, for `INVITATION_LIFETIME`, once; and only the person the invitation was
sent to (the e-mail address on their account) can use it.
"""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import jobs, outbox
from brokerage.models import Invitation, Membership, Notification, Organisation, User
from brokerage.services._common import require_can_administer
from brokerage.services.accounts import sign_up
from brokerage.tokens import invitation_for_token

INVITATION_LIFETIME = dt.timedelta(days=14)


@transaction.atomic
def invite(
    *, organisation: Organisation, by: User, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite someone to join by e-mail. Inviting an address that already has an open
    invitation sends it again with a fresh link (the old link stops working)."""
    require_can_administer(by, organisation, "invite people to it")
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        message = "Enter an email address in the correct format, like name@example.com"
        raise InvalidInput(message, fields={"email": [message]}) from error
    if role not in Membership.Role.values:
        message = f"Choose one of: {', '.join(Membership.Role.values)}."
        raise InvalidInput(message, fields={"role": [message]})
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        message = f"{email} is already a member of {organisation}."
        raise InvalidInput(message, fields={"email": [message]})
    now = timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            organisation=organisation,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    ) or Invitation(organisation=organisation, email=email)
    invitation.role = role
    invitation.invited_by = by
    invitation.nonce = secrets.token_hex(16)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    invitation.save()
    jobs.email_invitation_after_commit(invitation)
    return invitation


@transaction.atomic
def revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    require_can_administer(by, invitation.organisation, "withdraw its invitations")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise InvalidTransition("This invitation has already been used or withdrawn.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def check_usable(invitation: Invitation) -> None:
    """Raise `InvalidTransition` saying why an invitation can no longer be used."""
    if invitation.accepted_at is not None:
        raise InvalidTransition("This invitation has already been used.")
    if invitation.revoked_at is not None:
        raise InvalidTransition("This invitation was withdrawn. Ask for a new one.")
    if invitation.expires_at <= timezone.now():
        raise InvalidTransition("This invitation has expired. Ask for a new one.")


@transaction.atomic
def accept(*, token: str, user: User) -> Membership:
    """Join the organisation an invitation is for, as the role it gives."""
    invitation = invitation_for_token(token, lock=True)
    check_usable(invitation)
    if user.email.strip().lower() != invitation.email.lower():
        raise NotAllowed(
            f"This invitation was sent to {invitation.email}. Sign in with the account that "
            "uses that address."
        )
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    organisation = invitation.organisation
    outbox.notify(
        recipients=[other for other in outbox.members(organisation) if other != user],
        kind=Notification.Kind.MEMBER_JOINED,
        text=f"{user.get_full_name() or user.username} joined {organisation}.",
        subject=organisation,
    )
    return membership


@transaction.atomic
def accept_as_new_user(*, token: str, account: dict) -> Membership:
    """Someone without an account creates one (with the invited address) and joins."""
    invitation = invitation_for_token(token)
    check_usable(invitation)
    user = sign_up(email=invitation.email, **account)
    return accept(token=token, user=user)
