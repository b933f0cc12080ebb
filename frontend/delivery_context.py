"""What a match's page shows and builds for delivering an agreed match: the bookings and the
booking form, hours with the forms to log, confirm, query and correct them, more days,
closing, feedback, valuation. Who may do each is `brokerage.access.MatchAffordances`, decided
once per request; this module only builds what those flags allow. The views that take these
forms are `frontend.views.delivery`."""

from decimal import Decimal

from django.http import HttpRequest
from django.urls import reverse

from brokerage import selectors
from brokerage.access import MatchAffordances
from brokerage.models import Match, TimeEntry, Volunteer
from frontend.delivery_forms import (
    AmendTimeForm,
    BookForm,
    ExtendForm,
    FeedbackForm,
    LogTimeForm,
    QueryTimeForm,
    ValuationForm,
)

# Forms the page offers closed (in a <details>) and builds only when asked for one, with the
# template that shows each: most visits open neither, and with a volunteer list and leave
# left they were the page's dearest part. `frontend.views.delivery.delivery_form` serves one
# when its <details> opens.
FETCHED_ON_OPENING = {
    "book": "frontend/includes/delivery_book.html",
    "log": "frontend/includes/fetched_form.html",
}


def volunteers_for(user, match: Match, *, administers: bool):
    """Whom this person may book or log time for on the match: all the business's active
    volunteers for whoever administers it (`MatchAffordances.administers_business`), else
    their own record."""
    active = Volunteer.objects.filter(
        organisation=match.offer.organisation, is_active=True
    ).select_related("user", "organisation")
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
    user, match: Match, affordances: MatchAffordances, *, wanted: set, bound: dict | None = None
) -> dict:
    """The booking and logging forms named in `wanted` that this person is offered (a form in
    `bound` came back with errors); None for the others."""
    bound = bound or {}
    found = {"book_form": None, "log_form": None}
    wanted = {
        name
        for name, offered in (("book", affordances.can_book), ("log", affordances.can_log))
        if offered and name in wanted
    }
    if not wanted:
        return found
    choices = volunteers_for(user, match, administers=affordances.administers_business)
    here = lambda name: reverse(f"frontend:{name}", args=[match.pk])  # noqa: E731
    if "book" in wanted:
        found["book_form"] = form = bound.get("book") or BookForm(
            volunteers=choices, action=here("book")
        )
        labels = _leave_labels(list(choices))
        form.fields["volunteer"].label_from_instance = lambda v: labels.get(v.pk) or str(v)
    if "log" in wanted:
        found["log_form"] = bound.get("log") or LogTimeForm(
            volunteers=choices, action=here("time-log")
        )
    return found


def delivery_context(
    request: HttpRequest,
    match: Match,
    affordances: MatchAffordances,
    bound: dict | None = None,
    opened: str | None = None,
) -> dict:
    """What the match page shows and builds for this person for delivering the match; `bound`
    holds a form that came back with errors, by name; `opened` names a form of
    `FETCHED_ON_OPENING` to build (the others are offered, not built)."""
    bound = bound or {}
    here = lambda name, *args: reverse(f"frontend:{name}", args=[match.pk, *args])  # noqa: E731
    entries = list(match.time.select_related("volunteer__user", "measure").order_by("-date", "-id"))
    for entry in entries:
        entry.may_amend = affordances.may_amend(entry)
        entry.may_review = affordances.may_review(entry)
        if entry.may_amend:
            entry.amend_form = bound.get(f"amend-{entry.pk}") or AmendTimeForm(
                entry=entry, action=here("time-amend", entry.pk)
            )
        if entry.may_review:
            entry.query_form = bound.get(f"query-{entry.pk}") or QueryTimeForm(
                entry=entry, action=here("time-query", entry.pk)
            )
    extend_form = None
    if affordances.can_extend:
        agrees = affordances.extension_agrees
        extend_form = bound.get("extend") or ExtendForm(
            action=here("extend"),
            button="Give more days" if affordances.extension_gives else "Ask for more days",
            initial={"days": match.extension_asked_days} if agrees else None,
        )
    feedback_form = None
    if affordances.can_give_feedback:
        feedback_form = bound.get("feedback") or FeedbackForm(action=here("feedback"))
    valuation_form = None
    if affordances.can_value:
        valuation_form = bound.get("value") or ValuationForm(match=match, action=here("valuation"))
    bookings = list(
        match.assignments.select_related("volunteer__user", "volunteer__organisation").order_by(
            "first_day"
        )
    )
    for booking in bookings:
        booking.may_cancel = affordances.may_cancel_booking(booking)
    confirmed = [e for e in entries if e.status == TimeEntry.Status.CONFIRMED]
    return {
        "valuation_form": valuation_form,
        "bookings": bookings,
        **volunteer_forms(
            request.user, match, affordances, wanted=set(bound) | {opened}, bound=bound
        ),
        "entries": entries,
        "waiting_count": sum(entry.may_review for entry in entries),
        "extend_form": extend_form,
        "feedback_form": feedback_form,
        "feedback": match.feedback.all(),
        "confirmed_hours": sum((e.hours for e in confirmed), Decimal(0)),
        "confirmed_value": sum((e.value or 0 for e in confirmed), Decimal(0)),
    }
