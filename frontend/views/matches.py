"""A match's page and the buttons that move it on: propose, accept, decline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from brokerage import access, selectors
from brokerage.errors import DomainError
from brokerage.services import matches
from frontend.delivery_context import delivery_context
from frontend.redirects import back_on_this_site, posted_id


@login_required
def match_page(request: HttpRequest, pk: int, bound: dict | None = None) -> HttpResponse:
    """The match, its state and what this person can do next; `bound` is a delivery form
    that came back with errors (see `frontend.views.delivery`)."""
    match = get_object_or_404(
        selectors.visible_matches(request.user).select_related(
            "offer__organisation", "need__organisation", "need__ward"
        ),
        pk=pk,
    )
    affordances = access.match_affordances(request.user, match)
    context = {
        "match": match,
        "affordances": affordances,
        # Once both sides agreed, each sees whom to talk to on the other (and its own) side.
        "contacts": [
            selectors.contact_for(match.offer.organisation),
            selectors.contact_for(match.need.organisation),
        ]
        if affordances.agreed
        else [],
    }
    if affordances.agreed:
        context |= delivery_context(
            request, match, affordances, bound, opened=request.GET.get("open")
        )
    # The history: every step, who took it and when (both sides and brokers see it).
    context["events"] = match.events.select_related("actor").order_by("at", "id")
    return render(request, "frontend/match.html", context)


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    offer = get_object_or_404(
        selectors.proposable_offers(request.user), pk=posted_id(request.POST.get("offer"))
    )
    need = get_object_or_404(
        selectors.proposable_needs(request.user), pk=posted_id(request.POST.get("need"))
    )
    try:  # the days the need still needs, as far as the offer has them (the service's default)
        match = matches.propose_match(offer=offer, need=need, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back_on_this_site(request, request.POST.get("back"), "frontend:dashboard"))
    messages.success(request, f"Proposed {match.days} volunteer-days. They have been told.")
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
    return redirect("frontend:match", pk)  # the whole page: agreeing opens the next steps
