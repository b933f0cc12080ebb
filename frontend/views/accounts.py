"""Signing in and out, and where a signed-in person lands."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from brokerage import access, selectors
from brokerage.datasets.personal_data import personal_data
from brokerage.errors import DomainError
from brokerage.messaging import links
from brokerage.services import accounts, organisations
from brokerage.tokens import calendar_feed_token
from frontend import areas
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
        context = _broker_context(areas.chosen_areas(request)) | areas.picker_context(request)
        return render(request, "frontend/dashboard_broker.html", context)
    found = selectors.member_dashboard(user)
    context = {
        "role": "member",
        **found,
        **_calendar_feed(user, found),
        # Each list pages on its own (`?offers=2`), 20 a page.
        **{name: _page(request, name, found[name]) for name in ("offers", "needs", "matches")},
    }
    return render(request, "frontend/dashboard.html", context)


def _calendar_feed(user, found: dict) -> dict:
    """The address of a volunteer's bookings feed (https, and webcal for calendar apps)."""
    if not found.get("volunteering"):
        return {}
    address = links.absolute(links.calendar_feed(calendar_feed_token(user)))
    return {"calendar_feed": address, "calendar_webcal": "webcal" + address[address.index(":") :]}


BROKER_LIST_LENGTH = 10
DASHBOARD_PAGE_SIZE = 20


def _page(request: HttpRequest, param: str, queryset):
    return Paginator(queryset, DASHBOARD_PAGE_SIZE).get_page(request.GET.get(param))


def _broker_context(areas: frozenset[str]) -> dict:
    return {"role": "broker", **selectors.broker_queue(areas, limit=BROKER_LIST_LENGTH)}


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
