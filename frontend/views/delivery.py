"""Delivering an agreed match from its page: the business books volunteers, volunteers log
hours, the charity confirms many at once or queries one, the volunteer amends a queried
entry, both sides close, each leaves feedback. Every form posts here and comes back to the
match page, with the service's refusal on the field it names."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from brokerage import selectors
from brokerage.errors import DomainError
from brokerage.models import Match, MatchStatus, Side, TimeEntry, Volunteer
from brokerage.services import assignments, hours, matches
from frontend.delivery_forms import (
    AmendTimeForm,
    BookForm,
    FeedbackForm,
    LogTimeForm,
    QueryTimeForm,
)
from frontend.forms import show_domain_error

DELIVERING = (MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS)


def _match(request: HttpRequest, pk: int) -> Match:
    return get_object_or_404(
        selectors.visible_matches(request.user).select_related(
            "offer__organisation", "need__organisation", "need__ward"
        ),
        pk=pk,
    )


def _volunteers_for(user, match: Match):
    """Whom this person may book or log time for on the match: all the business's active
    volunteers for its admins and brokers, else their own record."""
    business = match.offer.organisation
    active = Volunteer.objects.filter(organisation=business, is_active=True).select_related("user")
    if selectors.can_administer(user, business):
        return active.order_by("user__first_name", "user__username")
    return active.filter(user=user)


def _leave_labels(volunteers) -> dict[int, str]:
    """Each volunteer's name with the leave they have left, shown before booking."""
    labels = {}
    for volunteer in volunteers:
        left = ", ".join(
            f"{row['leave_type']} {row['remaining_days']:f} days left"
            for row in selectors.leave_ledger(volunteer)
        )
        labels[volunteer.pk] = f"{volunteer.user.get_full_name() or volunteer.user} ({left})"
    return labels


def delivery_context(request: HttpRequest, match: Match, bound: dict | None = None) -> dict:
    """What the match page shows and offers this person for delivering the match; `bound`
    holds a form that came back with errors, by name."""
    bound = bound or {}
    user = request.user
    here = lambda name, *args: reverse(f"frontend:{name}", args=[match.pk, *args])  # noqa: E731
    sides = selectors.sides_of(user, match)
    delivering = match.status in DELIVERING
    volunteers = list(_volunteers_for(user, match)) if delivering else []
    can_book = delivering and selectors.can_administer(user, match.offer.organisation)
    reviewer = Side.VCS in sides
    entries = list(match.time.select_related("volunteer__user").order_by("-date", "-id"))
    for entry in entries:
        entry.may_amend = entry.status in (
            TimeEntry.Status.PENDING,
            TimeEntry.Status.QUERIED,
        ) and selectors.can_act_for_volunteer(user, entry.volunteer)
        entry.may_review = reviewer and entry.status == TimeEntry.Status.PENDING
        if entry.may_amend:
            entry.amend_form = bound.get(f"amend-{entry.pk}") or AmendTimeForm(
                entry=entry, action=here("time-amend", entry.pk)
            )
        if entry.may_review:
            entry.query_form = bound.get(f"query-{entry.pk}") or QueryTimeForm(
                entry=entry, action=here("time-query", entry.pk)
            )
    book_form = None
    if can_book and volunteers:
        book_form = bound.get("book") or BookForm(
            volunteers=_volunteers_for(user, match), action=here("book")
        )
        labels = _leave_labels(volunteers)
        book_form.fields["volunteer"].label_from_instance = lambda v: labels.get(v.pk, str(v))
    log_form = None
    if delivering and volunteers:
        log_form = bound.get("log") or LogTimeForm(
            volunteers=_volunteers_for(user, match), action=here("time-log")
        )
    closing_sides = {s for s in sides if s in (Side.BUSINESS, Side.VCS)}
    can_close = match.status == MatchStatus.IN_PROGRESS and (
        any(not getattr(match, f"closed_by_{side}") for side in closing_sides)
        or Side.BROKER in sides
    )
    given = set(match.feedback.values_list("side", flat=True))
    feedback_form = None
    if match.status == MatchStatus.COMPLETED and closing_sides - given:
        feedback_form = bound.get("feedback") or FeedbackForm(action=here("feedback"))
    return {
        "bookings": match.assignments.select_related("volunteer__user").order_by("first_day"),
        "book_form": book_form,
        "log_form": log_form,
        "entries": entries,
        "reviewer": reviewer,
        "waiting_count": sum(entry.may_review for entry in entries),
        "can_close": can_close,
        "feedback_form": feedback_form,
        "feedback": match.feedback.all(),
        "confirmed_hours": sum(
            (e.hours for e in entries if e.status == TimeEntry.Status.CONFIRMED), Decimal(0)
        ),
        "confirmed_value": sum(
            (e.value or 0 for e in entries if e.status == TimeEntry.Status.CONFIRMED), Decimal(0)
        ),
    }


def _back(request: HttpRequest, match: Match, bound: dict) -> HttpResponse:
    from frontend.views.matches import match_page  # the page shows the form again (a cycle)

    return match_page(request, match.pk, bound=bound)


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    if not selectors.can_administer(request.user, match.offer.organisation):
        raise PermissionDenied("Only the business's administrators book volunteers.")
    form = BookForm(request.POST, volunteers=_volunteers_for(request.user, match), action="")
    if form.is_valid():
        try:
            booking = assignments.book(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"{booking.volunteer} is booked for {booking.days} days.")
            return redirect("frontend:match", match.pk)
    return _back(request, match, {"book": form})


@login_required
@require_POST
def log_time(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    form = LogTimeForm(request.POST, volunteers=_volunteers_for(request.user, match), action="")
    if form.is_valid():
        try:
            hours.log_time(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"{match.need.organisation} is asked to confirm them.")
            return redirect("frontend:match", match.pk)
    return _back(request, match, {"log": form})


@login_required
@require_POST
def confirm_time(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm every ticked entry at once: all of them, or none if one cannot be."""
    match = _match(request, pk)
    ids = [value for value in request.POST.getlist("entry") if value.isdigit()]
    chosen = list(match.time.filter(pk__in=ids))
    if not chosen:
        messages.error(request, "Tick the hours to confirm.")
        return redirect("frontend:match", match.pk)
    try:
        with transaction.atomic():
            for entry in chosen:
                hours.confirm_time(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, f"Nothing was confirmed: {error.message}")
    else:
        total = sum(entry.hours for entry in chosen)
        messages.success(
            request, f"Confirmed {total.normalize():f} hours. They now count as social value."
        )
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def query_time(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    match = _match(request, pk)
    entry = get_object_or_404(match.time, pk=entry_pk)
    form = QueryTimeForm(request.POST, entry=entry, action="")
    if form.is_valid():
        try:
            hours.query_time(entry=entry, by=request.user, note=form.cleaned_data["note"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Queried. The volunteer and their employer are told why.")
            return redirect("frontend:match", match.pk)
    return _back(request, match, {f"query-{entry.pk}": form})


@login_required
@require_POST
def amend_time(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    match = _match(request, pk)
    entry = get_object_or_404(match.time, pk=entry_pk)
    form = AmendTimeForm(request.POST, entry=entry, action="")
    if form.is_valid():
        try:
            hours.amend_time(entry=entry, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Sent again for confirmation.")
            return redirect("frontend:match", match.pk)
    return _back(request, match, {f"amend-{entry.pk}": form})


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    try:
        match = matches.close_match(match=match, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Completed. Tell us how it went."
            if match.status == MatchStatus.COMPLETED
            else "Closed for your side. It completes when the other side closes too.",
        )
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    form = FeedbackForm(request.POST, action="")
    if form.is_valid():
        try:
            hours.give_feedback(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Thank you. Your feedback is saved.")
            return redirect("frontend:match", match.pk)
    return _back(request, match, {"feedback": form})
