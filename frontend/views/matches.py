"""A match's page and the buttons that move it on: propose, accept, decline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from brokerage import selectors
from brokerage.errors import DomainError
from brokerage.models import MatchStatus
from brokerage.services import matches


@login_required
def match_page(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(
        selectors.visible_matches(request.user).select_related(
            "offer__organisation", "need__organisation", "need__ward"
        ),
        pk=pk,
    )
    sides = selectors.sides_of(request.user, match)
    waiting_on_me = match.status == MatchStatus.PROPOSED and any(
        not getattr(match, f"accepted_by_{side}") for side in sides
    )
    context = {"match": match, "can_answer": waiting_on_me}
    template = (
        "frontend/includes/match_status.html"
        if request.headers.get("HX-Request")
        else "frontend/match.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    offer = get_object_or_404(selectors.visible_offers(request.user), pk=request.POST.get("offer"))
    need = get_object_or_404(selectors.visible_needs(request.user), pk=request.POST.get("need"))
    days = max(1, min(offer.days_remaining, need.days_remaining))
    try:
        match = matches.propose_match(offer=offer, need=need, days=days, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(request.POST.get("back") or "frontend:dashboard")
    messages.success(request, f"Proposed {days} volunteer-days. They have been told.")
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    match = get_object_or_404(selectors.visible_matches(request.user), pk=pk)
    action = {"accept": matches.accept_match, "decline": matches.decline_match}[verb]
    try:
        action(match=match, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Accepted." if verb == "accept" else "Declined.")
    if request.headers.get("HX-Request"):
        return match_page(request, pk)
    return redirect("frontend:match", pk)
