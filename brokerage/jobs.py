"""On-demand background jobs: the one way services hand work to the worker.

Each job is queued after the transaction that asked for it commits, so the worker sees what
it committed; a queue that is down only logs, and a sweep in `brokerage.tasks` catches up.
This module imports no service that queues jobs (its jobs call modules below the services,
or a service that imports no job), so services can import it without a cycle. Periodic jobs
live in `brokerage.tasks`.
"""

from django.db import transaction
from huey.contrib.djhuey import db_task

from brokerage import announcements, emails, outages
from brokerage.models import Invitation, Need, Offer
from brokerage.services import gap_cases

_LISTINGS = {"offer": Offer, "need": Need}


@db_task(retries=2, retry_delay=30)
def announce_fits(kind: str, pk: int) -> int:
    listing = _LISTINGS[kind].objects.filter(pk=pk).first()
    return announcements.announce_fits(listing) if listing is not None else 0


@db_task(retries=2, retry_delay=30)
def open_gap_cases(need_id: int) -> int:
    return len(gap_cases.open_cases([need_id]))


def announce_fits_after_commit(listing: Offer | Need) -> None:
    """Tell the other side's fitting owners about a just-published listing, and open gap
    cases for a need nothing fits (jobs: they score the market). If they cannot be queued,
    `announcements.announce_missed` and the gap sweep (`brokerage.tasks`) catch up."""
    kind = "offer" if isinstance(listing, Offer) else "need"
    pk = listing.pk

    def queue() -> None:
        _queue(announce_fits, kind, pk)
        if kind == "need":
            _queue(open_gap_cases, pk)

    transaction.on_commit(queue)


def email_invitation_after_commit(invitation: Invitation) -> None:
    """E-mail the invitation's newest link once the transaction that made it commits. If the
    queue is down, the admin sends it again from the organisation's page."""
    invitation_id = invitation.pk
    transaction.on_commit(lambda: _queue(emails.email_invitation, invitation_id))


def _queue(task, *args) -> None:
    """Queue a job; a queue that is unreachable is logged (once), never the caller's error."""
    try:
        task(*args)
    except Exception as error:
        outages.TASK_QUEUE.failed(error)
    else:
        outages.TASK_QUEUE.succeeded()
