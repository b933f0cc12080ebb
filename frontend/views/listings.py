"""Posting requests for help and offers, publishing them, and acting on suggestions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from brokerage import matchmaking, selectors
from brokerage.errors import DomainError
from brokerage.models import ListingStatus, Need, NeedSkill, Offer, Organisation
from brokerage.services import listings
from brokerage.services import needs as need_services
from brokerage.services import offers as offer_services
from frontend.forms import NeedForm, OfferForm, show_domain_error


def _own_organisation(user, kind: str) -> Organisation | None:
    return (
        Organisation.objects.filter(pk__in=selectors.organisation_ids_of(user), kind=kind)
        .order_by("name")
        .first()
    )


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request.user, Organisation.Kind.VCS)
    if organisation is None:
        messages.error(request, "Only members of a charity or community group post requests.")
        return redirect("frontend:dashboard")
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = need_services.create_need(
                organisation=organisation,
                by=request.user,
                title=data["title"],
                description=data["description"],
                ward=data["ward"],
                skills={skill: True for skill in data["skills"]},
                days_needed=data["days_needed"],
                needed_by=data["needed_by"],
                themes=data["themes"],
                remote_ok=data["remote_ok"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Saved as a draft. Publish it when it is ready.")
            return redirect("frontend:need", need.pk)
    return render(request, "frontend/listing_form.html", {"form": form, "heading": "Ask for help"})


@login_required
def offer_new(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request.user, Organisation.Kind.BUSINESS)
    if organisation is None:
        messages.error(request, "Only members of a business post offers.")
        return redirect("frontend:dashboard")
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = offer_services.create_offer(
                organisation=organisation,
                by=request.user,
                title=data["title"],
                description=data["description"],
                skills={skill: "experienced" for skill in data["skills"]},
                volunteers=data["volunteers"],
                days_offered=data["days_offered"],
                available_from=data["available_from"],
                available_until=data["available_until"],
                wards=data["wards"],
                remote_ok=data["remote_ok"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Saved as a draft. Publish it when it is ready.")
            return redirect("frontend:offer", offer.pk)
    return render(
        request, "frontend/listing_form.html", {"form": form, "heading": "Offer your skills"}
    )


def _editable(request: HttpRequest, queryset, pk: int):
    """A listing the user may change (its organisation's members, or a broker); others get a
    404 for listings they cannot see and a 403 for ones they can see but not change."""
    listing = get_object_or_404(queryset, pk=pk)
    if not selectors.can_act_for(request.user, listing.organisation):
        raise PermissionDenied
    return listing


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = _editable(request, need_queryset(request.user), pk)
    initial = {
        "title": need.title,
        "description": need.description,
        "ward": need.ward,
        "skills": [row.skill for row in need.need_skills.all()],
        "days_needed": need.days_needed,
        "needed_by": need.needed_by,
        "themes": list(need.themes.all()),
        "remote_ok": need.remote_ok,
    }
    form = NeedForm(request.POST or None, initial=initial, submit_label="Save changes")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need_services.update_need(
                need=need,
                by=request.user,
                ward=data["ward"],
                skills={skill: True for skill in data["skills"]},
                themes=data["themes"],
                title=data["title"],
                description=data["description"],
                days_needed=data["days_needed"],
                needed_by=data["needed_by"],
                remote_ok=data["remote_ok"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("frontend:need", need.pk)
    heading = f"Change ‘{need.title}’"
    return render(request, "frontend/listing_form.html", {"form": form, "heading": heading})


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _editable(
        request,
        selectors.visible_offers(request.user).prefetch_related("offer_skills__skill", "wards"),
        pk,
    )
    levels = {row.skill: row.level for row in offer.offer_skills.all()}
    initial = {
        "title": offer.title,
        "description": offer.description,
        "skills": list(levels),
        "volunteers": offer.volunteers,
        "days_offered": offer.days_offered,
        "available_from": offer.available_from,
        "available_until": offer.available_until,
        "wards": list(offer.wards.all()),
        "remote_ok": offer.remote_ok,
    }
    form = OfferForm(request.POST or None, initial=initial, submit_label="Save changes")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer_services.update_offer(
                offer=offer,
                by=request.user,
                # A skill kept keeps its level; a skill added counts as experienced.
                skills={skill: levels.get(skill, "experienced") for skill in data["skills"]},
                wards=data["wards"],
                title=data["title"],
                description=data["description"],
                volunteers=data["volunteers"],
                days_offered=data["days_offered"],
                available_from=data["available_from"],
                available_until=data["available_until"],
                remote_ok=data["remote_ok"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("frontend:offer", offer.pk)
    heading = f"Change ‘{offer.title}’"
    return render(request, "frontend/listing_form.html", {"form": form, "heading": heading})


CLOSERS = {
    "need": (selectors.visible_needs, "frontend:need", "request"),
    "offer": (selectors.visible_offers, "frontend:offer", "offer"),
}


@login_required
@require_POST
def close(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    visible, page, noun = CLOSERS[kind]
    listing = _editable(request, visible(request.user), pk)
    try:
        listings.close_listing(listing=listing, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Your {noun} is closed. Proposals still waiting were withdrawn; accepted matches "
            "go ahead.",
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
    context = {
        "need": need,
        "manage": False,
        "is_broker": selectors.is_broker(user),
        "suggestions": [],
        "my_offers": [],
    }
    if not user.is_authenticated:
        return context
    if selectors.can_act_for(user, need.organisation):
        context["manage"] = True
        if need.status == ListingStatus.OPEN:
            context["suggestions"] = matchmaking.suggestions_for_need(need, limit=5)
    business_ids = Organisation.objects.filter(
        pk__in=selectors.organisation_ids_of(user), kind=Organisation.Kind.BUSINESS
    ).values("pk")
    if need.status == ListingStatus.OPEN:
        for offer in Offer.objects.filter(
            organisation__in=business_ids, status=ListingStatus.OPEN
        ).order_by("title"):
            scored = matchmaking.pair_score(offer, need)
            context["my_offers"].append({"offer": offer, "score": scored[0] if scored else None})
    return context


@login_required
def offer_page(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        selectors.visible_offers(request.user).select_related("organisation"), pk=pk
    )
    manage = selectors.can_act_for(request.user, offer.organisation)
    suggestions = (
        matchmaking.suggestions_for_offer(offer, limit=5)
        if manage and offer.status == ListingStatus.OPEN
        else []
    )
    return render(
        request,
        "frontend/offer.html",
        {"offer": offer, "manage": manage, "suggestions": suggestions},
    )


def need_queryset(user):
    return (
        selectors.visible_needs(user)
        .select_related("organisation", "ward")
        .prefetch_related(
            Prefetch("need_skills", NeedSkill.objects.select_related("skill")), "themes"
        )
    )
