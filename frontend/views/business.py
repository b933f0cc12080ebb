"""A business's own pages for its volunteering scheme (its administrators and brokers):
volunteers and their skills, the leave policy, and the social value it has given —
contracts with the council against what they commit, and its Social Value Credits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from brokerage import access, reports, selectors
from brokerage.errors import DomainError
from brokerage.models import Contract, LeavePolicy, Organisation, Skill, User, Volunteer
from brokerage.services import leave, safeguarding, social_value, volunteers
from frontend import fetched
from frontend.business_forms import (
    AddVolunteerForm,
    CommitmentForm,
    ContributionForm,
    DbsCheckForm,
    LeavePolicyForm,
    VolunteerSkillsForm,
    skill_choices,
)
from frontend.decorators import broker_only
from frontend.forms import show_domain_error


def _business(request: HttpRequest, pk: int) -> Organisation:
    """The business, for its administrators and brokers; others get 403, non-businesses 404."""
    business = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.BUSINESS)
    if not access.can_administer(request.user, business):
        raise PermissionDenied("Only the business's administrators or a broker see this.")
    return business


def _members_not_volunteering(business: Organisation):
    active = Volunteer.objects.filter(organisation=business, is_active=True).values("user_id")
    return (
        User.objects.filter(memberships__organisation=business)
        .exclude(pk__in=active)
        .order_by("first_name", "username")
    )


@login_required
def volunteers_page(request: HttpRequest, pk: int, dbs_bound: dict | None = None) -> HttpResponse:
    business = _business(request, pk)
    adding = request.method == "POST" and dbs_bound is None  # not another form's error
    form = AddVolunteerForm(
        request.POST if adding else None, members=_members_not_volunteering(business)
    )
    if adding and form.is_valid():
        try:
            volunteer = volunteers.add_volunteer(
                organisation=business, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, f"{volunteer.user.get_full_name() or volunteer.user} volunteers."
            )
            return redirect("frontend:volunteers", business.pk)
    active = list(
        Volunteer.objects.filter(organisation=business, is_active=True)
        .select_related("user")
        .prefetch_related("skills")
        .order_by("user__first_name", "user__username")
    )
    ledgers = selectors.leave_ledgers(active)
    years = selectors.leave_policy(business).dbs_valid_years
    # Each volunteer's forms are offered closed and built only when one is opened (see
    # `frontend.fetched`): with every skill to choose from, they were most of the page.
    opened = request.GET.get("open")
    rows = [
        {
            "volunteer": volunteer,
            "leave": ledgers[volunteer.pk],
            "form": _skills_form(volunteer) if opened == f"skills-{volunteer.pk}" else None,
            "dbs_form": (dbs_bound or {}).get(volunteer.pk)
            or (_dbs_form(volunteer) if opened == f"dbs-{volunteer.pk}" else None),
            "dbs_until": safeguarding.expires_on(volunteer, years),
        }
        for volunteer in active
    ]
    return render(
        request, "frontend/volunteers.html", {"business": business, "form": form, "rows": rows}
    )


def _skills_form(volunteer: Volunteer) -> VolunteerSkillsForm:
    return VolunteerSkillsForm(
        volunteer=volunteer,
        choices=skill_choices(),
        action=reverse("frontend:volunteer-skills", args=[volunteer.organisation_id, volunteer.pk]),
    )


def _dbs_form(volunteer: Volunteer) -> DbsCheckForm:
    return DbsCheckForm(
        volunteer=volunteer,
        action=reverse("frontend:volunteer-dbs", args=[volunteer.organisation_id, volunteer.pk]),
    )


VOLUNTEER_FORMS = {"skills": _skills_form, "dbs": _dbs_form}


@login_required
@require_GET
def volunteer_form(request: HttpRequest, pk: int, volunteer_pk: int, name: str) -> HttpResponse:
    """A volunteer's skills or DBS form from the volunteers page, fetched when its
    <details> opens."""
    if name not in VOLUNTEER_FORMS:
        raise Http404
    if not fetched.wants_fragment(request):
        page = reverse("frontend:volunteers", args=[pk])
        return fetched.page_with_it_open(page, f"{name}-{volunteer_pk}")
    business = _business(request, pk)
    volunteer = get_object_or_404(
        Volunteer.objects.prefetch_related("skills"),
        pk=volunteer_pk, organisation=business, is_active=True,
    )  # fmt: skip
    return fetched.fragment(request, fetched.FORM, VOLUNTEER_FORMS[name](volunteer))


@login_required
@require_POST
def volunteer_dbs(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    business = _business(request, pk)
    volunteer = get_object_or_404(Volunteer, pk=volunteer_pk, organisation=business)
    form = DbsCheckForm(request.POST, volunteer=volunteer, action="")
    if form.is_valid():
        try:
            safeguarding.record_check(volunteer=volunteer, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                f"The DBS check of {volunteer.user.get_full_name() or volunteer.user} is saved.",
            )
            return redirect("frontend:volunteers", business.pk)
    return volunteers_page(request, pk, dbs_bound={volunteer.pk: form})


@login_required
@require_POST
def volunteer_skills(request: HttpRequest, pk: int, volunteer_pk: int) -> HttpResponse:
    business = _business(request, pk)
    volunteer = get_object_or_404(Volunteer, pk=volunteer_pk, organisation=business)
    form = VolunteerSkillsForm(request.POST, volunteer=volunteer, choices=skill_choices())
    if form.is_valid():
        chosen = Skill.objects.filter(pk__in=form.cleaned_data["skills"])
        volunteers.update_volunteer(volunteer=volunteer, by=request.user, skills=chosen)
        messages.success(request, "Skills saved.")
    return redirect("frontend:volunteers", business.pk)


@login_required
def leave_policy_page(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    policy = selectors.leave_policy(business)
    form = LeavePolicyForm(request.POST or None, instance=LeavePolicy(organisation=business))
    if request.method != "POST":
        form = LeavePolicyForm(instance=policy)
    elif form.is_valid():
        fields = {name: form.cleaned_data[name] for name in LeavePolicyForm.Meta.fields}
        try:
            leave.set_leave_policy(organisation=business, by=request.user, **fields)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "The leave policy is saved.")
            return redirect("frontend:leave-policy", business.pk)
    return render(request, "frontend/leave_policy.html", {"business": business, "form": form})


@login_required
def social_value_page(request: HttpRequest, pk: int, bound: dict | None = None) -> HttpResponse:
    """Each contract's statement and TOMs return (by measure and year), the credits; for
    brokers, the forms that set commitments and record contributions."""
    business = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.BUSINESS)
    if not access.can_act_for(request.user, business):
        raise PermissionDenied("Only the business's members or a broker see its social value.")
    today = timezone.localdate()
    broker = access.is_broker(request.user, business)
    bound = bound or {}
    contracts = []
    for contract in business.contracts.order_by("starts_on", "id"):
        action = reverse("frontend:commitment", args=[business.pk, contract.pk])
        contracts.append(
            {
                "contract": contract,
                "years": reports.contract_statement(contract, today=today),
                "toms": reports.toms_return(contract, today=today),
                "commit_form": (
                    bound.get(f"commit-{contract.pk}")
                    or CommitmentForm(contract_id=contract.pk, action=action)
                )
                if broker
                else None,
            }
        )
    give_form = None
    if broker:
        give_form = bound.get("give") or ContributionForm(
            action=reverse("frontend:contribution", args=[business.pk])
        )
    return render(
        request,
        "frontend/social_value.html",
        {
            "business": business,
            "contracts": contracts,
            "credits": selectors.credit_statement(business),
            "give_form": give_form,
            "contributions": business.contributions.select_related("measure", "contract"),
        },
    )


@broker_only
@require_POST
def set_commitment(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    contract = get_object_or_404(Contract, pk=contract_pk, organisation_id=pk)
    form = CommitmentForm(request.POST, contract_id=contract.pk, action="")
    if form.is_valid():
        try:
            social_value.set_commitment(contract=contract, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "The commitment is set.")
            return redirect("frontend:social-value", pk)
    return social_value_page(request, pk, bound={f"commit-{contract.pk}": form})


@broker_only
@require_POST
def record_contribution(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.BUSINESS)
    form = ContributionForm(request.POST, action="")
    if form.is_valid():
        try:
            given = social_value.record_contribution(
                organisation=business, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Recorded: £{given.amount:,.2f} under {given.measure.code}.")
            return redirect("frontend:social-value", pk)
    return social_value_page(request, pk, bound={"give": form})
