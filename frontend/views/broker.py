"""Brokers' pages: verifying organisations, the city-wide allocation plan, the audit log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from brokerage import access, matchmaking, reports, selectors
from brokerage.datasets import exports
from brokerage.errors import DomainError
from brokerage.filters import AuditFilter
from brokerage.models import AllocationPlan, Council
from brokerage.services import allocations, organisations
from frontend import areas
from frontend.decorators import broker_only
from frontend.forms import RejectForm, show_domain_error
from frontend.views.organisations import organisation_page


@broker_only
@require_POST
def pick_area(request: HttpRequest) -> HttpResponse:
    """The area picker: one of the broker's councils, or all (""), kept in the session."""
    area = request.POST.get("area", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("frontend:dashboard")
    if not area:
        request.session.pop(areas.SESSION_KEY, None)
        messages.success(request, "Showing all your areas.")
    elif area in access.broker_areas(request.user):
        request.session[areas.SESSION_KEY] = area
        messages.success(request, f"Showing {Council.objects.get(pk=area)}.")
    else:
        messages.error(request, "That is not an area you broker; nothing changed.")
    return redirect(back)


@broker_only
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.visible_organisations(request.user), pk=pk)
    try:
        organisations.verify_organisation(organisation=organisation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("frontend:organisation", organisation.pk)
    messages.success(request, f"{organisation} is verified and can now publish.")
    return redirect("frontend:dashboard")


@broker_only
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a registration down with a reason the organisation is shown and told."""
    organisation = get_object_or_404(selectors.visible_organisations(request.user), pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            organisations.reject_organisation(
                organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"{organisation} is rejected; they have been told why.")
            return redirect("frontend:dashboard")
    return organisation_page(request, pk, reject_form=form)  # the page the form is on


@broker_only
def allocation(request: HttpRequest) -> HttpResponse:
    """Compute a plan (POST), review the latest draft's lines, apply the chosen ones."""
    if request.method == "POST":
        try:
            allocations.create_allocation(by=request.user, council=areas.picked_council(request))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("frontend:allocation")
    plan = (
        selectors.visible_allocation_plans(request.user)
        .filter(status=AllocationPlan.Status.DRAFT)
        .order_by("-created_at")
        .first()
    )
    lines = (
        plan.lines.select_related(
            "offer__organisation", "need__organisation", "need__ward"
        ).order_by("-value")
        if plan
        else []
    )
    context = {
        "plan": plan,
        "lines": lines,
        "weights": _priority_weights(areas.chosen_areas(request)),
        **areas.picker_context(request),
    }
    return render(request, "frontend/allocation.html", context)


def _priority_weights(codes) -> list[tuple]:
    """How each council of the area weighs a request's priority: (council, deprivation,
    themes, waiting, whether these are the service's defaults)."""
    s = matchmaking.SETTINGS
    found = []
    for council in Council.objects.filter(pk__in=codes, kind=Council.Kind.LOCAL):
        own = council.priority_weights
        weights = own or (s.deprivation_weight, s.theme_weight, s.waiting_weight)
        found.append((council, *weights, own is None))
    return found


@broker_only
@require_POST
def apply_lines(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(selectors.visible_allocation_plans(request.user), pk=pk)
    chosen = [int(i) for i in request.POST.getlist("lines") if i.isdigit()]
    if not chosen:
        messages.error(request, "Choose at least one line to apply.")
        return redirect("frontend:allocation")
    try:
        applied = allocations.apply_allocation(plan=plan, by=request.user, line_ids=chosen)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("frontend:allocation")
    messages.success(
        request,
        f"{len(applied.matches)} match{'es' if len(applied.matches) != 1 else ''} proposed; "
        f"{len(applied.skipped)} line{'s' if len(applied.skipped) != 1 else ''} no longer valid.",
    )
    if len(applied.matches) == 1:  # the match made: where the two sides now answer it
        return redirect("frontend:match", applied.matches[0].pk)
    return redirect("frontend:dashboard")  # several: listed under Matches, each by its title


@broker_only
def wards(request: HttpRequest) -> HttpResponse:
    """Needs, offers and matched days per ward, and a map shaded by unmet need."""
    rows = reports.ward_overview(areas.chosen_areas(request))
    features = [
        {
            "type": "Feature",
            "geometry": row["ward"].boundary.geometry,
            "properties": {
                "name": row["ward"].name,
                "unmet": row["unmet"],
                "open_needs": row["open_needs"],
            },
        }
        for row in rows
        if hasattr(row["ward"], "boundary")
    ]
    attribution = rows[0]["ward"].ward_set.attribution if rows else ""
    return render(
        request,
        "frontend/wards.html",
        {
            "rows": rows,
            "most_unmet": max((row["unmet"] for row in rows), default=0),
            "several_councils": len({row["ward"].council_id for row in rows}) > 1,
            "map": {"type": "FeatureCollection", "features": features},
            "borders": reports.council_outlines({row["ward"].council_id for row in rows}),
            "attribution": attribution,
            **areas.picker_context(request),
        },
    )


@broker_only
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did which administrative act, when, and what it changed; filtered, 50 a page."""
    found = AuditFilter(
        request.GET or None, queryset=selectors.audit_log(areas.chosen_areas(request))
    )
    page = Paginator(found.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": found, "page": page, "query": query.urlencode()}
    return render(request, "frontend/audit.html", context | areas.picker_context(request))


@broker_only
def exports_page(request: HttpRequest) -> HttpResponse:
    """Every dataset, with its columns and which hold personal data, to download whole."""
    return render(request, "frontend/exports.html", {"datasets": exports.DATASETS.values()})
