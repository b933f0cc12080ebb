"""Secrets in links sent by e-mail, signed with the site's secret key (Django's signing).

An invitation's link: the invitation's id and current nonce. Sending a new link changes the
nonce, so only the newest link for an invitation works. A new e-mail address's confirmation
link: see `email_change_token`. A person's bookings feed: `calendar_feed_token`. (A password
reset link is Django's own token.)"""

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from brokerage.errors import InvalidInput
from brokerage.models import Invitation, User

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


_EMAIL_SALT = "brokerage.email-change"
# How long a link confirming a new e-mail address works.
EMAIL_CHANGE_MAX_AGE = 2 * 24 * 3600


def email_change_token(user: User, new_email: str) -> str:
    """The secret in the link sent to a new address: who, the address it replaces and the new
    one, signed and timed. Once the change is made the address it replaces no longer matches,
    so the link works once."""
    return signing.TimestampSigner(salt=_EMAIL_SALT).sign_object([user.pk, user.email, new_email])


def email_change_for_token(token: str) -> tuple[User, str]:
    """The account and the new address a confirmation link names, or `InvalidInput` if the
    link is forged, mangled, out of date or already used."""
    try:
        pk, old_email, new_email = signing.TimestampSigner(salt=_EMAIL_SALT).unsign_object(
            token, max_age=EMAIL_CHANGE_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise InvalidInput(
            "This link has expired: links to confirm an e-mail address work for 2 days. "
            "Change your e-mail again from your account to get a new one."
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidInput("This link is not valid. Check it was copied whole.") from error
    user = User.objects.filter(pk=pk, is_active=True, email=old_email).first()
    if user is None:
        raise InvalidInput(
            "This link has been used already, or your e-mail changed since it was sent."
        )
    return user, new_email


_CALENDAR_SALT = "brokerage.calendar-feed"


def calendar_feed_token(user: User) -> str:
    """The secret in the address of a person's bookings feed (calendar apps cannot sign in).
    It carries a digest of their password hash, so a new password gives a new address and
    ends the old one."""
    return signing.Signer(salt=_CALENDAR_SALT).sign_object([user.pk, _password_key(user)])


def user_for_calendar_token(token: str) -> User | None:
    """Whose feed a token opens, or None for a forged, mangled or outdated one."""
    try:
        pk, key = signing.Signer(salt=_CALENDAR_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not constant_time_compare(key, _password_key(user)):
        return None
    return user


def _password_key(user: User) -> str:
    return salted_hmac(_CALENDAR_SALT, user.password, algorithm="sha256").hexdigest()[:16]


_PREFERENCES_SALT = "brokerage.notification-preferences"


def preferences_token(user: User) -> str:
    """The secret in the link every notification e-mail carries to change what is sent,
    which works without signing in (one click from the e-mail)."""
    return signing.Signer(salt=_PREFERENCES_SALT).sign_object([user.pk])


def user_for_preferences_token(token: str) -> User | None:
    try:
        (pk,) = signing.Signer(salt=_PREFERENCES_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
