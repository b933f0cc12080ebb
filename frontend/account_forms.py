"""Forms for a person's own account: their name, e-mail and password, and a forgotten
password. Each only collects and checks the shape of what was typed; the rules (validators,
the current password, one-use links) are in `brokerage.services.accounts`."""

from crispy_forms_gds.layout import Field
from django import forms

from brokerage.models import Delivery, Notification
from frontend.forms import govuk_helper

EMAIL_MESSAGES = {
    "required": "Enter your e-mail address",
    "invalid": "Enter an e-mail address in the correct format, like name@example.com",
}
NEW_PASSWORD_HELP = "At least 8 characters, not a common password and not like your name"


class ForgottenPasswordForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="The address your account uses. We send a link to choose a new password.",
        error_messages=EMAIL_MESSAGES,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("email", field_width=30), button="Send me a link")


class NewPasswordForm(forms.Form):
    """A new password typed twice. `user` is whose it will be (Django's reset view gives it)."""

    new_password = forms.CharField(
        widget=forms.PasswordInput,
        label="New password",
        help_text=NEW_PASSWORD_HELP,
        error_messages={"required": "Enter a new password"},
    )
    new_password_again = forms.CharField(
        widget=forms.PasswordInput,
        label="Type the new password again",
        error_messages={"required": "Type the new password again"},
    )
    button = "Set my new password"

    def __init__(self, user=None, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = govuk_helper(*self.layout_fields(), button=self.button)

    def layout_fields(self) -> list:
        return [
            Field.text("new_password", field_width=20),
            Field.text("new_password_again", field_width=20),
        ]

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("new_password"), data.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", "The two passwords are not the same")
        return data


class ChangePasswordForm(NewPasswordForm):
    current_password = forms.CharField(
        widget=forms.PasswordInput,
        label="Current password",
        error_messages={"required": "Enter your current password"},
    )
    button = "Change my password"
    field_order = ["current_password", "new_password", "new_password_again"]

    def layout_fields(self) -> list:
        return [Field.text("current_password", field_width=20), *super().layout_fields()]


class NameForm(forms.Form):
    first_name = forms.CharField(
        max_length=150, label="First name", error_messages={"required": "Enter your first name"}
    )
    last_name = forms.CharField(
        max_length=150, label="Last name", error_messages={"required": "Enter your last name"}
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            button="Save my name",
        )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label="New e-mail address",
        help_text="We send a link to it. Your e-mail changes when you follow the link.",
        error_messages=EMAIL_MESSAGES,
    )
    password = forms.CharField(
        widget=forms.PasswordInput,
        label="Your password",
        help_text="E-mail is how a forgotten password is reset, so we check it is you.",
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("email", field_width=30),
            Field.text("password", field_width=20),
            button="Send the link",
        )


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification, filled in with the person's current ones."""

    def __init__(self, *args, current: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                choices=Delivery.choices,
                label=label,
                initial=current[kind],
                error_messages={"required": "Choose how you hear of this", "invalid_choice":
                                "Choose one of the options listed"},
            )  # fmt: skip
        self.helper = govuk_helper(
            *(Field.select(kind) for kind in Notification.Kind.values), button="Save my choices"
        )
