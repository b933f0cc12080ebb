"""The reports page: a table and a chart (Chart.js) per grouping, with the CSV from the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from brokerage import reports
from brokerage.errors import DomainError
from brokerage.models import Council

LABELS = {
    "ward": "Ward",
    "theme": "Council priority",
    "business": "Business",
    "skill_category": "Skill",
    "month": "Month",
}


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    dimension = request.GET.get("by", "ward")
    if dimension not in reports.DIMENSIONS:
        dimension = "ward"
    try:
        scope = reports.scope_for(request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("frontend:dashboard")
    rows = reports.summary(dimension, scope)
    groups = rows[:-1]
    chart = {
        "labels": [row["group"] for row in groups],
        "hours": [float(row["hours_confirmed"]) for row in groups],
        "value": [float(row["social_value"]) for row in groups],
    }
    context = {
        "rows": rows,
        "dimension": dimension,
        "label": LABELS[dimension],
        "dimensions": LABELS,
        "chart": chart,
        "scope": scope,
        "declines": reports.declines_by_reason(scope),
        # Brokers also see what to ask businesses for next, ward by ward.
        "skills_gap": reports.skills_gap(areas=scope.areas) if scope.areas else [],
        # Brokers download each of their councils' returns (a combined authority's too).
        "returns": Council.objects.filter(pk__in=scope.areas).order_by("kind", "name")
        if scope.areas
        else [],
    }
    return render(request, "frontend/reports.html", context)
