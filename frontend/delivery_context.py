"""What a match's page shows and offers each person for delivering an agreed match: the
bookings and the booking form, hours with the forms to log, confirm, query and correct them,
closing, feedback. The views that take these forms are `frontend.views.delivery`."""

from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse

from brokerage import selectors
from brokerage.models import Match, MatchStatus, Side, TimeEntry, Volunteer
from frontend.delivery_forms import (
    AmendTimeForm,
    BookForm,
    ExtendForm,
    FeedbackForm,
    LogTimeForm,
    QueryTimeForm,
    ValuationForm,
)

DELIVERING = (MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS)
# Forms the page offers closed (in a <details>) and builds only when asked for one, with the
# template that shows each: most visits open neither, and with a volunteer list and leave
# left they were the page's dearest part. `frontend.views.delivery.delivery_form` serves one
# when its <details> opens.
FETCHED_ON_OPENING = {
    "book": "frontend/includes/delivery_book.html",
    "log": "frontend/includes/fetched_form.html",
}


def volunteers_for(user, match: Match, *, administers: bool | None = None):
    """Whom this person may book or log time for on the match: all the business's active
    volunteers for its admins and brokers, else their own record. `administers` is
    `can_administer(user, business)` if the caller has it already."""
    business = match.offer.organisation
    active = Volunteer.objects.filter(organisation=business, is_active=True).select_related(
        "user", "organisation"
    )
    if administers is None:
        administers = selectors.can_administer(user, business)
    if administers:
        return active.order_by("user__first_name", "user__username")
    return active.filter(user=user)


def _leave_labels(volunteers) -> dict[int, str]:
    """Each volunteer's name with the leave they have left, shown before booking."""
    ledgers = selectors.leave_ledgers(volunteers)
    return {
        volunteer.pk: f"{volunteer.user.get_full_name() or volunteer.user} ("
        + ", ".join(
            f"{row['leave_type']} {row['remaining_days']:f} days left"
            for row in ledgers[volunteer.pk]
        )
        + ")"
        for volunteer in volunteers
    }


def volunteer_forms(
    user, match: Match, *, wanted: set, bound: dict | None = None, administers: bool | None = None
) -> dict:
    """Whether this person may book volunteers onto the match and log hours on it, and those
    forms for the names in `wanted` (a form in `bound` came back with errors)."""
    bound = bound or {}
    delivering = match.status in DELIVERING
    if administers is None:
        administers = selectors.can_administer(user, match.offer.organisation)
    choices = volunteers_for(user, match, administers=administers)
    volunteers = list(choices) if delivering else []
    found = {
        "may_book": delivering and administers and bool(volunteers),
        "may_log": delivering and bool(volunteers),
        "book_form": None,
        "log_form": None,
    }
    here = lambda name: reverse(f"frontend:{name}", args=[match.pk])  # noqa: E731
    if found["may_book"] and "book" in wanted:
        found["book_form"] = form = bound.get("book") or BookForm(
            volunteers=choices, action=here("book")
        )
        labels = _leave_labels(volunteers)
        form.fields["volunteer"].label_from_instance = lambda v: labels.get(v.pk) or str(v)
    if found["may_log"] and "log" in wanted:
        found["log_form"] = bound.get("log") or LogTimeForm(
            volunteers=choices, action=here("time-log")
        )
    return found


def delivery_context(
    request: HttpRequest, match: Match, bound: dict | None = None, opened: str | None = None
) -> dict:
    """What the match page shows and offers this person for delivering the match; `bound`
    holds a form that came back with errors, by name; `opened` names a form of
    `FETCHED_ON_OPENING` to build (the others are offered, not built)."""
    bound = bound or {}
    user = request.user
    here = lambda name, *args: reverse(f"frontend:{name}", args=[match.pk, *args])  # noqa: E731
    sides = selectors.sides_of(user, match)
    delivering = match.status in DELIVERING
    business = match.offer.organisation
    # Asked once: each time entry and form below would otherwise ask again (two queries each).
    administers = selectors.can_administer(user, business)

    def may_act_for(volunteer: Volunteer) -> bool:  # selectors.can_act_for_volunteer, known
        if volunteer.organisation_id != business.pk:
            return selectors.can_act_for_volunteer(user, volunteer)
        return volunteer.user_id == user.pk or administers

    reviewer = Side.VCS in sides
    entries = list(match.time.select_related("volunteer__user", "measure").order_by("-date", "-id"))
    for entry in entries:
        entry.may_amend = entry.status in (
            TimeEntry.Status.PENDING,
            TimeEntry.Status.QUERIED,
        ) and may_act_for(entry.volunteer)
        entry.may_review = reviewer and entry.status == TimeEntry.Status.PENDING
        if entry.may_amend:
            entry.amend_form = bound.get(f"amend-{entry.pk}") or AmendTimeForm(
                entry=entry, action=here("time-amend", entry.pk)
            )
        if entry.may_review:
            entry.query_form = bound.get(f"query-{entry.pk}") or QueryTimeForm(
                entry=entry, action=here("time-query", entry.pk)
            )
    closing_sides = {s for s in sides if s in (Side.BUSINESS, Side.VCS)}
    can_close = match.status == MatchStatus.IN_PROGRESS and (
        any(not getattr(match, f"closed_by_{side}") for side in closing_sides)
        or Side.BROKER in sides
    )
    extend_form = None
    if delivering and sides:
        asked = match.extension_asked_by_side
        agrees = asked and asked not in sides and Side.BROKER not in sides
        extend_form = bound.get("extend") or ExtendForm(
            action=here("extend"),
            button="Give more days"
            if Side.BROKER in sides or agrees or closing_sides == {Side.BUSINESS, Side.VCS}
            else "Ask for more days",
            initial={"days": match.extension_asked_days} if agrees else None,
        )
    given = set(match.feedback.values_list("side", flat=True))
    feedback_form = None
    if match.status == MatchStatus.COMPLETED and closing_sides - given:
        feedback_form = bound.get("feedback") or FeedbackForm(action=here("feedback"))
    valuation_form = None
    if selectors.is_broker(user):
        valuation_form = bound.get("value") or ValuationForm(match=match, action=here("valuation"))
    bookings = list(
        match.assignments.select_related("volunteer__user", "volunteer__organisation").order_by(
            "first_day"
        )
    )
    for booking in bookings:  # who may take a volunteer off: as for booking them
        booking.may_cancel = booking.status == "booked" and administers
    return {
        "valuation_form": valuation_form,
        "bookings": bookings,
        **volunteer_forms(
            user, match, wanted=set(bound) | {opened}, bound=bound, administers=administers
        ),
        "entries": entries,
        "reviewer": reviewer,
        "waiting_count": sum(entry.may_review for entry in entries),
        "can_close": can_close,
        "extend_form": extend_form,
        "feedback_form": feedback_form,
        "feedback": match.feedback.all(),
        "confirmed_hours": sum(
            (e.hours for e in entries if e.status == TimeEntry.Status.CONFIRMED), Decimal(0)
        ),
        "confirmed_value": sum(
            (e.value or 0 for e in entries if e.status == TimeEntry.Status.CONFIRMED), Decimal(0)
        ),
    }
