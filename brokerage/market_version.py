"""A token that changes whenever anything a listing read shows may have changed.

Readers cache responses under the current version (the API's listing reads, the engine's
market per process, the skills gap); any save or delete of a listing, its skills, a match, an
organisation or reference data moves it on (see `brokerage.versions`), so an answer kept for
a market that has changed is never served.
"""

import uuid

from brokerage import models
from brokerage.versions import Version

_VERSION = Version("market-version")


def current() -> str:
    # A cache that holds nothing (Redis unreachable): every read is of a new version, so
    # nothing built for an older market is reused.
    return _VERSION.current() or uuid.uuid4().hex


def bump() -> None:
    _VERSION.bump()


def connect() -> None:
    _VERSION.watch(
        models.Need, models.NeedSkill, models.Offer, models.OfferSkill, models.Match,
        models.Organisation, models.Ward, models.Skill, models.SkillCategory, models.Theme,
        m2m=(models.Need.themes.through, models.Offer.wards.through),
    )  # fmt: skip
