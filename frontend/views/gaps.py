"""Brokers' casework on unmet needs: the list of cases (filtered, 50 a page) and each case's
page with its reason, owner, status and notes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, F, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from brokerage import access, selectors
from brokerage.errors import DomainError
from brokerage.filters import GapCaseFilter
from brokerage.models import GapCase
from brokerage.services import gap_cases
from frontend import areas
from frontend.decorators import broker_only
from frontend.forms import show_domain_error
from frontend.gap_forms import AssignForm, CaseStatusForm, NoteForm


def _cases(request: HttpRequest):
    """The cases of the areas the broker brokers (another area's read as not found)."""
    return selectors.visible_gap_cases(request.user).select_related(
        "need__organisation", "need__ward", "owner"
    )


# Cases open and without an owner wait for a broker: they sort first, soonest due first.
_WAITING = Q(status=GapCase.Status.OPEN, owner__isnull=True)
_not_taken_first = Case(When(_WAITING, then=0), default=1)
_due_first = Case(When(_WAITING, then=F("opened_at")), default=None).asc(nulls_last=True)


@broker_only
def case_list(request: HttpRequest) -> HttpResponse:
    """Open and in-progress cases unless a status is chosen, 50 a page: cases nobody has
    taken first, the soonest due (`response_times.answer_by`) first, then the rest newest
    first."""
    query = request.GET.copy()
    shown = _cases(request).filter(access.in_areas(GapCase, areas.chosen_areas(request)))
    found = GapCaseFilter(query or None, queryset=shown, request=request)
    cases = found.qs if "status" in query else found.qs.filter(status__in=GapCase.ACTIVE)
    cases = cases.order_by(_not_taken_first, _due_first, "-opened_at", "-id")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    selectors.explain_gap_cases(page.object_list)
    query.pop("page", None)
    return render(
        request,
        "frontend/unmet_needs.html",
        {
            "filter": found,
            "page": page,
            "query": query.urlencode(),
            **areas.picker_context(request),
        },
    )


@broker_only
def case_page(request: HttpRequest, pk: int, bound: dict | None = None) -> HttpResponse:
    case = get_object_or_404(_cases(request), pk=pk)
    selectors.explain_gap_cases([case])
    bound = bound or {}
    here = lambda name: reverse(f"frontend:{name}", args=[case.pk])  # noqa: E731
    return render(
        request,
        "frontend/gap_case.html",
        {
            "case": case,
            "notes": case.notes.select_related("author"),
            "assign_form": bound.get("assign")
            or AssignForm(
                action=here("gap-case-assign"), case=case, initial={"owner": case.owner_id}
            ),
            "status_form": bound.get("status")
            or CaseStatusForm(action=here("gap-case-status"), initial={"status": case.status}),
            "note_form": bound.get("note") or NoteForm(action=here("gap-case-note")),
        },
    )


def _act(request: HttpRequest, pk: int, name: str, form, act, done: str) -> HttpResponse:
    case = get_object_or_404(_cases(request), pk=pk)
    form = form(case)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("frontend:gap-case", case.pk)
    return case_page(request, case.pk, bound={name: form})


@broker_only
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    if "take" in request.POST:  # "Take this case": the broker themself
        request.POST = request.POST.copy()
        request.POST["assign-owner"] = str(request.user.pk)
    return _act(
        request, pk, "assign", lambda case: AssignForm(request.POST, action="", case=case),
        lambda case, data: gap_cases.assign(case=case, owner=data["owner"], by=request.user),
        "The owner is set.",
    )  # fmt: skip


@broker_only
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, "status", lambda case: CaseStatusForm(request.POST, action=""),
        lambda case, data: gap_cases.set_status(case=case, by=request.user, **data),
        "The status is changed.",
    )  # fmt: skip


@broker_only
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, "note", lambda case: NoteForm(request.POST, action=""),
        lambda case, data: gap_cases.add_note(case=case, by=request.user, **data),
        "The note is added.",
    )  # fmt: skip
