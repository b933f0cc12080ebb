import hashlib

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import CharField, F, TextField, Value
from django.db.models.functions import Replace
from django.dispatch import Signal
from django.utils import timezone

from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import emails, jobs
from brokerage.models import (
    AuditEntry,
    Invitation,
    Membership,
    Notification,
    Organisation,
    User,
    Volunteer,
)
from brokerage.services import audit
from brokerage.services._common import validate
from brokerage.tokens import email_change_for_token


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create a person's account. The password must pass the configured password validators."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate(user, exclude=["password"])
    _check_new_password(password, user, field="password")
    user.set_password(password)
    user.save()
    return user


def _check_new_password(password: str, user: User, *, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], fields={field: error.messages}) from error


# Sent when a person's password changes (`user=`): the edges end what the old one opened (the
# API deletes their tokens). Their other sessions end by themselves: each holds a hash of the
# password it was opened with.
password_changed = Signal()
# One reset e-mail per address in this many seconds: asking again does not flood an inbox.
RESET_EMAIL_INTERVAL = 120


def request_password_reset(email: str) -> None:
    """E-mail a link to choose a new password to every active account with this address.

    Answers the same whether or not an account has it, and sends in the background, so
    neither the answer nor its timing says which addresses are registered."""
    email = email.strip()
    key = "password-reset:" + hashlib.sha256(email.lower().encode()).hexdigest()
    if not email or cache.get(key):
        return
    cache.set(key, True, timeout=RESET_EMAIL_INTERVAL)  # a cache that is down: no limit
    for user in User.objects.filter(email__iexact=email, is_active=True):
        if user.has_usable_password():
            jobs.after_commit(emails.email_password_reset, user.pk)


@transaction.atomic
def change_password(*, user: User, current_password: str, new_password: str) -> User:
    """A signed-in person changes their password, proving it is them with the current one."""
    if not user.check_password(current_password):
        message = "That is not your current password."
        raise InvalidInput(message, fields={"current_password": [message]})
    return set_password(user=user, new_password=new_password)


@transaction.atomic
def set_password(*, user: User, new_password: str) -> User:
    """Give an account a new password: after `change_password` checked the current one, or
    from a reset link whose token the caller checked. The new one must pass the password
    validators. Ends the account's other sessions and API tokens, lifts a sign-in pause
    (the owner proved it is them) and tells the owner by e-mail."""
    _check_new_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    password_changed.send(sender=User, user=user)
    AccessAttempt.objects.filter(username__iexact=user.username).delete()
    jobs.after_commit(emails.email_password_changed, user.pk)
    return user


@transaction.atomic
def change_name(*, user: User, first_name: str, last_name: str) -> User:
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    validate(user, exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    return user


def request_email_change(*, user: User, new_email: str, password: str) -> None:
    """Start moving an account to a new address: a link is e-mailed to it, and the account
    keeps its old address until the link is followed (`confirm_email_change`), so a typo
    cannot cut a person off. The password is asked for because e-mail is how a forgotten
    password is reset."""
    new_email = new_email.strip()
    try:
        validate_email(new_email)
    except ValidationError as error:
        message = "Enter an e-mail address like name@example.org."
        raise InvalidInput(message, fields={"email": [message]}) from error
    if new_email.lower() == user.email.lower():
        message = "That is already your e-mail address."
        raise InvalidInput(message, fields={"email": [message]})
    if not user.check_password(password):
        message = "That is not your password."
        raise InvalidInput(message, fields={"password": [message]})
    jobs.after_commit(emails.email_address_confirmation, user.pk, new_email)


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    """Follow a confirmation link: the account takes the new address and the old one is
    told. `InvalidInput` for a link that is forged, expired or already used."""
    user, new_email = email_change_for_token(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    old_email = user.email
    user.email = new_email
    user.save(update_fields=["email"])
    jobs.after_commit(emails.email_address_changed, user.pk, old_email)
    return user


# What a closed account's name, username or e-mail becomes wherever it appeared in text.
ERASED = "a former member"
# Sent inside the closing transaction (`user=`): the edges end what they hold for the person
# (the API deletes its tokens), without the domain knowing about them.
account_closed = Signal()


@transaction.atomic
def close_account(*, user: User, by: User, password: str) -> User:
    """A person closes their own account (UK GDPR's right to erasure, as far as the record
    allows). What they did stays — hours, matches, bookings, £ of social value, the audit
    log — but no longer names them: the user row is anonymised and their name and e-mail
    are taken out of every text column that held them. They are signed out everywhere.

    Refused (nothing changes) for the wrong password, or while they are the only
    administrator of an organisation that has other members (someone must be left to run it).
    """
    if by.pk != user.pk:
        raise NotAllowed("Only the person themselves can close their account.")
    if not user.check_password(password):
        raise InvalidInput(
            "That is not your password.", fields={"password": ["That is not your password."]}
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    for membership in Membership.objects.filter(user=user, role=Membership.Role.ADMIN):
        organisation = membership.organisation
        others = Membership.objects.filter(organisation=organisation).exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.ADMIN).exists():
            raise InvalidTransition(
                f"You are the only administrator of {organisation}: make another member an "
                "administrator first, then close your account."
            )
    tokens = [t for t in {user.email, user.email.lower(), user.get_full_name()} if t.strip()]
    _hand_over_contact_email(user)
    Invitation.objects.filter(email__iexact=user.email).update(email="")
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(text__startswith=f"{user.username} ").update(
        text=Replace(F("text"), Value(user.username), Value(ERASED.capitalize()))
    )
    for token in tokens:
        _erase_everywhere(token)
    Volunteer.objects.filter(user=user).update(  # a DBS check is theirs: it goes too
        is_active=False, dbs_level="", dbs_barred_lists=False, dbs_issued_on=None,
        dbs_update_service=False, dbs_warned_days=None,
    )  # fmt: skip
    Membership.objects.filter(user=user).delete()
    account_closed.send(sender=User, user=user)  # e.g. every API token goes
    for model in (AccessAttempt, AccessLog, AccessFailureLog):  # sign-in records name them
        model.objects.filter(username__iexact=user.username).delete()
    audit.record(actor=user, action=AuditEntry.Action.ACCOUNT_CLOSED, subject=user)
    user.username = f"closed-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()  # also ends every session (their hash no longer matches)
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    return user


def _hand_over_contact_email(user: User) -> None:
    """An organisation whose contact address was theirs gets another administrator's."""
    for organisation in Organisation.objects.filter(contact_email__iexact=user.email):
        other = (
            Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
            .exclude(user=user)
            .exclude(user__email="")
            .select_related("user")
            .first()
        )
        organisation.contact_email = other.user.email if other else ""
        organisation.save(update_fields=["contact_email"])


def _erase_everywhere(token: str) -> None:
    """Replace `token` in every text column of every model. Append-only tables are changed
    through the base manager: erasure is the one change their rule gives way to."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, CharField | TextField) or field.choices or field.primary_key:
                continue
            model._base_manager.filter(**{f"{field.name}__contains": token}).update(
                **{field.name: Replace(F(field.name), Value(token), Value(ERASED))}
            )


def purge_expired_tokens() -> int:
    """Delete API tokens past their expiry (refused anyway: `api.authentication` checks each
    one it is shown; this keeps the table to live tokens). Returns how many went."""
    tokens = apps.get_model("knox", "AuthToken")  # the model, not knox's HTTP side
    deleted, _ = tokens.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
