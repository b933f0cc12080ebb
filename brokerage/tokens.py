"""The secret in an invitation's link: the invitation's id and current nonce, signed with the
site's secret key (Django's signing). Sending a new link changes the nonce, so only the newest
link for an invitation works."""

from django.core import signing

from brokerage.errors import InvalidInput
from brokerage.models import Invitation

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
