"""Forms that move a match on: a proposal's days, preferred dates and message, and the
reason for declining one. They check the shape of what was typed; the rules (capacity, the
listings' dates, "other" needs a note) are the services'."""

from crispy_forms_gds.layout import Field
from django import forms

from brokerage.models import DeclineReason
from frontend.forms import govuk_helper


class ProposalForm(forms.Form):
    """Posted from a suggestion card or a request's page: the fields are written in the page
    beside each listing, so only their names matter here."""

    days = forms.IntegerField(
        min_value=1,
        max_value=100_000,
        required=False,
        error_messages={
            "invalid": "Enter the number of volunteer-days as a whole number, like 3",
            "min_value": "Propose at least 1 volunteer-day",
            "max_value": "Propose at most 100,000 volunteer-days",
        },
    )
    preferred_from = forms.DateField(
        required=False, error_messages={"invalid": "Enter a real first preferred date"}
    )
    preferred_until = forms.DateField(
        required=False, error_messages={"invalid": "Enter a real last preferred date"}
    )
    note = forms.CharField(
        max_length=2000,
        required=False,
        error_messages={"max_length": "Keep the message to 2,000 characters or fewer"},
    )


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
        label="Why are you declining?",
        help_text="The other side is told, so they know what to do next.",
        error_messages={"required": "Choose why you are declining"},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label="Anything to add (needed for another reason)",
        error_messages={"max_length": "Keep it to 2,000 characters or fewer"},
    )

    def __init__(self, *args, action: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("reason", legend_size="s"),
            Field.textarea("note"),
            button="Decline this proposal",
            action=action,
            css_class="govuk-button--warning",
        )


class MessageForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        label="Your message",
        help_text="Both sides and the council's brokers can read it.",
        error_messages={
            "required": "Write a message",
            "max_length": "Keep the message to 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, action: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("text"), button="Send message", action=action)
