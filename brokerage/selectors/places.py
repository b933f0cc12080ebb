"""Where: the councils this service brokers and the wards new offers and needs may name, and
the choices the pages' filters offer (kept in each process until reference data changes)."""

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from brokerage.infra import versions
from brokerage.models import Council, SkillCategory, Theme, Ward

Choices = list[tuple[str, str]]
# (day, councils served) -> the filters' choices; a day's wards are those in force then.
_CHOICES = versions.ProcessMemo(seconds=3600, limit=100)


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


def filter_choices() -> dict[str, Choices]:
    """What the needs page's filters offer, as (value, label) pairs: "wards" in force (GSS code;
    by council then name, each saying whose ward it is where the service brokers several
    councils), "councils" served (GSS code), skill "categories" and council priority "themes"
    in use (slug). Kept in this process per day until reference data changes."""
    key = (timezone.localdate(), tuple(settings.COUNCILS))
    return _CHOICES.get_or_build(key, versions.REFERENCE.current(), _filter_choices)


def _filter_choices() -> dict[str, Choices]:
    several = len(settings.COUNCILS) > 1
    wards = current_wards().order_by("council__name", "name")
    return {
        "wards": [
            (code, f"{name} ({council})" if several else name)
            for code, name, council in wards.values_list("gss_code", "name", "council__name")
        ],
        "councils": list(served_councils().values_list("gss_code", "name")),
        "categories": list(SkillCategory.objects.values_list("slug", "name")),
        "themes": list(Theme.objects.filter(is_active=True).values_list("slug", "name")),
    }
