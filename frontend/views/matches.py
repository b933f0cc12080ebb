"""A match's page and the buttons that move it on: propose, accept, decline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from brokerage import access, selectors
from brokerage.errors import DomainError
from brokerage.models.matches import OPEN_STATUSES
from brokerage.services import conversations, matches
from frontend.delivery_context import delivery_context
from frontend.forms import show_domain_error
from frontend.match_forms import DeclineForm, MessageForm, ProposalForm
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
    context["thread"] = match.messages.select_related("author")
    if match.status in OPEN_STATUSES:
        context["message_form"] = (bound or {}).get("message") or MessageForm(
            action=reverse("frontend:match-message", args=[match.pk])
        )
    if affordances.can_answer:
        context["decline_form"] = (bound or {}).get("decline") or DeclineForm(
            action=reverse("frontend:decline", args=[match.pk])
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
    back = back_on_this_site(request, request.POST.get("back"), "frontend:dashboard")
    form = ProposalForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    chosen = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
    try:  # days left out: what the need still needs, as far as the offer has them
        match = matches.propose_match(offer=offer, need=need, by=request.user, **chosen)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"Proposed {match.days} volunteer-days. They have been told.")
    return redirect("frontend:match", match.pk)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    match = get_object_or_404(selectors.visible_matches(request.user), pk=pk)
    if verb == "decline":
        return _decline(request, match)
    try:
        matches.accept_match(match=match, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Accepted.")
    return redirect("frontend:match", pk)  # the whole page: agreeing opens the next steps


def _decline(request: HttpRequest, match) -> HttpResponse:
    form = DeclineForm(request.POST, action=reverse("frontend:decline", args=[match.pk]))
    if form.is_valid():
        try:
            matches.decline_match(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Declined. The other side has been told why.")
            return redirect("frontend:match", match.pk)
    return match_page(request, match.pk, bound={"decline": form})


@login_required
@require_http_methods(["GET", "POST"])
def post_message(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the thread alone (the page refreshes it live); POST: write on it."""
    match = get_object_or_404(selectors.visible_matches(request.user), pk=pk)
    if request.method == "GET":
        thread = match.messages.select_related("author")
        context = {"match": match, "thread": thread}
        return render(request, "frontend/includes/match_thread.html", context)
    form = MessageForm(request.POST, action=reverse("frontend:match-message", args=[pk]))
    if form.is_valid():
        try:
            conversations.post_message(match=match, by=request.user, text=form.cleaned_data["text"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Message sent. The other side has been told.")
            return redirect(reverse("frontend:match", args=[pk]) + "#messages")
    return match_page(request, pk, bound={"message": form})
