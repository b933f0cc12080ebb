"""Where: the councils this service brokers and the wards new offers and needs may name."""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from brokerage.models import Council, Ward


def current_wards(council: str | None = None, *, on: dt.date | None = None) -> QuerySet[Ward]:
    """Wards of the councils this service brokers (`settings.COUNCILS`), in ward sets in force
    today (or `on`): the wards new offers and needs may name."""
    on = on or timezone.localdate()
    wards = Ward.objects.filter(
        Q(ward_set__valid_until__isnull=True) | Q(ward_set__valid_until__gte=on),
        ward_set__valid_from__lte=on,
        council_id__in=settings.COUNCILS,
    )
    if council:
        wards = wards.filter(council_id=council)
    return wards


def served_councils() -> QuerySet[Council]:
    """The local councils this service brokers (`settings.COUNCILS`), by name."""
    return Council.objects.filter(gss_code__in=settings.COUNCILS).order_by("name")
