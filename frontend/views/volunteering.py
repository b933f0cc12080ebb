"""A volunteer's own pages: requests for help that fit their skills, telling their employer
they would like to help with one, and the record of what they gave."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from brokerage import selectors
from brokerage.errors import DomainError
from brokerage.models import Interest, Need, Volunteer
from brokerage.services import interests
from frontend.redirects import back_on_this_site, posted_id


@login_required
def fitting_needs(request: HttpRequest) -> HttpResponse:
    volunteers = Volunteer.objects.filter(user=request.user, is_active=True).select_related(
        "organisation"
    )
    if not volunteers:
        raise Http404("Only volunteers of a business have this page.")
    registered = {
        interest.need_id: interest
        for interest in Interest.objects.filter(volunteer__in=volunteers, withdrawn_at__isnull=True)
    }
    groups = [
        {"volunteer": volunteer, "needs": selectors.needs_fitting(volunteer)}
        for volunteer in volunteers
    ]
    return render(
        request, "frontend/fitting_needs.html", {"groups": groups, "registered": registered}
    )


@login_required
@require_POST
def register_interest(request: HttpRequest, need_pk: int) -> HttpResponse:
    need = get_object_or_404(Need, pk=need_pk)
    volunteer = get_object_or_404(
        Volunteer, pk=posted_id(request.POST.get("volunteer")), user=request.user
    )
    try:
        interests.register_interest(
            volunteer=volunteer, need=need, by=request.user, note=request.POST.get("note", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{volunteer.organisation} is told you would like to help with ‘{need}’."
        )
    return redirect(back_on_this_site(request, request.POST.get("back"), "frontend:fitting-needs"))


@login_required
@require_POST
def withdraw_interest(request: HttpRequest, pk: int) -> HttpResponse:
    interest = get_object_or_404(Interest, pk=pk, volunteer__user=request.user)
    interests.withdraw_interest(interest=interest, by=request.user)
    messages.success(request, "Withdrawn: your employer no longer sees it.")
    return redirect(back_on_this_site(request, request.POST.get("back"), "frontend:fitting-needs"))


@login_required
def record(request: HttpRequest) -> HttpResponse:
    """A person's certificate of confirmed volunteering, to print or save as a PDF."""
    found = selectors.volunteering_record(request.user)
    day = Decimal(str(settings.VOLUNTEER_DAY_HOURS))
    context = {
        "record": found,
        "days": (found["total_hours"] / day).quantize(Decimal("0.1")),
        "today": timezone.localdate(),
    }
    return render(request, "frontend/volunteering_record.html", context)
