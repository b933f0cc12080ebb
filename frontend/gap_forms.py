"""Forms on an unmet need's case page: owner, status, notes (plain POST, no JavaScript)."""

from crispy_forms_gds.layout import Field
from django import forms

from brokerage.messaging import outbox
from brokerage.models import GapCase, User
from frontend.forms import govuk_helper


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Nobody", label="Owner"
    )

    def __init__(self, *args, action: str, case: GapCase, **kwargs) -> None:
        super().__init__(*args, prefix="assign", **kwargs)
        brokers = [u.pk for u in outbox.brokers(case)]
        self.fields["owner"].queryset = User.objects.filter(pk__in=brokers).order_by("username")
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.helper = govuk_helper(Field.select("owner"), button="Set the owner", action=action)


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(choices=GapCase.Status.choices, label="Status")
    note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea,
        label="What happened",
        help_text="Needed to close a case: how it was met, or why it cannot be.",
    )

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="status", **kwargs)
        self.helper = govuk_helper(
            Field.select("status"), Field.textarea("note", rows=3), button="Change the status",
            action=action,
        )  # fmt: skip


class NoteForm(forms.Form):
    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea,
        label="Add a note",
        error_messages={"required": "Write the note"},
    )

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, prefix="note", **kwargs)
        self.helper = govuk_helper(
            Field.textarea("text", rows=3), button="Add the note", action=action
        )
