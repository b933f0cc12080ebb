"""Filters for the lists (django-filter); each appears as a documented query parameter."""

import django_filters as filters
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from brokerage.models import (
    ListingStatus,
    Match,
    MatchStatus,
    Need,
    Offer,
    Organisation,
    Skill,
    SkillCategory,
    Theme,
    Ward,
)
from brokerage.selectors import current_wards


@extend_schema_field(OpenApiTypes.STR)
class CodesFilter(filters.ModelMultipleChoiceFilter):
    """Several slugs or GSS codes (repeat the parameter); matches any of them."""


@extend_schema_field(OpenApiTypes.STR)
class CodeFilter(filters.ModelChoiceFilter):
    """One slug or code."""


class ListingFilter(filters.FilterSet):
    skill = CodesFilter(
        field_name="skills__slug",
        to_field_name="slug",
        queryset=Skill.objects.all(),
        distinct=True,
        help_text="Skill slug; repeat for any of several.",
    )
    category = CodesFilter(
        field_name="skills__category__slug",
        to_field_name="slug",
        queryset=SkillCategory.objects.all(),
        distinct=True,
        help_text="Skill category slug; repeat for any of several.",
    )
    status = filters.MultipleChoiceFilter(choices=ListingStatus.choices)
    remote = filters.BooleanFilter(field_name="remote_ok", help_text="Remote possible.")
    organisation = filters.ModelChoiceFilter(queryset=Organisation.objects.all())


class NeedFilter(ListingFilter):
    ward = CodesFilter(
        field_name="ward__gss_code",
        to_field_name="gss_code",
        queryset=Ward.objects.all(),
        help_text="Ward GSS code; repeat for any of several.",
    )
    theme = CodesFilter(
        field_name="themes__slug",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        distinct=True,
        help_text="Council priority theme slug; repeat for any of several.",
    )
    needed_by = filters.DateFromToRangeFilter(
        help_text="needed_by_after / needed_by_before (YYYY-MM-DD, inclusive)."
    )

    class Meta:
        model = Need
        fields = ["ward", "skill", "category", "theme", "status", "remote", "organisation"]


class OfferFilter(ListingFilter):
    ward = CodesFilter(
        to_field_name="gss_code",
        queryset=Ward.objects.all(),
        method="filter_serves_ward",
        help_text="Offers that can serve this ward (listed, or no ward limit).",
    )
    available_on = filters.DateFilter(
        method="filter_available_on", help_text="Available on this date (YYYY-MM-DD)."
    )
    available_from = filters.DateFromToRangeFilter()
    available_until = filters.DateFromToRangeFilter()
    leave_type = filters.ChoiceFilter(choices=Offer.LeaveType.choices)

    class Meta:
        model = Offer
        fields = ["ward", "skill", "category", "status", "remote", "organisation", "leave_type"]

    def filter_serves_ward(self, queryset: QuerySet, name: str, wards: list[Ward]) -> QuerySet:
        if not wards:
            return queryset
        return queryset.filter(Q(wards__in=wards) | Q(wards__isnull=True)).distinct()

    def filter_available_on(self, queryset: QuerySet, name: str, day) -> QuerySet:
        return queryset.filter(available_from__lte=day, available_until__gte=day)


class MatchFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=MatchStatus.choices)
    offer = filters.ModelChoiceFilter(queryset=Offer.objects.all())
    need = filters.ModelChoiceFilter(queryset=Need.objects.all())

    class Meta:
        model = Match
        fields = ["status", "offer", "need"]


class OrganisationFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Organisation.Kind.choices)
    verification_status = filters.ChoiceFilter(choices=Organisation.Verification.choices)

    class Meta:
        model = Organisation
        fields = ["kind", "verification_status"]


class WardFilter(filters.FilterSet):
    current = filters.BooleanFilter(method="filter_current", help_text="In force today.")

    class Meta:
        model = Ward
        fields = ["current", "lad_code"]

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        ids = current_wards().values("pk")
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class SkillFilter(filters.FilterSet):
    category = CodeFilter(
        field_name="category__slug", to_field_name="slug", queryset=SkillCategory.objects.all()
    )

    class Meta:
        model = Skill
        fields = ["category"]
