"""An organisation's page: who it is, its people, and (for its admins) inviting colleagues;
and the page an invitation's link opens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from brokerage import access, selectors
from brokerage.errors import DomainError
from brokerage.models import Invitation, ListingStatus
from brokerage.services import invitations, organisations
from brokerage.tokens import invitation_for_token
from frontend.auth import sign_in
from frontend.forms import (
    InviteForm,
    JoinForm,
    OrganisationDetailsForm,
    RejectForm,
    show_domain_error,
)


@login_required
def organisation_page(
    request: HttpRequest, pk: int, reject_form: RejectForm | None = None
) -> HttpResponse:
    organisation = get_object_or_404(
        selectors.visible_organisations(request.user).select_related("home_ward", "council"),
        pk=pk,
    )
    user = request.user
    insider = access.can_act_for(user, organisation)
    may_invite = access.can_administer(user, organisation)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and reject_form is None:
        if not may_invite:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = invitations.invite(
                    organisation=organisation, by=user, **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("frontend:organisation", organisation.pk)
    open_listing = Q(status=ListingStatus.OPEN)
    checking = access.can_check_registration(user, organisation)
    context = {
        "organisation": organisation,
        "works_in": sorted(
            {organisation.council, *organisation.works_in.all()}, key=lambda c: c.name
        ),
        "insider": insider,
        # A broker checking a registration sees who made it and decides here.
        "checking": checking,
        "registrant": selectors.contact_for(organisation) if checking else None,
        "reject_form": reject_form or (RejectForm() if checking else None),
        "may_invite": may_invite,
        "form": form,
        "memberships": organisation.memberships.select_related("user").order_by(
            "role", "user__first_name", "user__username"
        )
        if insider
        else [],
        "invitations": organisation.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        ).select_related("invited_by")
        if may_invite
        else [],
        "needs": organisation.needs.filter(open_listing).order_by("needed_by"),
        "offers": organisation.offers.filter(open_listing).order_by("available_until")
        if insider
        else [],
        "now": timezone.now(),
    }
    return render(request, "frontend/organisation.html", context)


@login_required
def edit_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """Its admins change its details and the councils it works in."""
    organisation = get_object_or_404(
        selectors.visible_organisations(request.user).select_related("home_ward"), pk=pk
    )
    if not access.can_administer(request.user, organisation):
        raise PermissionDenied
    initial = {
        "name": organisation.name,
        "description": organisation.description,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
        "home_ward": organisation.home_ward,
        "works_in": [organisation.council_id, *organisation.works_in.values_list("pk", flat=True)],
    }
    form = OrganisationDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisations.update_organisation(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Details saved.")
            return redirect("frontend:organisation", organisation.pk)
    return render(
        request, "frontend/organisation_edit.html", {"organisation": organisation, "form": form}
    )


@login_required
@require_POST
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    if not access.can_administer(request.user, invitation.organisation):
        raise PermissionDenied
    try:
        invitations.revoke(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("frontend:organisation", invitation.organisation_id)


def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """Where the e-mailed link lands: join as yourself, or create an account and join."""
    try:
        invitation = invitation_for_token(token)
        invitations.check_usable(invitation)
    except DomainError as error:
        return render(request, "frontend/invitation.html", {"problem": error.message}, status=400)
    user = request.user
    form = None if user.is_authenticated else JoinForm(request.POST or None)
    problem = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                invitations.accept(token=token, user=user)
            else:
                membership = invitations.accept_as_new_user(token=token, account=form.cleaned_data)
                sign_in(request, membership.user)
        except DomainError as error:
            if form is None:
                problem = error.message
            else:
                show_domain_error(form, error)
        else:
            messages.success(request, f"You have joined {invitation.organisation}.")
            return redirect("frontend:organisation", invitation.organisation_id)
    context = {
        "invitation": invitation,
        "form": form,
        "problem": problem,
        "wrong_account": user.is_authenticated
        and user.email.strip().lower() != invitation.email.lower(),
    }
    return render(request, "frontend/invitation.html", context)
