"""Periodic jobs (huey), run by `manage.py run_huey`. Each is a thin call into a service or a
module that holds the rule; the schedules are here, the rules are not. On-demand jobs are in
`brokerage.messaging.jobs`, `brokerage.messaging.emails` and the services that queue work for
themselves (`services.gap_cases`): importing them here registers them with the worker, which
loads each app's `tasks` module."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from brokerage.infra import market_log
from brokerage.messaging import announcements, emails, jobs  # noqa: F401 jobs: registers its tasks
from brokerage.services import accounts, deadlines, gap_cases, safeguarding


@db_periodic_task(crontab(minute="*/15"))
def nobody_left_waiting() -> tuple[int, int, int]:
    """Reminders at REMINDER_WORKING_DAYS, escalations at ESCALATION_WORKING_DAYS, and
    announcements whose job was lost."""
    return deadlines.send_reminders(), deadlines.escalate(), announcements.announce_missed()


@db_periodic_task(crontab(minute="*/15"))
def gap_sweep() -> tuple[int, int]:
    """Gap cases for needs that became unmet (an offer closed) and closing those met since."""
    return gap_cases.sweep()


@db_periodic_task(crontab(minute="0", hour="8,16"))
def booking_reminders() -> int:
    """Bookings starting tomorrow (at 16:00 UTC, late afternoon in Coventry), and any
    starting today not yet reminded (at 08:00)."""
    return deadlines.remind_bookings()


@db_periodic_task(crontab(minute="5"))
def expire_listings() -> int:
    return deadlines.expire_listings()


@db_periodic_task(crontab(minute="20"))
def purge_expired_tokens() -> int:
    return accounts.purge_expired_tokens()


@db_periodic_task(crontab(minute="40", hour="3"))
def prune_market_log() -> int:
    return market_log.prune()


@db_periodic_task(crontab(minute="30", hour="6"))
def dbs_expiry_warnings() -> int:
    return safeguarding.warn_expiring(timezone.localdate())


@db_periodic_task(crontab(minute="0", hour="7"))
def daily_digest() -> int:
    return emails.send_digests()
