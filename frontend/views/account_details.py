"""Your name, e-mail and password: changing them when signed in, and choosing a new password
from an e-mailed link when it is forgotten; and how you hear of each kind of notification."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from brokerage.errors import DomainError
from brokerage.messaging import preferences
from brokerage.services import accounts
from brokerage.services.notification_preferences import set_preferences
from brokerage.tokens import email_change_for_token, user_for_preferences_token
from frontend.account_forms import (
    ChangePasswordForm,
    EmailChangeForm,
    ForgottenPasswordForm,
    NameForm,
    NewPasswordForm,
    NotificationPreferencesForm,
)
from frontend.forms import show_domain_error


def _acted(request: HttpRequest, form, act) -> bool:
    """Whether a posted form was valid and `act(cleaned_data)` did it; a service's refusal
    is put on the form instead."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        act(form.cleaned_data)
    except DomainError as error:
        show_domain_error(form, error)
        return False
    return True


@require_http_methods(["GET", "POST"])
def forgotten_password(request: HttpRequest) -> HttpResponse:
    form = ForgottenPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.request_password_reset(form.cleaned_data["email"])
        # The same answer whether or not an account has the address.
        request.session["reset_email"] = form.cleaned_data["email"]
        return redirect("frontend:password-reset-sent")
    context = {"form": form, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    return render(request, "frontend/account/forgotten_password.html", context)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    context = {"email": request.session.get("reset_email", "")}
    return render(request, "frontend/account/password_reset_sent.html", context)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view checks the link's token (one use, expiring) and moves it out of the
    address into the session before the form shows; the new password is set by the service."""

    form_class = NewPasswordForm
    template_name = "frontend/account/new_password.html"

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        try:
            accounts.set_password(user=self.user, new_password=form.cleaned_data["new_password"])
        except DomainError as error:
            show_domain_error(form, error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "Your password is changed. Sign in with the new one.")
        return redirect("frontend:sign-in")


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST or None)
    changed = _acted(
        request,
        form,
        lambda data: accounts.change_password(
            user=request.user,
            current_password=data["current_password"],
            new_password=data["new_password"],
        ),
    )
    if changed:
        update_session_auth_hash(request, request.user)  # this session stays signed in
        messages.success(
            request, "Your password is changed. Everywhere else you were signed in is signed out."
        )
        return redirect("frontend:account")
    return render(request, "frontend/account/change_password.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_name(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    form = NameForm(request.POST or None, initial=initial)
    if _acted(request, form, lambda data: accounts.change_name(user=user, **data)):
        messages.success(request, "Your name is changed.")
        return redirect("frontend:account")
    return render(request, "frontend/account/change_name.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_email(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None)
    asked = _acted(
        request,
        form,
        lambda data: accounts.request_email_change(
            user=request.user, new_email=data["email"], password=data["password"]
        ),
    )
    if asked:
        messages.success(
            request,
            f"We sent a link to {form.cleaned_data['email']}. Your e-mail changes when you "
            "follow it; until then e-mails go to your current address.",
        )
        return redirect("frontend:account")
    return render(request, "frontend/account/change_email.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a new address. Following it shows a button: a mail scanner that
    opens links must not change anyone's address."""
    try:
        user, new_email = email_change_for_token(token)
    except DomainError as error:
        context = {"problem": error.message}
        return render(request, "frontend/account/confirm_email.html", context, status=400)
    if request.method == "POST":
        try:
            accounts.confirm_email_change(token=token)
        except DomainError as error:
            context = {"problem": error.message}
            return render(request, "frontend/account/confirm_email.html", context, status=400)
        messages.success(request, f"Your e-mail address is now {new_email}.")
        return redirect("frontend:account" if request.user.is_authenticated else "frontend:sign-in")
    context = {"new_email": new_email, "username": user.username}
    return render(request, "frontend/account/confirm_email.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    return _preferences(request, request.user, "frontend:account")


@require_http_methods(["GET", "POST"])
def email_preferences(request: HttpRequest, token: str) -> HttpResponse:
    """The same choices, from the link in every notification e-mail: no sign-in needed."""
    user = user_for_preferences_token(token)
    if user is None:
        raise Http404("This link is not valid. Sign in to choose what we e-mail you.")
    return _preferences(request, user, None)


def _preferences(request: HttpRequest, user, done: str | None) -> HttpResponse:
    form = NotificationPreferencesForm(request.POST or None, current=preferences.all_choices(user))
    if _acted(request, form, lambda data: set_preferences(user=user, choices=data)):
        messages.success(request, "Your choices are saved.")
        return redirect(done or request.path)
    context = {"form": form, "person": user}
    return render(request, "frontend/account/notification_preferences.html", context)
