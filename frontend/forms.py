"""Django forms rendered as GOV.UK Design System components (crispy-forms-gds): an error
summary at the top, each field's error beside it, hints under labels."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from brokerage import selectors
from brokerage.errors import DomainError
from brokerage.models import Skill, SkillCategory, Theme


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


class NeedFilterForm(forms.Form):
    """Filters for browsing requests for help; a GET form that works without JavaScript."""

    ward = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All wards", to_field_name="gss_code"
    )
    category = forms.ModelChoiceField(
        queryset=SkillCategory.objects.all(),
        required=False,
        empty_label="All skills",
        to_field_name="slug",
        label="Skill",
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        empty_label="All council priorities",
        to_field_name="slug",
        label="Council priority",
    )
    remote = forms.BooleanField(required=False, label="Can be done remotely")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = selectors.current_wards().order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("ward"),
            Field.select("category"),
            Field.select("theme"),
            Field.checkbox("remote", small=True),
            Button("filter", "Apply filters", css_class="govuk-button--secondary"),
        )
        self.helper.label_size = Size.SMALL


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
    skills = _skills_field("Skills you need", "Choose the skills that are essential")
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
    needed_by = DateInputField(label="Needed by", help_text="For example, 27 3 2027")
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Council priorities it serves (optional)",
    )
    remote_ok = forms.BooleanField(required=False, label="It can be done remotely")

    def __init__(self, *args, submit_label: str = "Save as a draft", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = selectors.current_wards().order_by("name")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # GOV.UK: our error messages, not the browser's
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("description", rows=4),
            Field.select("ward"),
            Field.checkboxes("skills", small=True, legend_size=Size.SMALL),
            Field.text("days_needed", field_width=4),
            Field("needed_by"),
            Field.checkboxes("themes", small=True, legend_size=Size.SMALL),
            Field.checkbox("remote_ok", small=True),
            Button("save", submit_label),
        )

    def clean_needed_by(self):
        day = self.cleaned_data["needed_by"]
        if day and day < timezone.localdate():
            raise forms.ValidationError("The date must be today or in the future")
        return day


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
    available_from = DateInputField(label="Available from")
    available_until = DateInputField(label="Available until")
    wards = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Wards you can go to (optional)",
        help_text="Leave empty for anywhere in Coventry",
    )
    remote_ok = forms.BooleanField(required=False, label="Help can be given remotely")

    def __init__(self, *args, submit_label: str = "Save as a draft", **kwargs) -> None:
        super().__init__(*args, **kwargs)
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
