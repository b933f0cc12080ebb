"""Django forms rendered as GOV.UK Design System components (crispy-forms-gds): an error
summary at the top, each field's error beside it, hints under labels."""

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from brokerage import selectors
from brokerage.errors import DomainError


class RealDateField(DateInputField):
    """GOV.UK's day, month and year boxes; a date that does not exist (30 2 2027) is told in
    the GOV.UK words, not Python's ("day is out of range for month")."""

    def compress(self, data_list) -> dt.date | None:
        try:
            return super().compress(data_list)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                "Enter a real date, for example 27 3 2027", code="invalid"
            ) from error


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )


class RejectForm(forms.Form):
    """A broker turning a registration down says why; the organisation is shown the reason."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why is it rejected?",
        help_text="The organisation sees this, so say what would put it right.",
        error_messages={"required": "Say why the organisation is rejected"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # inside the page's own form, beside Verify
        self.helper.layout = Layout(
            Field.textarea("reason"),
            Button("submit", "Reject", css_class="govuk-button--warning"),
        )


class CloseAccountForm(forms.Form):
    """Closing an account cannot be undone: the person confirms with their password."""

    password = forms.CharField(
        widget=forms.PasswordInput,
        label="Your password",
        error_messages={"required": "Enter your password to close your account"},
    )
    understood = forms.BooleanField(
        label="I understand my account cannot be opened again",
        error_messages={"required": "Confirm that you understand your account cannot be reopened"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.form_action = "frontend:account-close"
        self.helper.layout = Layout(
            Field.text("password", field_width=20),
            Field.checkbox("understood"),
            Button("submit", "Close my account", css_class="govuk-button--warning"),
        )


def govuk_helper(*fields, button: str, action: str = "", css_class: str = "") -> FormHelper:
    """A crispy helper for a one-button GOV.UK form: our error messages, not the browser's."""
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    if action:
        helper.form_action = action
    helper.layout = Layout(*fields, Button("submit", button, css_class=css_class))
    return helper


def show_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's refusal on the form: on its fields when it names them, else on top."""
    placed = False
    for name, messages in error.fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class AccountForm(forms.Form):
    """The fields of a new person's account (its e-mail is asked for, or given, elsewhere)."""

    first_name = forms.CharField(
        max_length=150,
        label="Your first name",
        error_messages={"required": "Enter your first name"},
    )
    last_name = forms.CharField(
        max_length=150, label="Your last name", error_messages={"required": "Enter your last name"}
    )
    username = forms.CharField(
        max_length=150,
        label="Choose a username",
        help_text="Letters, digits and @ . + - _ only",
        error_messages={"required": "Choose a username"},
    )
    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        label="Choose a password",
        help_text="At least 8 characters; not a common password",
        error_messages={"required": "Choose a password"},
    )


class SignUpForm(AccountForm):
    """A newcomer's account and their organisation, registered in one step (pending until a
    broker verifies it)."""

    kind = forms.ChoiceField(
        choices=[("business", "A business"), ("vcs", "A charity or community group")],
        widget=forms.RadioSelect,
        label="Who are you registering?",
        error_messages={"required": "Choose a business or a charity or community group"},
    )
    name = forms.CharField(
        max_length=200,
        label="Organisation name",
        error_messages={"required": "Enter the organisation's name"},
    )
    contact_email = forms.EmailField(
        label="Organisation's contact email",
        error_messages={
            "required": "Enter a contact email",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    home_ward = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Ward you are based in (optional)",
        empty_label="Not in Coventry / not sure",
    )
    email = forms.EmailField(
        label="Your email",
        error_messages={
            "required": "Enter your email",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    field_order = [  # the order of the page, and so of the error summary
        "kind", "name", "contact_email", "home_ward",
        "first_name", "last_name", "email", "username", "password",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_ward"].queryset = selectors.current_wards().order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("name"),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.select("home_ward"),
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("register", "Register"),
        )


class InviteForm(forms.Form):
    """An organisation admin invites a colleague by e-mail."""

    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        choices=[
            ("member", "Member – posts and answers for the organisation"),
            ("admin", "Administrator – also invites people and changes the organisation"),
        ],
        initial="member",
        widget=forms.RadioSelect,
        label="What can they do?",
        error_messages={"required": "Choose what they can do"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL, small=True),
            Button("invite", "Send invitation"),
        )


class JoinForm(AccountForm):
    """Someone invited who has no account yet creates one (the e-mail is the invited one)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("join", "Create account and join"),
        )


class OrganisationDetailsForm(forms.Form):
    """An organisation's admins change what others read about it and where it works."""

    name = forms.CharField(
        max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    description = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What it does",
        help_text="Charities and businesses read this before they ask or offer.",
    )
    website = forms.URLField(
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://example.org"},
    )
    contact_email = forms.EmailField(
        label="Contact email",
        help_text="Only its members and the council's brokers see it.",
        error_messages={
            "required": "Enter a contact email",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    home_ward = forms.ModelChoiceField(
        queryset=None, required=False, label="Ward it is based in", empty_label="Not in a ward here"
    )
    works_in = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Councils it works in",
        help_text="Where it gives or asks for help. The council it is based in always counts.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_ward"].queryset = selectors.current_wards().order_by("name")
        self.fields["works_in"].queryset = selectors.served_councils()
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("name"),
            Field.textarea("description"),
            Field.text("website", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.select("home_ward"),
            Field.checkboxes("works_in", legend_size=Size.SMALL),
            Button("save", "Save changes"),
        )
