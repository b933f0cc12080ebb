"""Pages anyone can open: the home page with live figures, and requests for help."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from brokerage import search, selectors
from brokerage.models import ListingStatus, NeedSkill
from frontend.forms import NeedFilterForm
from frontend.views.listings import need_page_context, need_queryset

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html", {"figures": selectors.market_figures()})


def needs(request: HttpRequest) -> HttpResponse:
    """Open requests for help, filtered by ward, skill category, council priority, remote.
    htmx swaps only the results when a filter changes; without JavaScript it is a GET form."""
    form = NeedFilterForm(request.GET or None)
    found = (
        selectors.visible_needs(request.user)
        .filter(status=ListingStatus.OPEN)
        .select_related("organisation", "ward")
        .prefetch_related(Prefetch("need_skills", NeedSkill.objects.select_related("skill")))
        .order_by("needed_by", "id")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            found = search.listings_matching(found, data["q"])
        if data["ward"]:
            found = found.filter(ward=data["ward"])
        if data["category"]:
            found = found.filter(skills__category=data["category"]).distinct()
        if data["theme"]:
            found = found.filter(themes=data["theme"])
        if data["remote"]:
            found = found.filter(remote_ok=True)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = (
        "frontend/includes/need_results.html"
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted")
        else "frontend/needs.html"
    )
    return render(request, template, context)


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(need_queryset(request.user), pk=pk)
    return render(request, "frontend/need_detail.html", need_page_context(request, need))
