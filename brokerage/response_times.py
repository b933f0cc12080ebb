"""How long people have to answer, and what the service does when they have not.

Whatever waits for someone — a proposal for the side(s) that have not accepted, a volunteer's
interest for their business's administrators, a new gap case for the area's brokers — is due
`REMINDER_WORKING_DAYS` working days (England and Wales) after it was asked. For a proposal
the side that owes the answer is reminded then, and brokers are told at
`ESCALATION_WORKING_DAYS` (`services.deadlines`). The pages, the API, the notifications and
the e-mails all show the moment from here, so what people are told is what happens.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from brokerage.working_days import add_working_days


def answer_by(asked_at: dt.datetime) -> dt.datetime:
    """When an answer to something asked at `asked_at` is due."""
    return add_working_days(asked_at, settings.REMINDER_WORKING_DAYS)


def brokers_told_at(asked_at: dt.datetime) -> dt.datetime:
    """When a proposal still unanswered is passed to the area's brokers."""
    return add_working_days(asked_at, settings.ESCALATION_WORKING_DAYS)


def when(moment: dt.datetime) -> str:
    """A due moment as people read it: 'Thursday 10 December, 2:30pm'."""
    local = timezone.localtime(moment)
    hour = local.strftime("%-I:%M%p").lower().replace(":00", "")
    return f"{local:%A %-d %B}, {hour}"
