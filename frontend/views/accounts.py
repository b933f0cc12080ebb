"""Signing in and out, and where a signed-in person lands."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from brokerage import selectors
from brokerage.errors import DomainError
from brokerage.models import Need, Offer, Organisation
from brokerage.services import organisations
from frontend.forms import SignInForm, SignUpForm, show_domain_error


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
    if selectors.is_broker(user):
        context = {
            "role": "broker",
            "pending": Organisation.objects.filter(
                verification_status=Organisation.Verification.PENDING
            ).order_by("created_at"),
            "waiting": Need.objects.filter(status="open")
            .select_related("organisation", "ward")
            .order_by("published_at")[:10],
        }
        return render(request, "frontend/dashboard_broker.html", context)
    org_ids = selectors.organisation_ids_of(user)
    context = {
        "role": "member",
        "organisations": Organisation.objects.filter(pk__in=org_ids),
        "offers": Offer.objects.filter(organisation_id__in=org_ids).order_by("-created_at"),
        "needs": Need.objects.filter(organisation_id__in=org_ids)
        .select_related("ward")
        .order_by("-created_at"),
        "matches": selectors.visible_matches(user)
        .select_related("offer", "need")
        .order_by("-created_at")[:20],
    }
    return render(request, "frontend/dashboard.html", context)


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
            login(request, organisation.memberships.get().user)
            messages.success(
                request,
                f"{organisation} is registered. A council broker will check it; you can post "
                "once it is verified.",
            )
            return redirect("frontend:dashboard")
    return render(request, "frontend/sign_up.html", {"form": form})
