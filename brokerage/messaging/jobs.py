"""On-demand background jobs: the one way services hand work to the worker.

Each job is queued after the transaction that asked for it commits, so the worker sees what
it committed; a queue that is down only logs, and a sweep in `brokerage.tasks` catches up.
This module imports no service (its jobs call modules below the services), so every service
can import it; a service that queues work for itself defines its job beside its rule and hands
it to `after_commit` (`services.gap_cases.open_cases_later`). The architecture test keeps the
arrow one way. Periodic jobs live in `brokerage.tasks`.
"""

from django.db import transaction
from huey.contrib.djhuey import db_task

from brokerage.infra import outages
from brokerage.messaging import announcements, emails
from brokerage.models import Invitation, Need, Offer

_LISTINGS = {"offer": Offer, "need": Need}


@db_task(retries=2, retry_delay=30)
def announce_fits(kind: str, pk: int) -> int:
    listing = _LISTINGS[kind].objects.filter(pk=pk).first()
    return announcements.announce_fits(listing) if listing is not None else 0


def announce_fits_after_commit(listing: Offer | Need) -> None:
    """Tell the other side's fitting owners about a just-published listing (a job: it scores
    the market). If it cannot be queued, `announcements.announce_missed` catches up."""
    after_commit(announce_fits, "offer" if isinstance(listing, Offer) else "need", listing.pk)


def after_commit(task, *args) -> None:
    """Queue `task(*args)` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _queue(task, *args))


def email_invitation_after_commit(invitation: Invitation) -> None:
    """E-mail the invitation's newest link once the transaction that made it commits. If the
    queue is down, the admin sends it again from the organisation's page."""
    after_commit(emails.email_invitation, invitation.pk)


def _queue(task, *args) -> None:
    """Queue a job; a queue that is unreachable is logged (once), never the caller's error."""
    try:
        task(*args)
    except Exception as error:
        outages.TASK_QUEUE.failed(error)
    else:
        outages.TASK_QUEUE.succeeded()
