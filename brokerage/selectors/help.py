"""What the help pages state as fact, read from the data rather than written into them: the
teams to contact and the social value measures and rates in force."""

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from brokerage.models import Organisation, SocialValueMeasure


def broker_teams() -> QuerySet[Organisation]:
    """The verified council teams that broker the councils this service serves, by council."""
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.COUNCIL,
            council_id__in=settings.COUNCILS,
            verification_status=Organisation.Verification.VERIFIED,
        )
        .select_related("council")
        .order_by("council__name", "name")
    )


def measures_in_force(day: dt.date) -> list[SocialValueMeasure]:
    """The national measures and the proxy value each has on `day` (the latest rate starting
    on or before it), by code."""
    rows = SocialValueMeasure.objects.filter(council__isnull=True, valid_from__lte=day).order_by(
        "code", "-valid_from"
    )
    latest: dict[str, SocialValueMeasure] = {}
    for row in rows:
        latest.setdefault(row.code, row)
    return list(latest.values())
