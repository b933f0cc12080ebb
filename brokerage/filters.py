"""Filters that the API and the pages share (django-filter works on any queryset and form),
so a list filters the same way in JSON and on screen."""

import django_filters as filters

from brokerage.models import AuditEntry, GapCase, Organisation


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


class GapCaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=GapCase.Status.choices, label="Status")
    reason = filters.ChoiceFilter(choices=GapCase.Reason.choices, label="Why unmet")
    owner = filters.NumberFilter(field_name="owner_id", label="Owner (user id)")
    mine = filters.BooleanFilter(method="filter_mine", label="Mine only")
    unassigned = filters.BooleanFilter(field_name="owner", lookup_expr="isnull", label="No owner")

    class Meta:
        model = GapCase
        fields = ["status", "reason", "owner", "mine", "unassigned"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(owner=user) if value and user is not None else queryset
