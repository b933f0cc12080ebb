"""What happened on a match: time volunteers logged (confirmed by the VCS organisation) and
the feedback both sides give at the end. Only confirmed time counts anywhere."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from brokerage.models.volunteering import LeaveType


class TimeEntry(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        QUERIED = "queried", "Queried"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # Which status may follow which. Amending an entry puts it back to pending; confirmed and
    # withdrawn are ends (confirmed time has been valued and credited).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset(
            {Status.PENDING, Status.CONFIRMED, Status.QUERIED, Status.WITHDRAWN}
        ),
        Status.QUERIED: frozenset({Status.PENDING, Status.CONFIRMED, Status.WITHDRAWN}),
        Status.CONFIRMED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }
    # Waiting for the VCS organisation: a match cannot close while any of these remain.
    WAITING = (Status.PENDING, Status.QUERIED)

    match = models.ForeignKey("brokerage.Match", on_delete=models.PROTECT, related_name="time")
    volunteer = models.ForeignKey(
        "brokerage.Volunteer", on_delete=models.PROTECT, related_name="time"
    )
    assignment = models.ForeignKey(
        "brokerage.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time",
    )
    date = models.DateField()
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("12"))],
    )
    leave_type = models.CharField(max_length=10, choices=LeaveType.choices)
    description = models.TextField("what was done", max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    query_note = models.TextField(blank=True, max_length=2000)
    # Valued when confirmed, at the rate valid on the day the time was given (kept as then).
    measure = models.ForeignKey(
        "brokerage.SocialValueMeasure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    value = models.DecimalField(
        "social value (£)", max_digits=11, decimal_places=2, null=True, blank=True
    )
    contract = models.ForeignKey(
        "brokerage.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time",
        help_text="The one contract this time counts towards, if any.",
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "time entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.25"), hours__lte=12),
                name="time_entry_hours_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(reviewed_at__isnull=False),
                name="time_entry_confirmed_has_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["match", "status"], name="time_entry_match_status")]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.hours} h on {self.date} ({self.status})"

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def is_queried(self) -> bool:
        return self.status == self.Status.QUERIED


class Feedback(models.Model):
    """One side's view of a completed match."""

    class Outcome(models.TextChoices):
        HR_POLICY = "hr_policy", "New HR policy"
        WEBSITE = "website", "Website launched"
        FUNDING_BID = "funding_bid", "Funding bid submitted"
        ACCOUNTS = "accounts", "Accounts or budget in order"
        IT_SECURE = "it_secure", "IT made safe"
        MARKETING = "marketing", "Marketing plan or campaign"
        BUILDING = "building", "Building repaired or made safe"
        VOLUNTEERS = "volunteers", "More volunteers recruited"
        SKILLS = "skills", "Staff or volunteers trained"
        SERVICE = "service", "More people helped"
        OTHER = "other", "Other"

    match = models.ForeignKey("brokerage.Match", on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(
        max_length=10, choices=[("business", "Business"), ("vcs", "VCS organisation")]
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    outcomes = models.JSONField(default=list, blank=True, help_text="Outcome codes.")
    story = models.TextField(blank=True, max_length=3000)
    consent_to_publish = models.BooleanField(
        default=False, help_text="The story may be published (reports, the council's site)."
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match_id", "side"]
        verbose_name_plural = "feedback"
        constraints = [
            models.UniqueConstraint(fields=["match", "side"], name="feedback_once_per_side"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match_id} ({self.side}): {self.rating}/5"

    @property
    def by_vcs(self) -> bool:
        """Given by the charity (its story is signed with the need's organisation)."""
        return self.side == "vcs"
