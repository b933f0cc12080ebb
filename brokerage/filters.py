"""Filters that the API and the pages share (django-filter works on any queryset and form),
so a list filters the same way in JSON and on screen."""

import django_filters as filters

from brokerage.models import AuditEntry, Organisation


class AuditFilter(filters.FilterSet):
    action = filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="What was done")
    organisation = filters.ModelChoiceFilter(
        queryset=Organisation.objects.order_by("name"), label="Organisation"
    )
    actor = filters.CharFilter(
        field_name="actor__username", lookup_expr="iexact", label="Done by (username)"
    )
    since = filters.DateFilter(field_name="at", lookup_expr="date__gte", label="From")
    until = filters.DateFilter(field_name="at", lookup_expr="date__lte", label="To")

    class Meta:
        model = AuditEntry
        fields = ["action", "organisation", "actor", "since", "until"]
