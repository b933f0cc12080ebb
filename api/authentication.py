"""API token authentication: knox's tokens and header, read in one query with what the holder
may see."""

import binascii
import datetime as dt
from hmac import compare_digest

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

from brokerage.access import BROKER_ORGANISATION, BROKER_SQL
from brokerage.infra import versions
from brokerage.models import Membership, Organisation, User
from brokerage.selectors import Viewer

AuthToken = get_token_model()


def _columns(model, alias: str) -> list[str]:
    return [f'{alias}."{field.column}"' for field in model._meta.concrete_fields]


_TOKEN_FIELDS = [field.attname for field in AuthToken._meta.concrete_fields]
_USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
# The token, its user and the user's memberships, one row per membership (or one with NULLs).
# Raw SQL: the ORM spent longer compiling the token query than PostgreSQL took to run it, and
# the viewer was a second round trip (bench/api_bench.py). Names come from the models.
_TOKEN_SQL = f"""
    SELECT {", ".join(_columns(AuthToken, "t") + _columns(User, "u"))},
           m.organisation_id, {BROKER_SQL}
    FROM {AuthToken._meta.db_table} t
    JOIN {User._meta.db_table} u ON u.id = t.user_id
    LEFT JOIN {Membership._meta.db_table} m ON m.user_id = u.id
    LEFT JOIN {Organisation._meta.db_table} o ON o.id = m.organisation_id
    WHERE t.token_key = %s
"""


def _aware(value):
    """SQLite's raw rows carry the stored UTC times without their zone (the ORM adds it on its
    own reads; this query is raw). PostgreSQL's already have it."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    return value


# Who each token shown lately belongs to, per process, under the auth version it was read at
# (`brokerage.infra.versions.AUTH`): any change to users, memberships, organisations or tokens
# moves the version, so nothing stale is used, and an entry also lapses after a minute in case
# a change went unseen. Saves the token query on repeated reads (bench/api_bench.py).
_remembered = versions.ProcessMemo(seconds=60.0, limit=10_000)


class TokenAuthentication(auth.TokenAuthentication):
    """Knox's scheme (header, hashed tokens, expiry, the `token_expired` signal) with two
    changes. Knox loads all the user's other tokens on every request to delete the expired
    ones; here only the token shown is checked (an expired one is refused and deleted, as in
    knox) and the rest go in the hourly task `purge_expired_tokens`
    (`brokerage.services.accounts`). And the token, its user and the `Viewer` (what the holder
    may see, `request.auth.viewer`) come in one query. Written against django-rest-knox 5.x,
    pinned in the lock; `tests/api/test_auth.py` covers each case."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        invalid = exceptions.AuthenticationFailed(_("Invalid token."))
        token = token.decode("utf-8")
        try:
            shown = hash_token(token)
        except (TypeError, binascii.Error):
            raise invalid from None
        version = versions.AUTH.current()
        found = _remembered.recall(shown, version)
        if found is None:
            found = self._read(token, shown)
            if found is None:
                raise invalid
            if not knox_settings.AUTO_REFRESH:  # a refreshed expiry is written each time
                _remembered.keep(shown, version, found)
        token_row, user_row, viewer = found
        auth_token = AuthToken.from_db("default", _TOKEN_FIELDS, token_row)
        auth_token.user = User.from_db("default", _USER_FIELDS, user_row)
        auth_token.viewer = viewer
        if self._cleanup_token(auth_token):  # expired since it was remembered
            raise invalid
        if knox_settings.AUTO_REFRESH and auth_token.expiry:
            self.renew_token(auth_token)
        return self.validate_user(auth_token)

    def _read(self, token: str, shown: str) -> tuple | None:
        """The token's row, its user's and the viewer, from the database; None if no live
        token has this digest (expired ones found on the way are deleted, as knox does)."""
        with connection.cursor() as cursor:
            cursor.execute(_TOKEN_SQL, [*BROKER_ORGANISATION, token[: CONSTANTS.TOKEN_KEY_LENGTH]])
            rows = [tuple(_aware(value) for value in row) for row in cursor.fetchall()]
        tokens, users = len(_TOKEN_FIELDS), len(_TOKEN_FIELDS) + len(_USER_FIELDS)
        digest = _TOKEN_FIELDS.index("digest")
        # Knox's key prefix may be shared by two tokens: the digest tells them apart.
        for each in dict.fromkeys(row[digest] for row in rows):
            mine = [row for row in rows if row[digest] == each]
            auth_token = AuthToken.from_db("default", _TOKEN_FIELDS, mine[0][:tokens])
            auth_token.user = User.from_db("default", _USER_FIELDS, mine[0][tokens:users])
            if self._cleanup_token(auth_token):
                continue
            if compare_digest(shown, auth_token.digest):
                viewer = Viewer.of_memberships(row[users:] for row in mine)
                return mine[0][:tokens], mine[0][tokens:users], viewer
        return None

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True
