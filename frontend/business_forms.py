"""Forms a business's administrators use for their volunteering scheme: adding volunteers
and their skills, and the leave policy."""

from crispy_forms_gds.layout import Field
from django import forms

from brokerage.models import DbsLevel, LeavePolicy, MeasureKind, Skill, User
from brokerage.models.social_value import MONEY_KINDS
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

    def __init__(
        self, *args, volunteer, choices: list[tuple[int, str]], action: str = "", **kwargs
    ) -> None:
        super().__init__(*args, prefix=f"skills-{volunteer.pk}", **kwargs)
        self.fields["skills"].choices = choices
        if not self.is_bound:
            self.initial = {"skills": [skill.pk for skill in volunteer.skills.all()]}
        self.helper = govuk_helper(Field("skills"), button="Save skills", action=action)


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


class CommitmentForm(forms.Form):
    """A broker sets what a contract commits a year under one TOMs measure."""

    kind = forms.ChoiceField(choices=MeasureKind.choices, label="Measure")
    quantity = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, label="A year (hours, or £ for £ measures)",
        error_messages={"required": "Enter what is committed a year"},
    )  # fmt: skip

    def __init__(self, *args, contract_id: int, action: str, **kwargs) -> None:
        super().__init__(*args, prefix=f"commit-{contract_id}", **kwargs)
        self.helper = govuk_helper(
            Field.select("kind"), Field.text("quantity", field_width=10),
            button="Set the commitment", action=action,
        )  # fmt: skip


class ContributionForm(forms.Form):
    """A broker records equipment or money the business gave (NT16, NT28)."""

    kind = forms.ChoiceField(
        choices=[(k, MeasureKind(k).label) for k in MONEY_KINDS], label="What was given"
    )
    amount = forms.DecimalField(
        min_value=0.01, max_digits=12, decimal_places=2, label="Worth (£)",
        error_messages={"required": "Enter what it is worth"},
    )  # fmt: skip
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), label="Given on",
        error_messages={"required": "Enter the day", "invalid": "Enter a real date"},
    )  # fmt: skip
    description = forms.CharField(
        max_length=300, label="What and for whom",
        error_messages={"required": "Say what was given"},
    )  # fmt: skip

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="give", **kwargs)
        self.helper = govuk_helper(
            Field.select("kind"), Field.text("amount", field_width=10),
            Field.text("date", field_width=10), Field.text("description"),
            button="Record the contribution", action=action,
        )  # fmt: skip


class DbsCheckForm(forms.Form):
    """A business admin records a volunteer's DBS check: its level, barred lists, issue
    date and Update Service, never the certificate's number or contents."""

    level = forms.ChoiceField(
        choices=[("", "No check recorded"), *DbsLevel.choices[1:]], required=False,
        label="DBS check",
    )  # fmt: skip
    barred_lists = forms.BooleanField(required=False, label="Includes the barred lists")
    issued_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Issued on",
        error_messages={"invalid": "Enter a real date"},
    )  # fmt: skip
    update_service = forms.BooleanField(
        required=False, label="On the DBS Update Service (kept current)"
    )

    def __init__(self, *args, volunteer, action: str, **kwargs) -> None:
        super().__init__(*args, prefix=f"dbs-{volunteer.pk}", **kwargs)
        if not self.is_bound:
            self.initial = {
                "level": volunteer.dbs_level, "barred_lists": volunteer.dbs_barred_lists,
                "issued_on": volunteer.dbs_issued_on,
                "update_service": volunteer.dbs_update_service,
            }  # fmt: skip
        self.helper = govuk_helper(
            Field.select("level"), Field.checkbox("barred_lists", small=True),
            Field.text("issued_on", field_width=10), Field.checkbox("update_service", small=True),
            button="Save the DBS check", action=action,
        )  # fmt: skip
