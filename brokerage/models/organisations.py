from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

# Companies House: 8 characters, all digits or a 2-letter prefix (SC, NI, OC, …) and 6 digits.
company_number_validator = RegexValidator(
    r"^(\d{8}|[A-Z]{2}\d{6})$",
    "A company number has 8 characters: 8 digits, or 2 capital letters and 6 digits.",
)
# Charity Commission (6–7 digits), OSCR in Scotland (SC + 6 digits), CCNI (NIC + 6 digits).
charity_number_validator = RegexValidator(
    r"^(\d{6,7}|SC\d{6}|NIC\d{6})$",
    "A charity number is 6 or 7 digits (England and Wales), SC and 6 digits (Scotland) "
    "or NIC and 6 digits (Northern Ireland).",
)


class Organisation(models.Model):
    """A business, a VCS organisation or the council. Verified by a broker before it can post."""

    class Kind(models.TextChoices):
        BUSINESS = "business", "Business"
        VCS = "vcs", "Charity or community group"
        COUNCIL = "council", "Council"

    class Verification(models.TextChoices):
        PENDING = "pending", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    company_number = models.CharField(
        max_length=8, blank=True, validators=[company_number_validator]
    )
    charity_number = models.CharField(
        max_length=9, blank=True, validators=[charity_number_validator]
    )
    # Where it is based: the council whose brokers verify it and, for a council organisation,
    # the area its members broker (a combined authority's broker every constituent council).
    council = models.ForeignKey(
        "brokerage.Council", on_delete=models.PROTECT, related_name="organisations"
    )
    home_ward = models.ForeignKey(
        "brokerage.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    wards_served = models.ManyToManyField("brokerage.Ward", blank=True, related_name="+")
    # Where it works: the council it is based in and any other of the service's councils it
    # says it works in (a contractor with contracts across the region, a charity on a border).
    works_in = models.ManyToManyField(
        "brokerage.Council",
        blank=True,
        related_name="working_organisations",
        help_text="The councils' areas it works in; always includes the one it is based in.",
    )
    website = models.URLField(blank=True)
    description = models.TextField(
        blank=True, max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    contact_email = models.EmailField()

    verification_status = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When verified or rejected."
    )
    rejection_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verification_status="pending") | Q(verified_at__isnull=False),
                name="organisation_decision_has_time",
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="organisation_company_number_unique",
            ),
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="organisation_charity_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Flags for templates, which test these rather than spelling a status.
    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED

    @property
    def is_pending(self) -> bool:
        return self.verification_status == self.Verification.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.verification_status == self.Verification.REJECTED

    @property
    def is_business(self) -> bool:
        return self.kind == self.Kind.BUSINESS

    @property
    def is_vcs(self) -> bool:
        return self.kind == self.Kind.VCS


class Membership(models.Model):
    """A user's role in an organisation. Brokers are members of a verified council organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        MEMBER = "member", "Member"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Invitation(models.Model):
    """An invitation, sent by e-mail by one of an organisation's admins, to join it.

    The link carries a signed token naming the invitation and its `nonce`; sending it again
    draws a new nonce, so only the newest link works. At most one invitation per address is
    open (neither accepted nor withdrawn) in an organisation at a time.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    nonce = models.CharField(max_length=32, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(help_text="When the newest link was sent.")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
