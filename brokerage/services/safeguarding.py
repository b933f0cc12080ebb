"""Safeguarding: whether a volunteer's DBS check fits a need, recording a check, and the
warnings before one expires.

A need may require a basic, standard or enhanced check, an enhanced one with the barred
lists. A check fits when its level is at least the one required (and covers the barred
lists if they are asked for) and it is current on every day of the work: a check older than
the business's `dbs_valid_years` (3 unless set) counts as expired, unless the volunteer is on
the DBS Update Service, which keeps it current. Only the check's level, barred lists, issue
date and Update Service status are kept — never the certificate's number or contents. The
business's administrators are told 60, 30 and 7 days before a check expires.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from brokerage import selectors
from brokerage.errors import InvalidInput
from brokerage.messaging import outbox
from brokerage.models import DbsLevel, Need, Notification, User, Volunteer
from brokerage.models.volunteering import DBS_RANK
from brokerage.services._common import require_can_administer, validate

WARN_DAYS = (60, 30, 7)


def required_words(need: Need) -> str:
    """The check a need asks for, in words: "an enhanced DBS check with barred lists"."""
    level = DbsLevel(need.dbs_required).label.lower()
    article = "an" if level[0] in "aeiou" else "a"
    return f"{article} {level} DBS check" + (" with barred lists" if need.dbs_barred_lists else "")


def expires_on(volunteer: Volunteer, valid_years: int | None = None) -> dt.date | None:
    """The last day the volunteer's check counts; None if it never runs out (on the Update
    Service) or there is no check. `valid_years` is the business's policy when the caller
    has read it already (a list of one business's volunteers)."""
    if not volunteer.dbs_level or volunteer.dbs_update_service:
        return None
    if valid_years is None:
        valid_years = selectors.leave_policy(volunteer.organisation).dbs_valid_years
    return volunteer.dbs_issued_on + relativedelta(years=valid_years) - dt.timedelta(days=1)


def refusal(volunteer: Volunteer, need: Need, first_day: dt.date, last_day: dt.date) -> str | None:
    """Why the volunteer may not do this need's work between the two days, or None."""
    if not need.dbs_required:
        return None
    name = volunteer.user.get_full_name() or volunteer.user.username
    wanted = required_words(need)
    if not volunteer.dbs_level:
        return f"This request needs {wanted}; {name} has no DBS check recorded."
    if DBS_RANK[volunteer.dbs_level] < DBS_RANK[need.dbs_required] or (
        need.dbs_barred_lists and not volunteer.dbs_barred_lists
    ):
        held = DbsLevel(volunteer.dbs_level).label.lower()
        extra = " with barred lists" if volunteer.dbs_barred_lists else ""
        return f"This request needs {wanted}; {name}'s check is {held}{extra}."
    if first_day < volunteer.dbs_issued_on:
        issued = f"{volunteer.dbs_issued_on:%-d %B %Y}"
        return f"{name}'s DBS check was issued on {issued}, after the work starts."
    ends = expires_on(volunteer)
    if ends is not None and ends < last_day:
        return (
            f"{name}'s DBS check counts until {ends:%-d %B %Y} and the work runs to "
            f"{last_day:%-d %B %Y}; record a newer check first."
        )
    return None


@transaction.atomic
def record_check(
    *,
    volunteer: Volunteer,
    by: User,
    level: str,
    issued_on: dt.date | None,
    barred_lists: bool = False,
    update_service: bool = False,
) -> Volunteer:
    """A business administrator (or a broker) records a volunteer's DBS check, or clears it
    (level "")."""
    require_can_administer(by, volunteer.organisation, "record a volunteer's DBS check")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if level not in DbsLevel.values:
        raise InvalidInput("Unknown DBS level.", fields={"level": ["Choose a level."]})
    if level and issued_on is None:
        raise InvalidInput("Say when the check was issued.", fields={"issued_on": ["Required."]})
    if issued_on is not None and issued_on > timezone.localdate():
        raise InvalidInput(
            "The check cannot be issued in the future.",
            fields={"issued_on": ["Not in the future."]},
        )
    if barred_lists and level != DbsLevel.ENHANCED:
        raise InvalidInput(
            "Barred lists come only with an enhanced check.",
            fields={"barred_lists": ["Only with an enhanced check."]},
        )
    volunteer.dbs_level = level
    volunteer.dbs_issued_on = issued_on if level else None
    volunteer.dbs_barred_lists = bool(barred_lists) and bool(level)
    volunteer.dbs_update_service = bool(update_service) and bool(level)
    volunteer.dbs_warned_days = None  # a new check: its warnings start again
    validate(volunteer)
    volunteer.save()
    return volunteer


def warn_expiring(today: dt.date) -> int:
    """Tell each business's administrators of checks expiring in 60, 30 or 7 days (each
    threshold once per check; a missed day catches up with the nearest). Returns how many
    volunteers were warned about."""
    warned = 0
    checks = (
        Volunteer.objects.filter(
            is_active=True, dbs_update_service=False, dbs_issued_on__isnull=False
        )
        .exclude(dbs_level="")
        .select_related("organisation", "user")
    )
    for volunteer in checks:
        ends = expires_on(volunteer)
        left = (ends - today).days
        due = [days for days in WARN_DAYS if left <= days]
        if not due or left < 0:
            continue
        nearest = min(due)
        if volunteer.dbs_warned_days is not None and volunteer.dbs_warned_days <= nearest:
            continue
        with transaction.atomic():
            locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
            if locked.dbs_warned_days is not None and locked.dbs_warned_days <= nearest:
                continue
            locked.dbs_warned_days = nearest
            locked.save(update_fields=["dbs_warned_days"])
            admins = outbox.admins(volunteer.organisation)
            name = volunteer.user.get_full_name() or volunteer.user.username
            outbox.notify(
                recipients=admins,
                kind=Notification.Kind.DBS_EXPIRING,
                text=(
                    f"{name}'s DBS check counts until {ends:%-d %B %Y} ({left} days). Record "
                    "a newer check, or that they are on the Update Service."
                ),
                subject=volunteer,
            )
        warned += 1
    return warned
