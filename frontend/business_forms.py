"""Forms a business's administrators use for their volunteering scheme: adding volunteers
and their skills, and the leave policy."""

from crispy_forms_gds.layout import Field
from django import forms

from brokerage.models import LeavePolicy, Skill, User
from frontend.forms import govuk_helper


def _skills() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Skill.objects.select_related("category").order_by("category__sort_order", "name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        label="Skills they bring",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )


class AddVolunteerForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who",
        help_text="A member of your organisation (invite them first if they are not).",
        error_messages={"required": "Choose who volunteers"},
    )
    skills = _skills()

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["user"].queryset = members
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = govuk_helper(
            Field.select("user"), Field("skills"), button="Add this volunteer"
        )


class VolunteerSkillsForm(forms.Form):
    """One per volunteer on the volunteers page: the choices are given, worked out once for
    the page, rather than each form querying every skill again."""

    skills = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
        label="Skills they bring",
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )

    def __init__(self, *args, volunteer, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, prefix=f"skills-{volunteer.pk}", **kwargs)
        self.fields["skills"].choices = choices
        if not self.is_bound:
            self.initial = {"skills": [skill.pk for skill in volunteer.skills.all()]}
        self.helper = govuk_helper(Field("skills"), button="Save skills")
        self.helper.form_action = f"skills/{volunteer.pk}/"


def skill_choices() -> list[tuple[int, str]]:
    return list(Skill.objects.order_by("category__sort_order", "name").values_list("pk", "name"))


class LeavePolicyForm(forms.ModelForm):
    class Meta:
        model = LeavePolicy
        fields = [
            "paid_days",
            "unpaid_days",
            "year_start_month",
            "year_start_day",
            "volunteers_sign_up",
        ]
        labels = {
            "paid_days": "Days of paid volunteering leave a year",
            "unpaid_days": "Days of unpaid volunteering leave a year",
            "year_start_month": "Leave year starts: month (1–12)",
            "year_start_day": "Leave year starts: day (1–28)",
            "volunteers_sign_up": "Volunteers may put themselves on accepted matches",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("paid_days", field_width=4),
            Field.text("unpaid_days", field_width=4),
            Field.text("year_start_month", field_width=2),
            Field.text("year_start_day", field_width=2),
            Field.checkbox("volunteers_sign_up", small=True),
            button="Save the leave policy",
        )
