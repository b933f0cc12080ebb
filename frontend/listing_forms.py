"""The forms for posting and changing requests for help (needs) and offers. Each turns its
cleaned data into the service's arguments, so the pages that create and change a listing
share one conversion and the domain defaults below have one home."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from brokerage import selectors
from brokerage.models import DbsLevel, Need, Offer, OfferSkill, Skill, Theme
from frontend.forms import RealDateField

# A skill added on the offer form counts as experienced; a skill kept keeps its level.
NEW_OFFER_SKILL_LEVEL = OfferSkill.Level.EXPERIENCED


def _skills_field(label: str, hint: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Skill.objects.select_related("category").order_by("category__sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=hint,
        error_messages={"required": "Choose at least one skill"},
    )


# GOV.UK asks for text inputs with a numeric keyboard, not type="number" (which browsers
# let people scroll by accident and which drops what was typed when it is not a number).
NUMERIC = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})


class NeedForm(forms.Form):
    """A VCS organisation's request for help (saved as a draft, then published)."""

    title = forms.CharField(
        max_length=200,
        label="What do you need help with?",
        help_text="For example, ‘HR policy for our volunteers’",
        error_messages={"required": "Enter what you need help with"},
    )
    description = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=10_000,
        label="Tell businesses more (optional)",
    )
    ward = forms.ModelChoiceField(
        queryset=None,
        label="Ward",
        help_text="Where the help is needed",
        error_messages={"required": "Choose a ward"},
    )
    skills = _skills_field("Skills you need", "Tick each skill the work needs")
    # The same skills again: ticked here too, a skill is welcome but not essential (the
    # engine then suggests businesses that lack it).
    nice_to_have = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.select_related("category").order_by("category__sort_order", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Nice to have, not essential",
    )
    days_needed = forms.IntegerField(
        widget=NUMERIC,
        min_value=1,
        max_value=1000,
        label="How many volunteer-days?",
        help_text="One volunteer-day is one person for a working day",
        error_messages={
            "required": "Enter how many volunteer-days you need",
            "invalid": "Volunteer-days must be a whole number, like 3",
            "min_value": "Volunteer-days must be 1 or more",
            "max_value": "Volunteer-days must be 1,000 or fewer",
        },
    )
    needed_by = RealDateField(label="Needed by", help_text="For example, 27 3 2027")
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Council priorities it serves (optional)",
    )
    remote_ok = forms.BooleanField(required=False, label="It can be done remotely")
    dbs_required = forms.ChoiceField(
        choices=[("", "No check needed"), *DbsLevel.choices[1:]],
        required=False,
        label="DBS check volunteers need (safeguarding)",
        help_text="If volunteers will work with children or adults at risk. Only volunteers "
        "whose check fits can be booked.",
    )
    dbs_barred_lists = forms.BooleanField(
        required=False, label="With barred lists (enhanced checks only)"
    )

    def __init__(self, *args, submit_label: str = "Save as a draft", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = selectors.current_wards().order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("description", rows=4),
            Field.select("ward"),
            HTML('{% include "frontend/includes/skill_picker.html" %}'),
            Field.text("days_needed", field_width=4),
            Field("needed_by"),
            Field.checkboxes("themes", small=True, legend_size=Size.SMALL),
            Field.checkbox("remote_ok", small=True),
            Field.select("dbs_required"),
            Field.checkbox("dbs_barred_lists", small=True),
            Button("save", submit_label),
        )

    def skill_groups(self) -> list[dict]:
        """The skills by category, each with its "nice to have" box, for the grouped picker
        (`includes/skill_picker.html`): a category opens when one of its skills is ticked."""
        groups: dict[int, dict] = {}
        for box, nice in zip(self["skills"], self["nice_to_have"], strict=True):
            skill = box.data["value"].instance
            group = groups.setdefault(
                skill.category_id, {"category": skill.category, "rows": [], "chosen": 0}
            )
            ticked = box.data["selected"]
            group["rows"].append({"skill": skill, "box": box, "nice": nice, "ticked": ticked})
            group["chosen"] += ticked
        return list(groups.values())

    def clean_needed_by(self):
        day = self.cleaned_data["needed_by"]
        if day and day < timezone.localdate():
            raise forms.ValidationError("The date must be today or in the future")
        return day

    @staticmethod
    def initial_for(need: Need) -> dict:
        """The form filled in from a need, to change it."""
        return {
            "title": need.title,
            "description": need.description,
            "ward": need.ward,
            "skills": [row.skill for row in need.need_skills.all()],
            "nice_to_have": [row.skill for row in need.need_skills.all() if not row.must_have],
            "days_needed": need.days_needed,
            "needed_by": need.needed_by,
            "themes": list(need.themes.all()),
            "remote_ok": need.remote_ok,
            "dbs_required": need.dbs_required,
            "dbs_barred_lists": need.dbs_barred_lists,
        }

    def service_arguments(self) -> dict:
        """The cleaned data as `create_need` / `update_need` take it."""
        data = self.cleaned_data
        nice = set(data.get("nice_to_have") or [])
        return {
            **{name: data[name] for name in data if name not in ("skills", "nice_to_have")},
            # skill → essential? A "nice to have" tick on an unticked skill is ignored.
            "skills": {skill: skill not in nice for skill in data["skills"]},
        }


class OfferForm(forms.Form):
    """A business's offer of skills and volunteer-days (saved as a draft, then published)."""

    title = forms.CharField(
        max_length=200,
        label="What can your people offer?",
        help_text="For example, ‘HR advice from our people team’",
        error_messages={"required": "Enter what you can offer"},
    )
    description = forms.CharField(
        widget=forms.Textarea, required=False, max_length=10_000, label="More detail (optional)"
    )
    skills = _skills_field("Skills you offer", "Choose the skills your volunteers bring")
    volunteers = forms.IntegerField(
        widget=NUMERIC,
        min_value=1,
        max_value=1000,
        label="How many volunteers?",
        error_messages={"required": "Enter how many volunteers", "invalid": "Enter a number"},
    )
    days_offered = forms.IntegerField(
        widget=NUMERIC,
        min_value=1,
        max_value=100_000,
        label="How many volunteer-days in all?",
        error_messages={
            "required": "Enter how many volunteer-days you offer",
            "invalid": "Volunteer-days must be a whole number, like 10",
        },
    )
    available_from = RealDateField(label="Available from")
    available_until = RealDateField(label="Available until")
    wards = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Wards you can go to (optional)",
        help_text="Leave empty for anywhere in Coventry",
    )
    remote_ok = forms.BooleanField(required=False, label="Help can be given remotely")

    def __init__(
        self,
        *args,
        submit_label: str = "Save as a draft",
        levels: dict[Skill, str] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels or {}  # the offer's skills as they stand, with their levels
        self.fields["wards"].queryset = selectors.current_wards().order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("description", rows=4),
            Field.checkboxes("skills", small=True, legend_size=Size.SMALL),
            Field.text("volunteers", field_width=4),
            Field.text("days_offered", field_width=4),
            Field("available_from"),
            Field("available_until"),
            Field.checkboxes("wards", small=True, legend_size=Size.SMALL),
            Field.checkbox("remote_ok", small=True),
            Button("save", submit_label),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_until")
        if start and end and end < start:
            self.add_error("available_until", "The end date must be on or after the start date")
        return data

    @staticmethod
    def initial_for(offer: Offer) -> dict:
        """The form filled in from an offer, to change it."""
        return {
            "title": offer.title,
            "description": offer.description,
            "skills": [row.skill for row in offer.offer_skills.all()],
            "volunteers": offer.volunteers,
            "days_offered": offer.days_offered,
            "available_from": offer.available_from,
            "available_until": offer.available_until,
            "wards": list(offer.wards.all()),
            "remote_ok": offer.remote_ok,
        }

    def service_arguments(self) -> dict:
        """The cleaned data as `create_offer` / `update_offer` take it."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in data if name != "skills"},
            "skills": {
                skill: self.levels.get(skill, NEW_OFFER_SKILL_LEVEL) for skill in data["skills"]
            },
        }
