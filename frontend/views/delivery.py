"""Delivering an agreed match from its page: the business books volunteers, volunteers log
hours, the charity confirms many at once or queries one, the volunteer amends a queried
entry, both sides close, each leaves feedback. Every form posts here and comes back to the
match page, with the service's refusal on the field it names; the booking and logging forms
are fetched from here when their section of the page is opened."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from brokerage import access, selectors
from brokerage.errors import DomainError
from brokerage.models import Match, MatchStatus, TimeEntry
from brokerage.services import assignments, hours, match_delivery, social_value
from brokerage.wording import quantity
from frontend import fetched
from frontend.decorators import broker_only
from frontend.delivery_context import FETCHED_ON_OPENING, volunteer_forms, volunteers_for
from frontend.delivery_forms import (
    AmendTimeForm,
    BookForm,
    ExtendForm,
    FeedbackForm,
    LogTimeForm,
    QueryTimeForm,
    ValuationForm,
)
from frontend.forms import show_domain_error
from frontend.views.matches import match_page


def _match(request: HttpRequest, pk: int) -> Match:
    return get_object_or_404(
        selectors.visible_matches(request.user).select_related(
            "offer__organisation", "need__organisation", "need__ward"
        ),
        pk=pk,
    )


def _back(request: HttpRequest, match: Match, bound: dict) -> HttpResponse:
    return match_page(request, match.pk, bound=bound)  # the page shows the form again


@login_required
@require_GET
def delivery_form(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One of the forms the match page offers closed (booking a volunteer, logging hours),
    fetched when its <details> opens; a form this person is not (or no longer) offered is
    a 404."""
    if name not in FETCHED_ON_OPENING:
        raise Http404
    if not fetched.wants_fragment(request):
        return fetched.page_with_it_open(reverse("frontend:match", args=[pk]), name)
    match = _match(request, pk)
    affordances = access.match_affordances(request.user, match)
    form = volunteer_forms(request.user, match, affordances, wanted={name})[f"{name}_form"]
    if form is None:
        raise Http404
    return fetched.fragment(request, FETCHED_ON_OPENING[name], form)


@login_required
@require_POST
def book(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    affordances = access.match_affordances(request.user, match)
    if not affordances.can_book:
        raise PermissionDenied("Only the business's administrators book volunteers.")
    choices = volunteers_for(request.user, match, administers=affordances.administers_business)
    form = BookForm(request.POST, volunteers=choices, action="")
    if form.is_valid():
        try:
            booking = assignments.book(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, f"{booking.volunteer} is booked for {quantity(booking.days, 'day')}."
            )
            return redirect("frontend:match", match.pk)
    return _back(request, match, {"book": form})


@login_required
@require_POST
def log_time(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    administers = access.can_administer(request.user, match.offer.organisation)
    choices = volunteers_for(request.user, match, administers=administers)
    form = LogTimeForm(request.POST, volunteers=choices, action="")
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
    """Confirm every ticked entry of one match at once."""
    match = _match(request, pk)
    _confirm(request, match.time.all())
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def confirm_waiting(request: HttpRequest) -> HttpResponse:
    """Confirm ticked entries across all the charity's matches (from the dashboard)."""
    _confirm(request, TimeEntry.objects.filter(match__in=selectors.visible_matches(request.user)))
    return redirect("frontend:dashboard")


def _confirm(request: HttpRequest, entries) -> None:
    """Confirm every ticked entry: all of them, or none if one cannot be."""
    ids = [value for value in request.POST.getlist("entry") if value.isdigit()]
    chosen = list(entries.filter(pk__in=ids))
    if not chosen:
        messages.error(request, "Tick the hours to confirm.")
        return
    try:
        with transaction.atomic():
            for entry in chosen:
                hours.confirm_time(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, f"Nothing was confirmed: {error.message}")
    else:
        total = sum(entry.hours for entry in chosen)
        messages.success(
            request, f"Confirmed {quantity(total, 'hour')}. They now count as social value."
        )


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
        match = match_delivery.close_match(match=match, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if match.status == MatchStatus.COMPLETED:
            told = "Completed. Tell us how it went."
        elif left := match_delivery.still_to_settle(match):
            told = f"Closed for your side. {left} The match completes once they are settled."
        else:
            told = "Closed for your side. It completes when the other side closes too."
        messages.success(request, told)
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    match = _match(request, pk)
    form = ExtendForm(request.POST, action="", button="")
    if form.is_valid():
        try:
            match = match_delivery.extend_match(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                f"The match now has {quantity(match.day_limit, 'day')}."
                if match.extension_asked_days is None
                else f"Asked for {match.extension_asked_days} more days; the other side "
                "agrees by asking for the same.",
            )
            return redirect("frontend:match", match.pk)
    return _back(request, match, {"extend": form})


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


@broker_only
@require_POST
def valuation(request: HttpRequest, pk: int) -> HttpResponse:
    """Brokers: the measure a match's hours count under and the contract they count towards;
    hours already confirmed are valued again."""
    match = _match(request, pk)
    form = ValuationForm(request.POST, match=match, action="")
    if form.is_valid():
        try:
            social_value.set_match_valuation(
                match=match,
                by=request.user,
                measure_kind=form.cleaned_data["measure_kind"],
                contract=form.cleaned_data["contract"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "The valuation is saved; confirmed hours are valued again.")
            return redirect("frontend:match", match.pk)
    return _back(request, match, {"value": form})


@login_required
@require_POST
def cancel_booking(request: HttpRequest, pk: int, booking_pk: int) -> HttpResponse:
    """Take a volunteer off the match; the leave not yet used goes back to them."""
    match = _match(request, pk)
    booking = get_object_or_404(match.assignments, pk=booking_pk)
    try:
        assignments.cancel(assignment=booking, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The booking is cancelled; its leave is given back.")
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def withdraw_time(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Take back hours not yet confirmed (logged by mistake); their leave is given back."""
    match = _match(request, pk)
    entry = get_object_or_404(match.time, pk=entry_pk)
    try:
        hours.withdraw_time(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Those hours are withdrawn.")
    return redirect("frontend:match", match.pk)
