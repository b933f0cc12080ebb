"""Pages anyone can open: the home page with live figures, and requests for help."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from brokerage import selectors
from brokerage.models import NeedSkill
from frontend.filters import NeedPageFilter
from frontend.views.listings import need_page_context, need_queryset

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html", {"figures": selectors.market_figures()})


def needs(request: HttpRequest) -> HttpResponse:
    """Open requests for help, filtered by ward, skill category, council priority, remote.
    htmx swaps only the results when a filter changes; without JavaScript it is a GET form."""
    found = (
        selectors.open_needs()
        .select_related("organisation", "ward")
        .prefetch_related(Prefetch("need_skills", NeedSkill.objects.select_related("skill")))
        .order_by("needed_by", "id")
    )
    chosen = NeedPageFilter(request.GET or None, queryset=found, request=request)
    page = Paginator(chosen.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": chosen.form, "page": page, "query": query.urlencode()}
    template = (
        "frontend/includes/need_results.html"
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
        else "frontend/needs.html"
    )
    return render(request, template, context)


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(need_queryset(request.user), pk=pk)
    return render(request, "frontend/need_detail.html", need_page_context(request, need))
