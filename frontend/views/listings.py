"""Posting requests for help and offers, publishing them, and acting on suggestions."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from brokerage import access, matchmaking, selectors
from brokerage.errors import DomainError
from brokerage.models import (
    Feedback,
    ListingStatus,
    Need,
    NeedSkill,
    Offer,
    Organisation,
)
from brokerage.services import listings
from brokerage.services import needs as need_services
from brokerage.services import offers as offer_services
from frontend.forms import show_domain_error
from frontend.listing_forms import NeedForm, OfferForm


def _own_organisation(user, kind: str) -> Organisation | None:
    return (
        Organisation.objects.filter(pk__in=selectors.organisation_ids_of(user), kind=kind)
        .order_by("name")
        .first()
    )


DRAFT_SAVED = "Saved as a draft. Publish it when it is ready."
CHANGES_SAVED = "Your changes are saved."


def _save(
    request: HttpRequest, form, save: Callable[[dict], Need | Offer], page: str, done: str
) -> HttpResponse | None:
    """On a valid POST, call the service (`save`) with the form's arguments and go to the
    listing's page; None while the form still has something to say."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        listing = save(form.service_arguments())
    except DomainError as error:
        show_domain_error(form, error)
        return None
    messages.success(request, done)
    return redirect(page, listing.pk)


def _form_page(
    request: HttpRequest, form, heading: str, organisation: Organisation
) -> HttpResponse:
    context = {"form": form, "heading": heading, "organisation": organisation}
    if not organisation.is_verified:  # say so before they fill the form, not at Publish
        context["verification"] = selectors.verification_help(organisation)
    return render(request, "frontend/listing_form.html", context)


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request.user, Organisation.Kind.VCS)
    if organisation is None:
        messages.error(request, "Only members of a charity or community group post requests.")
        return redirect("frontend:dashboard")
    form = NeedForm(request.POST or None)

    def create(arguments: dict) -> Need:
        return need_services.create_need(organisation=organisation, by=request.user, **arguments)

    saved = _save(request, form, create, "frontend:need", DRAFT_SAVED)
    return saved or _form_page(request, form, "Ask for help", organisation)


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request.user, Organisation.Kind.BUSINESS)
    if organisation is None or not access.can_post_for(request.user, organisation):
        messages.error(request, "Only a business's administrators post offers.")
        return redirect("frontend:dashboard")
    form = OfferForm(request.POST or None)

    def create(arguments: dict) -> Offer:
        return offer_services.create_offer(organisation=organisation, by=request.user, **arguments)

    saved = _save(request, form, create, "frontend:offer", DRAFT_SAVED)
    return saved or _form_page(request, form, "Offer your skills", organisation)


def _editable(request: HttpRequest, queryset, pk: int):
    """A listing the user may change (`access.can_manage_listing`); others get a 404 for
    listings they cannot see and a 403 for ones they can see but not change."""
    listing = get_object_or_404(queryset, pk=pk)
    if not access.can_manage_listing(request.user, listing):
        raise PermissionDenied
    return listing


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _editable(request, need_queryset(request.user), pk)
    form = NeedForm(
        request.POST or None, initial=NeedForm.initial_for(need), submit_label="Save changes"
    )

    def update(arguments: dict) -> Need:
        return need_services.update_need(need=need, by=request.user, **arguments)

    saved = _save(request, form, update, "frontend:need", CHANGES_SAVED)
    return saved or _form_page(request, form, f"Change ‘{need.title}’", need.organisation)


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _editable(
        request,
        selectors.visible_offers(request.user).prefetch_related("offer_skills__skill", "wards"),
        pk,
    )
    form = OfferForm(
        request.POST or None,
        initial=OfferForm.initial_for(offer),
        levels={row.skill: row.level for row in offer.offer_skills.all()},
        submit_label="Save changes",
    )

    def update(arguments: dict) -> Offer:
        return offer_services.update_offer(offer=offer, by=request.user, **arguments)

    saved = _save(request, form, update, "frontend:offer", CHANGES_SAVED)
    return saved or _form_page(request, form, f"Change ‘{offer.title}’", offer.organisation)


CLOSERS = {
    "need": (selectors.visible_needs, "frontend:need", "request"),
    "offer": (selectors.visible_offers, "frontend:offer", "offer"),
}


@login_required
@require_POST
def close(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    visible, page, noun = CLOSERS[kind]
    listing = _editable(request, visible(request.user), pk)
    was_draft = listing.status == ListingStatus.DRAFT
    try:
        listings.close_listing(listing=listing, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Draft discarded: nobody else saw it."
            if was_draft
            else f"Your {noun} is closed. Proposals still waiting were withdrawn; accepted "
            "matches go ahead.",
        )
    return redirect(page, pk)


PUBLISHERS = {
    "need": (selectors.visible_needs, "frontend:need"),
    "offer": (selectors.visible_offers, "frontend:offer"),
}


@login_required
@require_POST
def publish(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    visible, page = PUBLISHERS[kind]
    listing = get_object_or_404(visible(request.user), pk=pk)
    try:
        listings.publish_listing(listing=listing, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Published. Suggestions are below.")
    return redirect(page, pk)


def need_page_context(request: HttpRequest, need: Need) -> dict:
    """What the need's page shows beyond the public detail: the owner's (or a broker's)
    controls and suggested offers; a business member's open offers to help with."""
    user = request.user
    listing = access.listing_affordances(user, need)
    context = {
        "need": need,
        "listing": listing,
        "is_broker": access.is_broker(user, need),
        "suggestions": [],
        "my_offers": [],
        # What the help changed, in the words of those who gave consent to show them.
        "stories": Feedback.objects.filter(match__need=need, consent_to_publish=True)
        .select_related("match__offer__organisation")
        .exclude(story="")
        .order_by("id"),
    }
    if not user.is_authenticated:
        return context
    if listing.shows_suggestions:
        context["suggestions"] = matchmaking.suggestions_for_need(need, limit=5)
    if listing.can_manage:
        context["held_back"] = matchmaking.held_back(need=need)
    if listing.is_open:
        # A volunteer tells their employer they would like to help; a business's
        # administrators offer its time from one of its offers.
        context["volunteering"] = selectors.interest_in(user, need)
        for offer in selectors.offers_to_help_from(user):
            scored = matchmaking.pair_score(offer, need)
            context["my_offers"].append({"offer": offer, "score": scored[0] if scored else None})
    return context


@login_required
def offer_page(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        selectors.visible_offers(request.user).select_related("organisation"), pk=pk
    )
    listing = access.listing_affordances(request.user, offer)
    suggestions = (
        matchmaking.suggestions_for_offer(offer, limit=5) if listing.shows_suggestions else []
    )
    held_back = matchmaking.held_back(offer=offer) if listing.can_manage else []
    return render(
        request,
        "frontend/offer.html",
        {"offer": offer, "listing": listing, "suggestions": suggestions, "held_back": held_back},
    )


def need_queryset(user):
    return (
        selectors.visible_needs(user)
        .select_related("organisation", "ward")
        .prefetch_related(
            Prefetch("need_skills", NeedSkill.objects.select_related("skill")), "themes"
        )
    )
