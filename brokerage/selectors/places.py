"""Where: the wards new offers and needs may name."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from brokerage.models import (
    Ward,
)


def current_wards(lad_code: str | None = None, *, on: dt.date | None = None) -> QuerySet[Ward]:
    """Wards of the ward sets in force today (or `on`), for new offers and needs."""
    on = on or timezone.localdate()
    wards = Ward.objects.filter(
        Q(ward_set__valid_until__isnull=True) | Q(ward_set__valid_until__gte=on),
        ward_set__valid_from__lte=on,
    )
    if lad_code:
        wards = wards.filter(lad_code=lad_code)
    return wards
