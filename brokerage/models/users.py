from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person: a business employee (volunteer), a VCS member or a council broker.

    What a user may do follows from their memberships (see `Membership`), not from flags here.
    """

    class Meta:
        db_table = "brokerage_user"
