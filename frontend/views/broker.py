"""Brokers' pages: verifying organisations and the city-wide allocation plan."""

from collections import Counter
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from brokerage import matchmaking, selectors
from brokerage.errors import DomainError
from brokerage.models import AllocationPlan, ListingStatus, Need, Offer, Organisation
from brokerage.services import allocations, organisations


def broker_only(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.is_broker(request.user):
            raise PermissionDenied("Brokers only.")
        return view(request, *args, **kwargs)

    return wrapper


@broker_only
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        organisations.verify_organisation(organisation=organisation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{organisation} is verified and can now publish.")
    return redirect("frontend:dashboard")


@broker_only
def allocation(request: HttpRequest) -> HttpResponse:
    """Compute a plan (POST), review the latest draft's lines, apply the chosen ones."""
    if request.method == "POST":
        try:
            allocations.create_allocation(by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("frontend:allocation")
    plan = (
        AllocationPlan.objects.filter(status=AllocationPlan.Status.DRAFT)
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
    return render(request, "frontend/allocation.html", {"plan": plan, "lines": lines})


@broker_only
@require_POST
def apply_lines(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(AllocationPlan, pk=pk)
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
    return redirect("frontend:dashboard")


@broker_only
def wards(request: HttpRequest) -> HttpResponse:
    """Needs, offers and matched days per ward, and a map shaded by unmet need."""
    current = list(selectors.current_wards().select_related("boundary").order_by("name"))
    open_needs = Counter(
        Need.objects.filter(status=ListingStatus.OPEN).values_list("ward_id", flat=True)
    )
    matched = dict(
        Need.objects.values("ward_id")
        .annotate(days=Sum("days_reserved"))
        .values_list("ward_id", "days")
    )
    live_offers = Offer.objects.filter(status=ListingStatus.OPEN)
    city_wide = live_offers.filter(wards__isnull=True).count()
    serving = Counter(
        Offer.wards.through.objects.filter(offer__in=live_offers).values_list("ward_id", flat=True)
    )
    unmet = Counter(gap.need.ward_id for gap in matchmaking.unmet_needs())
    rows = [
        {
            "ward": ward,
            "open_needs": open_needs[ward.pk],
            "unmet": unmet[ward.pk],
            "offers": serving[ward.pk] + city_wide,
            "matched_days": matched.get(ward.pk) or 0,
        }
        for ward in current
    ]
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
    attribution = current[0].ward_set.attribution if current else ""
    return render(
        request,
        "frontend/wards.html",
        {
            "rows": rows,
            "map": {"type": "FeatureCollection", "features": features},
            "attribution": attribution,
        },
    )
