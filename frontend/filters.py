"""The pages' faces of the shared filtersets (`brokerage.filters`): the same rules, shown as
GOV.UK GET forms that work without JavaScript."""

import django_filters as filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings

from brokerage import selectors
from brokerage.filters import NeedFilter
from brokerage.models import Council, SkillCategory, Theme, Ward


class NeedFilterForm(forms.Form):
    """The needs page's filter form: GOV.UK layout, our own error messages."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.text("q"),
            Field.select("council"),
            Field.select("ward"),
            Field.select("category"),
            Field.select("theme"),
            Field.checkbox("remote", small=True),
            Button("filter", "Apply filters", css_class="govuk-button--secondary"),
        )


class NeedPageFilter(NeedFilter):
    """`/needs/`: `NeedFilter`'s rules with the page's fields. `q` is the page's name for
    `search` (links people keep use it); one ward (of those in force), skill category and
    council priority at a time, and one council where the service brokers several; "remote" a
    checkbox meaning remote only."""

    q = filters.CharFilter(
        method="filter_search",
        max_length=100,
        label="Search",
        help_text="A skill as you would say it (xero, payroll, gardening) or any word.",
    )
    council = filters.ModelChoiceFilter(
        queryset=Council.objects.none(),  # the councils served, set per request
        method="filter_councils",
        empty_label="All councils",
        label="Council",
    )
    ward = filters.ModelChoiceFilter(
        queryset=Ward.objects.none(),  # the wards in force, set per request
        to_field_name="gss_code",
        method="filter_wards",
        empty_label="All wards",
        label="Ward",
    )
    category = filters.ModelChoiceFilter(
        queryset=SkillCategory.objects.all(),
        to_field_name="slug",
        method="filter_categories",
        empty_label="All skills",
        label="Skill",
    )
    theme = filters.ModelChoiceFilter(
        queryset=Theme.objects.filter(is_active=True),
        to_field_name="slug",
        method="filter_themes",
        empty_label="All council priorities",
        label="Council priority",
    )
    remote = filters.BooleanFilter(
        method="filter_remote_only", widget=forms.CheckboxInput, label="Can be done remotely"
    )

    SHOWN = ("q", "council", "ward", "category", "theme", "remote")

    class Meta(NeedFilter.Meta):
        fields = []
        form = NeedFilterForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.SHOWN}
        self.filters["council"].queryset = Council.objects.filter(gss_code__in=settings.COUNCILS)
        wards = selectors.current_wards().select_related("council")
        self.filters["ward"].queryset = wards.order_by("council__name", "name")
        if len(settings.COUNCILS) > 1:  # say whose ward it is where two councils share a list
            self.filters["ward"].field.label_from_instance = lambda w: f"{w.name} ({w.council})"

    def filter_remote_only(self, queryset, name: str, remote: bool):
        return queryset.filter(remote_ok=True) if remote else queryset
