"""Forms on a match's page for delivering it: booking volunteers, logging and reviewing
hours, closing, feedback. Each is a plain POST form that works without JavaScript; the
services hold the rules and their refusals land on the named field."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.validators import MaxValueValidator

from brokerage.models import Contract, Feedback, LeaveType, MeasureKind, Volunteer
from brokerage.models.social_value import HOUR_KINDS
from brokerage.models.volunteering import max_day_hours
from brokerage.wording import quantity
from frontend.forms import govuk_helper


def _hours_field(**kwargs) -> forms.DecimalField:
    """Hours given on one day: a quarter of an hour at least, at most what a volunteer may
    give a day (set per form from `services.hours.max_day_hours`), in words people use."""
    return forms.DecimalField(
        min_value=0.25,
        max_digits=4,
        decimal_places=2,
        error_messages={
            "required": "Enter the hours",
            "invalid": "Enter the hours as a number, like 3 or 7.5",
            "min_value": "Enter at least a quarter of an hour (0.25)",
            "max_decimal_places": "Enter the hours to at most 2 decimal places",
            "max_digits": "Enter the hours as a number, like 3 or 7.5",
        },
        **kwargs,
    )


def _limit_hours(field: forms.DecimalField) -> None:
    """The form's limit is the service's: at most a volunteer-day's hours on one day."""
    cap = max_day_hours()
    field.max_value = cap
    field.validators.append(MaxValueValidator(cap))
    field.error_messages["max_value"] = (
        f"A volunteer gives at most {quantity(cap, 'hour')} a day: enter {cap:f} or fewer"
    )


class BookForm(forms.Form):
    """A business admin books one of its volunteers onto an accepted match."""

    volunteer = forms.ModelChoiceField(
        queryset=Volunteer.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose a volunteer"},
    )
    leave_type = forms.ChoiceField(
        choices=LeaveType.choices, label="On which leave?", initial=LeaveType.PAID
    )
    days = forms.DecimalField(
        min_value=0.5,
        max_digits=5,
        decimal_places=2,
        label="How many days?",
        error_messages={
            "required": "Enter how many days",
            "invalid": "Enter the days as a number, like 2 or 0.5",
            "min_value": "Book at least half a day (0.5)",
            "max_decimal_places": "Enter the days to at most 2 decimal places",
            "max_digits": "Enter the days as a number, like 2 or 0.5",
        },
    )
    first_day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="First day",
        error_messages={"required": "Enter the first day", "invalid": "Enter a real date"},
    )
    last_day = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Last day",
        error_messages={"required": "Enter the last day", "invalid": "Enter a real date"},
    )

    def __init__(self, *args, volunteers, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="book", **kwargs)
        self.fields["volunteer"].queryset = volunteers
        # The page replaces this with each volunteer's leave left (`delivery_context`).
        self.fields["volunteer"].label_from_instance = lambda v: (
            v.user.get_full_name() or str(v.user)
        )
        self.helper = govuk_helper(
            Field.select("volunteer"),
            Field.select("leave_type"),
            Field.text("days", field_width=5),
            Field.text("first_day", field_width=10),
            Field.text("last_day", field_width=10),
            button="Book this volunteer",
            action=action,
        )


class ExtendForm(forms.Form):
    """More days on an agreed match: a broker gives them; a side asks the other side."""

    days = forms.IntegerField(
        min_value=1,
        max_value=60,
        label="How many more days?",
        error_messages={
            "required": "Enter how many more days",
            "invalid": "Enter a whole number of days, like 2",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter at most 60 days at a time",
        },
    )
    note = forms.CharField(
        required=False, max_length=2000, label="Why (optional)", widget=forms.Textarea
    )

    def __init__(self, *args, action: str, button: str, **kwargs) -> None:
        super().__init__(*args, prefix="extend", **kwargs)
        self.helper = govuk_helper(
            Field.text("days", field_width=3),
            Field.textarea("note", rows=2),
            button=button,
            action=action,
        )


class LogTimeForm(forms.Form):
    """A volunteer (or their admin) logs time given on a match."""

    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), empty_label=None)
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Day the time was given",
        error_messages={"required": "Enter the day", "invalid": "Enter a real date"},
    )
    hours = _hours_field(label="Hours")
    leave_type = forms.ChoiceField(choices=LeaveType.choices, label="On which leave?")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="What was done",
        error_messages={"required": "Say what was done"},
    )

    def __init__(self, *args, volunteers, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="log", **kwargs)
        _limit_hours(self.fields["hours"])
        self.fields["volunteer"].queryset = volunteers
        self.fields["volunteer"].label_from_instance = lambda v: (
            v.user.get_full_name() or str(v.user)
        )
        self.helper = govuk_helper(
            Field.select("volunteer"),
            Field.text("date", field_width=10),
            Field.text("hours", field_width=4),
            Field.select("leave_type"),
            Field.textarea("description"),
            button="Log these hours",
            action=action,
        )


class AmendTimeForm(forms.Form):
    """Correct a queried (or waiting) entry; it waits for confirmation again."""

    hours = _hours_field()
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="What was done"
    )

    def __init__(self, *args, entry, action: str, **kwargs) -> None:
        super().__init__(*args, prefix=f"amend-{entry.pk}", **kwargs)
        _limit_hours(self.fields["hours"])
        if not self.is_bound:
            self.initial = {"hours": entry.hours, "description": entry.description}
        self.helper = govuk_helper(
            Field.text("hours", field_width=4),
            Field.textarea("description"),
            button="Send the corrected hours",
            action=action,
        )


class QueryTimeForm(forms.Form):
    note = forms.CharField(
        max_length=2000,
        label="What is wrong?",
        help_text="The volunteer and their employer see this.",
        error_messages={"required": "Say what is wrong with these hours"},
    )

    def __init__(self, *args, entry, action: str, **kwargs) -> None:
        super().__init__(*args, prefix=f"query-{entry.pk}", **kwargs)
        self.helper = govuk_helper(
            Field.text("note"),
            button="Query these hours",
            action=action,
            css_class="govuk-button--secondary",
        )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        label="How well did it go? (5 is best)",
        error_messages={"required": "Choose a rating from 1 to 5"},
    )
    outcomes = forms.MultipleChoiceField(
        choices=Feedback.Outcome.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What changed?",
    )
    story = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        label="A short story (optional)",
        help_text="In your own words: what difference the help made.",
    )
    consent_to_publish = forms.BooleanField(
        required=False, label="The story may be shown on the public page of this request"
    )

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="feedback", **kwargs)
        self.helper = govuk_helper(
            Field.radios("rating", inline=True, legend_size=Size.SMALL),
            Field.checkboxes("outcomes", legend_size=Size.SMALL, small=True),
            Field.textarea("story"),
            Field.checkbox("consent_to_publish"),
            button="Send feedback",
            action=action,
        )


class ValuationForm(forms.Form):
    """A broker says which measure a match's hours count under, and which contract."""

    measure_kind = forms.ChoiceField(
        choices=[
            ("", "Follow the need's skills"),
            *((k, MeasureKind(k).label) for k in HOUR_KINDS),
        ],
        required=False,
        label="Counts as",
    )
    contract = forms.ModelChoiceField(
        queryset=Contract.objects.none(),
        required=False,
        empty_label="The business's only running contract, if it has one",
        label="Counts towards contract",
    )

    def __init__(self, *args, match, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="value", **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(
            organisation=match.offer.organisation
        ).order_by("starts_on")
        if not self.is_bound:
            self.initial = {"measure_kind": match.measure_kind, "contract": match.contract_id}
        self.helper = govuk_helper(
            Field.select("measure_kind"),
            Field.select("contract"),
            button="Save the valuation",
            action=action,
            css_class="govuk-button--secondary",
        )
