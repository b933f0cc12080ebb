"""A token that changes whenever anything a signed-in reader's identity rests on may have
changed: users (deactivated, password or sign-in), memberships, organisations (a broker is a
member of a verified council) and, connected by the API, its tokens.

A process that remembers who an API token belongs to (`api.authentication`) checks it on
every request, so a revoked token, a closed account or a new membership counts on the very
next request, whichever process serves it (see `brokerage.versions`). With Redis unreachable
there is no version and nothing is remembered: every request reads the database.
"""

from brokerage import models
from brokerage.versions import Version

_VERSION = Version("auth-version")
current = _VERSION.current


def connect(*more_models) -> None:
    """Watch the domain's models, and `more_models` (the API adds its token model)."""
    _VERSION.watch(models.User, models.Membership, models.Organisation, *more_models)
