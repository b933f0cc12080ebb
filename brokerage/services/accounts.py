from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from brokerage.errors import InvalidInput
from brokerage.models import User
from brokerage.services._common import validate


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create a person's account. The password must pass the configured password validators."""
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate(user, exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], fields={"password": error.messages}) from error
    user.set_password(password)
    user.save()
    return user
