"""The pages' faces of the shared filtersets (`brokerage.filters`): the same rules, shown as
GOV.UK GET forms that work without JavaScript."""

import django_filters as filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


class PlainSelect(forms.Select):
    """Django's select markup, with the options written in Python instead of two template
    includes each: a list of a region's 192 wards costs a fraction of a millisecond."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _ in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),
        )


class KeptChoiceField(forms.ModelChoiceField):
    """A model choice whose options are a list kept in the process (`selectors.filter_choices`)
    rather than model rows read and labelled on every render; the chosen value is still looked
    up in the queryset, so one that is not a choice is refused as before."""

    widget = PlainSelect

    def __init__(self, *args, options: list[tuple[str, str]], **kwargs) -> None:
        self.options = options
        for unused in ("null_label", "null_value"):  # django-filter's; no "none" choice here
            kwargs.pop(unused, None)
        super().__init__(*args, **kwargs)

    @property
    def choices(self) -> list[tuple[str, str]]:
        empty = [("", self.empty_label)] if self.empty_label is not None else []
        return [*empty, *self.options]


class KeptChoiceFilter(filters.ModelChoiceFilter):
    field_class = KeptChoiceField


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
    council = KeptChoiceFilter(
        queryset=Council.objects.none(),  # the councils served, set per request
        method="filter_councils",
        empty_label="All councils",
        label="Council",
    )
    ward = KeptChoiceFilter(
        queryset=Ward.objects.none(),  # the wards in force, set per request
        to_field_name="gss_code",
        method="filter_wards",
        empty_label="All wards",
        label="Ward",
    )
    category = KeptChoiceFilter(
        queryset=SkillCategory.objects.all(),
        to_field_name="slug",
        method="filter_categories",
        empty_label="All skills",
        label="Skill",
    )
    theme = KeptChoiceFilter(
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
        self.filters["ward"].queryset = selectors.current_wards()
        offered = selectors.filter_choices()  # the four lists, read together once
        for name, kept in (("council", "councils"), ("ward", "wards"),
                           ("category", "categories"), ("theme", "themes")):  # fmt: skip
            self.filters[name].extra["options"] = offered[kept]

    def filter_remote_only(self, queryset, name: str, remote: bool):
        return queryset.filter(remote_ok=True) if remote else queryset
