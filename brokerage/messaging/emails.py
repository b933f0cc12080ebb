"""E-mail for people who are not looking: one message per urgent notification, a daily digest
of the rest. Both go out only for notifications still unread and not yet e-mailed, and mark
them e-mailed in the same transaction, so a notification is e-mailed at most once whichever
path reaches it first.

The worker sends them: the tasks are defined here, beside what they send. This module imports
no service and no notification code, so both can queue e-mail without an import cycle.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from huey.contrib.djhuey import db_task

from brokerage.infra import outages
from brokerage.messaging import links, preferences
from brokerage.models import Delivery, Invitation, Notification, User
from brokerage.tokens import email_change_token, invitation_token, preferences_token

log = logging.getLogger(__name__)

DIGEST_MAX_ITEMS = 30  # a longer digest lists these newest ones and says how many more


def _send(template: str, subject: str, to: str, context: dict) -> None:
    """One plain-text e-mail from `emails/<template>.txt`, from DEFAULT_FROM_EMAIL."""
    send_mail(
        subject=subject,
        message=render_to_string(f"emails/{template}.txt", context),
        from_email=None,
        recipient_list=[to],
    )


def _waiting():
    """Unread, not yet e-mailed, to someone who can be e-mailed and wants this kind e-mailed."""
    return preferences.wanted(
        Notification.objects.filter(
            read_at__isnull=True, emailed_at__isnull=True, recipient__is_active=True
        ).exclude(recipient__email="")
    )


def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification if its recipient has neither read it nor had it e-mailed.
    Returns whether a message was sent."""
    with transaction.atomic():
        notification = (
            _waiting()
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return False
        chosen = preferences.choices_of([notification.recipient_id], notification.kind)
        if chosen[notification.recipient_id] != Delivery.INSTANT:
            return False  # changed to the digest since it was queued: the digest sends it
        context = {
            "notification": notification,
            "link": links.absolute(links.for_notification(notification).page),
            "preferences": _preferences_link(notification.recipient),
        }
        _send(
            "notification",
            f"Coventry volunteering: {notification.get_kind_display()}",
            notification.recipient.email,
            context,
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True


def _preferences_link(user: User) -> str:
    """A link, in every notification e-mail, to change what is e-mailed (no sign-in needed)."""
    return links.absolute(links.preferences_page(preferences_token(user)))


def send_invitation_email(invitation_id: int) -> bool:
    """E-mail the newest link of an invitation that is still open. Returns whether sent."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(
            pk=invitation_id,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if invitation is None:
        return False
    context = {
        "invitation": invitation,
        "link": links.absolute(links.invitation_page(invitation_token(invitation))),
    }
    _send(
        "invitation",
        f"Join {invitation.organisation} on Coventry volunteering",
        invitation.email,
        context,
    )
    return True


def send_digests(now: dt.datetime | None = None) -> int:
    """One e-mail per user with unread notifications not yet e-mailed. Returns how many."""
    now = now or timezone.now()
    sent = 0
    for user_id in _waiting().order_by().values_list("recipient_id", flat=True).distinct():
        with transaction.atomic():
            rows = list(
                _waiting()
                .filter(recipient_id=user_id)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("recipient")
                .order_by("-id")
            )
            if not rows:
                continue  # another worker took them
            recipient = rows[0].recipient
            shown = rows[:DIGEST_MAX_ITEMS]
            found = links.for_notifications(shown)
            context = {
                "user": recipient,
                "items": [(row, links.absolute(found[row.pk].page)) for row in shown],
                "more": max(0, len(rows) - DIGEST_MAX_ITEMS),
                "inbox": links.absolute(links.inbox_page()),
                "preferences": _preferences_link(recipient),
            }
            count = len(rows)
            _send(
                "digest",
                f"Coventry volunteering: {count} update{'s' if count != 1 else ''}",
                recipient.email,
                context,
            )
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=now)
            sent += 1
    log.info("Sent %d notification digests", sent)
    return sent


@db_task(retries=3, retry_delay=60)
def email_notification(notification_id: int) -> bool:
    return send_notification_email(notification_id)


@db_task(retries=3, retry_delay=60)
def email_invitation(invitation_id: int) -> bool:
    return send_invitation_email(invitation_id)


def email_soon(notifications: list[Notification]) -> None:
    """Queue an e-mail for each notification its recipient wants e-mailed at once (by
    default the urgent kinds), sent after a grace period unless read by then. A queue that
    is down only logs: the daily digest sends what is still unread."""
    chosen: dict[tuple[int, str], str] = {}
    for kind in {n.kind for n in notifications}:  # one query per kind (a notify has one)
        ids = [n.recipient_id for n in notifications if n.kind == kind]
        chosen |= {(pk, kind): c for pk, c in preferences.choices_of(ids, kind).items()}
    for notification in notifications:
        if chosen[notification.recipient_id, notification.kind] != Delivery.INSTANT:
            continue
        try:
            email_notification.schedule(args=(notification.pk,), delay=settings.EMAIL_GRACE_SECONDS)
        except Exception as error:
            outages.TASK_QUEUE.failed(error)
        else:
            outages.TASK_QUEUE.succeeded()


def send_lockout_email(username: str) -> bool:
    """Tell an account's owner that signing in to it was paused. Returns whether sent."""
    user = User.objects.filter(username=username, is_active=True).exclude(email="").first()
    if user is None:  # an unknown name, or nobody to tell
        return False
    context = {
        "user": user,
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "reset": links.absolute(links.password_reset_request_page()),
    }
    _send(
        "locked_out",
        "Coventry volunteering: signing in to your account was paused",
        user.email,
        context,
    )
    return True


@db_task(retries=3, retry_delay=60)
def email_lockout(username: str) -> bool:
    return send_lockout_email(username)


def on_locked_out(sender, request, username: str | None, ip_address: str, **kwargs) -> None:
    """django-axes' `user_locked_out` (sent for every refused attempt while locked): the
    owner hears once per lockout period."""
    # The key is a digest: a username is whatever was typed, and a cache key must be short ASCII.
    key = "lockout-told:" + hashlib.sha256((username or "").lower().encode()).hexdigest()
    if not username or not cache.add(key, True, timeout=settings.AXES_COOLOFF_TIME.total_seconds()):
        return
    try:
        email_lockout(username)
    except Exception as error:
        outages.TASK_QUEUE.failed(error)


def _account_holder(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()


def send_password_reset_email(user_id: int) -> bool:
    """E-mail a link to choose a new password (Django's token: it works once, until
    PASSWORD_RESET_TIMEOUT). Returns whether sent."""
    user = _account_holder(user_id)
    if user is None or not user.has_usable_password():
        return False
    path = links.password_reset_page(
        urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    )
    context = {
        "user": user,
        "link": links.absolute(path),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    _send("password_reset", "Coventry volunteering: choose a new password", user.email, context)
    return True


def send_password_changed_email(user_id: int) -> bool:
    """Tell an account's owner their password changed, in case it was not them."""
    user = _account_holder(user_id)
    if user is None:
        return False
    context = {"user": user, "reset": links.absolute(links.password_reset_request_page())}
    _send(
        "password_changed", "Coventry volunteering: your password was changed", user.email, context
    )
    return True


def send_email_confirmation(user_id: int, new_email: str) -> bool:
    """E-mail the new address a link that makes it the account's. Returns whether sent."""
    user = _account_holder(user_id)
    if user is None:
        return False
    context = {
        "user": user,
        "link": links.absolute(links.email_confirmation_page(email_change_token(user, new_email))),
    }
    _send(
        "email_confirmation",
        "Coventry volunteering: confirm your new e-mail address",
        new_email,
        context,
    )
    return True


def send_email_changed_notice(user_id: int, old_email: str) -> bool:
    """Tell the address an account used to have that it changed, in case it was not them."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not old_email:
        return False
    context = {"user": user, "reset": links.absolute(links.password_reset_request_page())}
    _send(
        "email_changed",
        "Coventry volunteering: your e-mail address was changed",
        old_email,
        context,
    )
    return True


@db_task(retries=3, retry_delay=60)
def email_password_reset(user_id: int) -> bool:
    return send_password_reset_email(user_id)


@db_task(retries=3, retry_delay=60)
def email_password_changed(user_id: int) -> bool:
    return send_password_changed_email(user_id)


@db_task(retries=3, retry_delay=60)
def email_address_confirmation(user_id: int, new_email: str) -> bool:
    return send_email_confirmation(user_id, new_email)


@db_task(retries=3, retry_delay=60)
def email_address_changed(user_id: int, old_email: str) -> bool:
    return send_email_changed_notice(user_id, old_email)
