"""Signing someone in from a page without a password check: after they sign up, or join by
an invitation with a new account."""

from django.contrib.auth import login
from django.http import HttpRequest

from brokerage.models import User


def sign_in(request: HttpRequest, user: User) -> None:
    # Two backends are configured: the sign-in lockout's, which signs no one in, and Django's
    # model backend, which this session belongs to.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
