"""Volunteers, their volunteering leave and the days they are booked on matches.

The leave ledger: each volunteer has one `LeaveBalance` per leave type and leave year
(allowance, booked, used, all in hours), changed only by the services in
`brokerage/services/leave.py`, under a row lock, and always together with an append-only
`LeaveEntry` holding the change. So a balance always equals the sum of its entries, and the
database refuses a balance that would go negative.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from brokerage.models.append_only import AppendOnlyModel


class LeaveType(models.TextChoices):
    PAID = "paid", "Paid volunteering leave"
    UNPAID = "unpaid", "Unpaid volunteering leave"
    OWN_TIME = "own_time", "Own time (no leave)"


# The leave types a policy gives an allowance of (own time needs none).
LEAVE_WITH_ALLOWANCE = (LeaveType.PAID, LeaveType.UNPAID)


def day_hours() -> Decimal:
    """Hours in a volunteer-day (VOLUNTEER_DAY_HOURS, 7.5 unless set otherwise)."""
    return Decimal(str(settings.VOLUNTEER_DAY_HOURS))


def max_day_hours() -> Decimal:
    """The most hours one volunteer may log on one day (MAX_HOURS_PER_VOLUNTEER_DAY)."""
    return Decimal(str(settings.MAX_HOURS_PER_VOLUNTEER_DAY))


class DbsLevel(models.TextChoices):
    """Levels of a DBS (criminal record) check, lowest first."""

    NONE = "", "None"
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"


DBS_RANK = {DbsLevel.NONE: 0, DbsLevel.BASIC: 1, DbsLevel.STANDARD: 2, DbsLevel.ENHANCED: 3}


class LeavePolicy(models.Model):
    """A business's volunteering leave: days per employee per leave year, by type."""

    organisation = models.OneToOneField(
        "brokerage.Organisation", on_delete=models.CASCADE, related_name="leave_policy"
    )
    paid_days = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("2"), validators=[MinValueValidator(0)]
    )
    unpaid_days = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("5"), validators=[MinValueValidator(0)]
    )
    year_start_month = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    year_start_day = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="1–28, so every year has the day.",
    )
    volunteers_sign_up = models.BooleanField(
        default=False, help_text="Volunteers may put themselves on accepted matches."
    )
    dbs_valid_years = models.PositiveSmallIntegerField(
        "a DBS check counts for (years)",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Older checks count as expired, unless the volunteer is on the Update Service.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "leave policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(paid_days__gte=0, unpaid_days__gte=0), name="leave_policy_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(year_start_month__gte=1, year_start_month__lte=12)
                & Q(year_start_day__gte=1, year_start_day__lte=28),
                name="leave_policy_year_start_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.paid_days} paid + {self.unpaid_days} unpaid days"

    def year_start(self, day: dt.date) -> dt.date:
        """The first day of the leave year `day` falls in."""
        start = dt.date(day.year, self.year_start_month, self.year_start_day)
        return start if start <= day else start.replace(year=day.year - 1)

    def allowance_days(self, leave_type: str) -> Decimal:
        return {LeaveType.PAID: self.paid_days, LeaveType.UNPAID: self.unpaid_days}[leave_type]


class Volunteer(models.Model):
    """An employee of a business who gives time, with the skills they bring."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteering"
    )
    organisation = models.ForeignKey(
        "brokerage.Organisation", on_delete=models.CASCADE, related_name="volunteers"
    )
    skills = models.ManyToManyField("brokerage.Skill", blank=True, related_name="volunteers")
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    # The DBS check as the employer recorded it: its level, whether it covered the barred
    # lists, its issue date and whether it is kept current on the Update Service. Never the
    # certificate's number or contents.
    dbs_level = models.CharField(max_length=10, choices=DbsLevel.choices, blank=True)
    dbs_barred_lists = models.BooleanField(default=False)
    dbs_issued_on = models.DateField(null=True, blank=True)
    dbs_update_service = models.BooleanField(default=False)
    # The nearest expiry warning sent (60, 30 or 7 days), so each goes once per check.
    dbs_warned_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation_id", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="volunteer_unique"),
            models.CheckConstraint(
                condition=Q(dbs_level="", dbs_issued_on__isnull=True, dbs_barred_lists=False)
                | (~Q(dbs_level="") & Q(dbs_issued_on__isnull=False)),
                name="volunteer_dbs_check_has_level_and_date",
            ),
            models.CheckConstraint(
                condition=Q(dbs_barred_lists=False) | Q(dbs_level="enhanced"),
                name="volunteer_dbs_barred_lists_only_enhanced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} ({self.organisation})"


class LeaveBalance(models.Model):
    """One volunteer's allowance of one leave type in one leave year, and what is taken."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="balances")
    leave_type = models.CharField(max_length=10, choices=LeaveType.choices)
    year_start = models.DateField()
    allowance_hours = models.DecimalField(max_digits=7, decimal_places=2)
    booked_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    used_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["volunteer_id", "-year_start", "leave_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "leave_type", "year_start"], name="leave_balance_unique"
            ),
            models.CheckConstraint(
                condition=Q(booked_hours__gte=0, used_hours__gte=0, allowance_hours__gte=0),
                name="leave_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(allowance_hours__gte=F("booked_hours") + F("used_hours")),
                name="leave_balance_within_allowance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.leave_type} from {self.year_start}"

    @property
    def remaining_hours(self) -> Decimal:
        return self.allowance_hours - self.booked_hours - self.used_hours


class LeaveEntry(AppendOnlyModel):
    """Append-only: one change to a balance (booked, released, used, or the allowance)."""

    class Kind(models.TextChoices):
        ALLOWANCE = "allowance", "Allowance set"
        BOOKED = "booked", "Booked for a match"
        RELEASED = "released", "Booking released"
        USED = "used", "Used (time logged)"
        RETURNED = "returned", "Returned (time withdrawn)"

    balance = models.ForeignKey(LeaveBalance, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    allowance_delta = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    booked_delta = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    used_delta = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    assignment = models.ForeignKey(
        "brokerage.Assignment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    time_entry = models.ForeignKey(
        "brokerage.TimeEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "leave entries"

    def __str__(self) -> str:
        return (
            f"{self.kind} on {self.balance_id}: booked {self.booked_delta}, used {self.used_delta}"
        )


class Assignment(models.Model):
    """A volunteer booked on an accepted match for some days, on one kind of leave."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    match = models.ForeignKey(
        "brokerage.Match", on_delete=models.PROTECT, related_name="assignments"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="assignments")
    first_day = models.DateField()
    last_day = models.DateField()
    days = models.DecimalField(max_digits=5, decimal_places=2)
    leave_type = models.CharField(max_length=10, choices=LeaveType.choices)
    # Leave still booked for this assignment (time logged against it moves to used).
    booked_hours = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the volunteer was reminded it was about to start."
    )

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="assignment_days_positive"),
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="assignment_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(booked_hours__gte=0), name="assignment_booked_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} on {self.match_id}: {self.days} days from {self.first_day}"
