"""API token authentication: knox's, minus a query on every request."""

from django.utils import timezone
from knox import auth
from knox.signals import token_expired


class TokenAuthentication(auth.TokenAuthentication):
    """Knox also loads all the user's other tokens on every request to delete any that
    expired: one more query per API call. Here only the token shown is checked (an expired one
    is refused and deleted, as in knox); the rest are deleted by the hourly task
    `purge_expired_tokens` (`brokerage.services.accounts`). Overrides knox's `_cleanup_token`
    (django-rest-knox 5.x, pinned in the lock; `tests/api/test_auth.py` covers both cases)."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True
