"""Invitations: an organisation's admins bring colleagues in by e-mail.

The link in the e-mail carries a token signed with the site's secret key (Django's signing)
that names the invitation and its current nonce. Only the newest link for an invitation works,
for `INVITATION_LIFETIME`, once; and only the person the invitation was sent to (the e-mail
address on their account) can use it.
"""

import datetime as dt
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from brokerage import notifications, selectors
from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.models import Invitation, Membership, Notification, Organisation, User
from brokerage.services.accounts import sign_up

INVITATION_LIFETIME = dt.timedelta(days=14)
_SALT = "brokerage.invitation"


def invitation_token(invitation: Invitation) -> str:
    """The secret part of the link for the invitation as it stands."""
    return signing.Signer(salt=_SALT).sign_object([invitation.pk, invitation.nonce])


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link names, or `InvalidInput` if the link is forged, mangled or was
    replaced by a newer one."""
    try:
        pk, nonce = signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        message = "This invitation link is not valid. Check it was copied whole."
        raise InvalidInput(message) from error
    invitations = Invitation.objects.select_related("organisation")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=pk, nonce=nonce).first()
    if invitation is None:
        raise InvalidInput(
            "This invitation link has been replaced by a newer one or no longer exists."
        )
    return invitation


def _require_admin(user: User, organisation: Organisation) -> None:
    if not (selectors.is_admin_of(user, organisation) or selectors.is_broker(user)):
        raise NotAllowed(f"Only an admin of {organisation} or a broker can invite people to it.")


def _send(invitation: Invitation) -> None:
    from brokerage import tasks  # tasks import the services: import at call time

    invitation_id = invitation.pk
    transaction.on_commit(lambda: tasks.email_invitation(invitation_id))


@transaction.atomic
def invite(
    *, organisation: Organisation, by: User, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite someone to join by e-mail. Inviting an address that already has an open
    invitation sends it again with a fresh link (the old link stops working)."""
    _require_admin(by, organisation)
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
    _send(invitation)
    return invitation


@transaction.atomic
def revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    _require_admin(by, invitation.organisation)
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
    notifications.notify(
        recipients=[other for other in notifications.members(organisation) if other != user],
        kind=Notification.Kind.MEMBER_JOINED,
        text=f"{user.get_full_name() or user.username} joined {organisation}.",
        url=f"/organisations/{organisation.pk}/",
        api_url=f"/api/v1/organisations/{organisation.pk}/",
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
