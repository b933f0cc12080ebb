"""Background tasks (huey), run by `manage.py run_huey`. Each is a thin call into a service or
a module that holds the rule; the schedules are here, the rules are not."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from brokerage import emails
from brokerage.models import Need, Offer
from brokerage.services import announcements, deadlines

_LISTINGS = {"offer": Offer, "need": Need}


@db_task(retries=3, retry_delay=60)
def email_notification(notification_id: int) -> bool:
    return emails.send_notification_email(notification_id)


@db_task(retries=3, retry_delay=60)
def email_invitation(invitation_id: int) -> bool:
    return emails.send_invitation_email(invitation_id)


@db_task(retries=2, retry_delay=30)
def announce_fits(kind: str, pk: int) -> int:
    listing = _LISTINGS[kind].objects.filter(pk=pk).first()
    return announcements.announce_fits(listing) if listing is not None else 0


@db_periodic_task(crontab(minute="*/15"))
def nobody_left_waiting() -> tuple[int, int, int]:
    """Reminders at REMINDER_WORKING_DAYS, escalations at ESCALATION_WORKING_DAYS, and
    announcements whose task was lost."""
    return deadlines.send_reminders(), deadlines.escalate(), announcements.announce_missed()


@db_periodic_task(crontab(minute="5"))
def expire_listings() -> int:
    return deadlines.expire_listings()


@db_periodic_task(crontab(minute="0", hour="7"))
def daily_digest() -> int:
    return emails.send_digests()
