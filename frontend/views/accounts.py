"""Signing in and out, and where a signed-in person lands."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from brokerage import access, selectors
from brokerage.datasets.personal_data import personal_data
from brokerage.errors import DomainError
from brokerage.models import (
    GapCase,
    ListingStatus,
    Membership,
    Need,
    Offer,
    Organisation,
    TimeEntry,
    Volunteer,
)
from brokerage.services import accounts, organisations
from frontend.auth import sign_in
from frontend.forms import CloseAccountForm, SignInForm, SignUpForm, show_domain_error


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "frontend/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each person's starting point: brokers see the market, members their organisation's."""
    user = request.user
    if access.is_broker(user):
        return render(request, "frontend/dashboard_broker.html", _broker_context())
    org_ids = selectors.organisation_ids_of(user)
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("id")
    )
    volunteers = list(Volunteer.objects.filter(user=user, is_active=True))
    context = {
        "role": "member",
        "organisations": [m.organisation for m in memberships],
        # What each organisation lets this person do: admins post offers and run the
        # organisation; a business's other members are its volunteers.
        "memberships": memberships,
        "verification": selectors.verification_help()
        if any(not m.organisation.is_verified for m in memberships)
        else None,
        # What the business's volunteers would like to help with (for its admins).
        "interests": [
            interest
            for m in memberships
            if m.role == Membership.Role.ADMIN and m.organisation.kind == "business"
            for interest in selectors.open_interests(m.organisation)[:20]
        ],
        # Hours volunteers logged on the charity's matches, waiting for it to confirm.
        "waiting": TimeEntry.objects.filter(
            status=TimeEntry.Status.PENDING,
            match__need__organisation__in=[
                m.organisation for m in memberships if m.organisation.kind == "vcs"
            ],
        )
        .select_related("volunteer__user", "match__need", "match__offer__organisation")
        .order_by("date", "id")[:50],
        "volunteering": [
            {
                "volunteer": volunteer,
                "leave": selectors.leave_ledger(volunteer),
                "bookings": volunteer.assignments.select_related(
                    "match__need__organisation"
                ).order_by("-first_day")[:20],
                "time": volunteer.time.select_related("match__need").order_by("-date", "-id")[:20],
            }
            for volunteer in volunteers
        ],
        # Each list pages on its own (`?offers=2`), 20 a page.
        "offers": _page(
            request,
            "offers",
            Offer.objects.filter(organisation_id__in=org_ids).order_by("-created_at", "-id"),
        ),
        "needs": _page(
            request,
            "needs",
            Need.objects.filter(organisation_id__in=org_ids)
            .select_related("ward")
            .order_by("-created_at", "-id"),
        ),
        "matches": _page(
            request,
            "matches",
            selectors.visible_matches(user)
            .select_related("offer", "need")
            .order_by("-created_at", "-id"),
        ),
    }
    return render(request, "frontend/dashboard.html", context)


BROKER_LIST_LENGTH = 10
DASHBOARD_PAGE_SIZE = 20


def _page(request: HttpRequest, param: str, queryset):
    return Paginator(queryset, DASHBOARD_PAGE_SIZE).get_page(request.GET.get(param))


def _broker_context() -> dict:
    """The broker's queue: who waits for verification, which requests wait longest or sit in
    the most deprived wards (IMD 2019 score, highest first), and what arrived today."""
    open_needs = Need.objects.filter(status=ListingStatus.OPEN).select_related(
        "organisation", "ward"
    )
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    new_needs = Need.objects.filter(published_at__gte=start_of_today)
    new_offers = Offer.objects.filter(published_at__gte=start_of_today)
    return {
        "role": "broker",
        "headlines": selectors.broker_headlines(),
        "unmet_count": GapCase.objects.filter(status__in=GapCase.ACTIVE).count(),
        "pending": Organisation.objects.filter(
            verification_status=Organisation.Verification.PENDING
        ).order_by("created_at"),
        "waiting": open_needs.order_by("published_at")[:BROKER_LIST_LENGTH],
        "deprived": selectors.needs_in_most_deprived_wards(BROKER_LIST_LENGTH),
        # Today's arrivals: how many, and the newest few (a busy day must not make the page
        # render thousands of rows).
        "new_needs_count": new_needs.count(),
        "new_needs": new_needs.select_related("organisation", "ward").order_by("-published_at")[
            :BROKER_LIST_LENGTH
        ],
        "new_offers_count": new_offers.count(),
        "new_offers": new_offers.select_related("organisation").order_by("-published_at")[
            :BROKER_LIST_LENGTH
        ],
    }


def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account and register an organisation; it is pending until verified."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisations.sign_up_and_register(
                account={
                    key: data[key]
                    for key in ("username", "email", "password", "first_name", "last_name")
                },
                kind=data["kind"],
                name=data["name"],
                contact_email=data["contact_email"],
                home_ward=data["home_ward"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            sign_in(request, organisation.memberships.get().user)
            messages.success(
                request,
                f"{organisation} is registered. A council broker will check it; you can post "
                "once it is verified.",
            )
            return redirect("frontend:dashboard")
    return render(request, "frontend/sign_up.html", {"form": form})


@login_required
def account_page(request: HttpRequest, form: CloseAccountForm | None = None) -> HttpResponse:
    """Your account: what is held about you (download it) and closing the account."""
    return render(
        request,
        "frontend/account.html",
        {
            "memberships": request.user.memberships.select_related("organisation"),
            "form": form or CloseAccountForm(),
        },
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(personal_data(request.user), encoder=DjangoJSONEncoder)
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
@require_POST
def close_account(request: HttpRequest) -> HttpResponse:
    form = CloseAccountForm(request.POST)
    if form.is_valid():
        try:
            accounts.close_account(
                user=request.user, by=request.user, password=form.cleaned_data["password"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            logout(request)
            messages.success(request, "Your account is closed. Thank you for your time.")
            return redirect("frontend:home")
    return account_page(request, form)
