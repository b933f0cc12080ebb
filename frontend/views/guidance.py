"""Help: how the service works for each kind of user, a glossary of its words, whom to
contact, and the accessibility statement public-sector sites must publish. Figures on them
(rates, credits, hours in a day, teams) are read from the data, so they stay true."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from brokerage import selectors
from brokerage.models import DbsLevel

AUDIENCES = {
    "charities": "How it works for charities and community groups",
    "businesses": "How it works for businesses",
    "volunteers": "How it works for volunteers",
    "brokers": "How it works for council brokers",
}


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/help/index.html", {"audiences": AUDIENCES})


def how_it_works(request: HttpRequest, audience: str) -> HttpResponse:
    if audience not in AUDIENCES:
        raise Http404("No such guide")
    context = {"audience": audience, "heading": AUDIENCES[audience], "audiences": AUDIENCES}
    return render(request, f"frontend/help/{audience}.html", _facts() | context)


def glossary(request: HttpRequest) -> HttpResponse:
    context = {
        "measures": selectors.measures_in_force(timezone.localdate()),
        "dbs_levels": [level for level in DbsLevel if level],
    }
    return render(request, "frontend/help/glossary.html", _facts() | context)


def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/help/contact.html", {"teams": selectors.broker_teams()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/help/accessibility.html", {"teams": selectors.broker_teams()})


def _facts() -> dict:
    return {
        "day_hours": settings.VOLUNTEER_DAY_HOURS,
        "policy": selectors.social_value_policy(None),
        "reminder_days": settings.REMINDER_WORKING_DAYS,
        "escalation_days": settings.ESCALATION_WORKING_DAYS,
    }
