"""Social value: the measures councils value time by (with a proxy £ rate per hour, changing
yearly), businesses' contracts with the council and their commitments, and the Social Value
Credits each business earns. Rates and weights are data brokers edit, never code constants."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from brokerage.models.append_only import AppendOnlyModel


class MeasureKind(models.TextChoices):
    """What a measure counts; each kind has one TOMs code in the data (NT7 … NT29)."""

    YOUTH_WORK = "youth_work", "Hours supporting young people into work (NT7)"
    SCHOOLS = "schools", "Hours on school and college visits (NT8)"
    EXPERT = "expert", "Expert advice (professional skills given pro bono) (NT15)"
    EQUIPMENT = "equipment", "Equipment or resources given to VCSEs, in £ (NT16)"
    VOLUNTEERING = "volunteering", "Volunteering for VCSEs (practical help) (NT17)"
    DONATION = "donation", "Donations to community projects, in £ (NT28)"
    COMMUNITY = "community", "Volunteering on community projects (NT29)"


# Time is valued under the hour measures; the others are contributions recorded in £.
HOUR_KINDS = (
    MeasureKind.YOUTH_WORK,
    MeasureKind.SCHOOLS,
    MeasureKind.EXPERT,
    MeasureKind.VOLUNTEERING,
    MeasureKind.COMMUNITY,
)
MONEY_KINDS = (MeasureKind.EQUIPMENT, MeasureKind.DONATION)


class SocialValueMeasure(models.Model):
    """A TOMs-style measure and its proxy value per unit from `valid_from` (one row per rate
    period: a new rate is a new row, so past reports keep the rate of their day). A row with a
    `council` is that council's own rate for the measure: it values what counts for the
    council (see `services.social_value.measure_on`); the others are the national rates."""

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, default="hours")
    kind = models.CharField(max_length=15, choices=MeasureKind.choices)
    rate = models.DecimalField(
        "proxy value per unit (£)",
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    theme = models.ForeignKey(
        "brokerage.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The council priority it serves, if one.",
    )
    valid_from = models.DateField()
    council = models.ForeignKey(
        "brokerage.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_rates",
        limit_choices_to={"kind": "local"},
        help_text="Only for this council's contracts and area; empty: the national rate.",
    )
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(council__isnull=True),
                name="measure_rate_period",
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from", "council"],
                condition=Q(council__isnull=False),
                name="measure_council_rate_period",
            ),
            models.CheckConstraint(condition=Q(rate__gte=0), name="measure_rate_not_negative"),
        ]

    def __str__(self) -> str:
        where = f" in {self.council}" if self.council_id else ""
        return f"{self.code} £{self.rate}/{self.unit.rstrip('s')}{where} from {self.valid_from}"


class SocialValuePolicy(models.Model):
    """How time is weighted and credited: the service-wide row (no council), and a council's
    own row where its brokers set different weights; time that counts for a council (see
    `services.social_value.council_counting`) uses that council's row, else the service's.
    Deprivation: a ward where every neighbourhood is in England's most deprived tenth counts
    (1 + deprivation_weight) times."""

    council = models.ForeignKey(
        "brokerage.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "local"},
        help_text="Only for time that counts for this council; empty: the service's policy.",
    )
    deprivation_multiplier_on = models.BooleanField(
        default=False, help_text="Weight £ social value by the deprivation of the need's ward."
    )
    deprivation_weight = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.50"), validators=[MinValueValidator(0)]
    )
    credits_per_hour = models.DecimalField(
        max_digits=6, decimal_places=2, default=Decimal("1.00"), validators=[MinValueValidator(0)]
    )
    priority_theme_weight = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(0)],
        help_text="Extra credits for time on a need that serves a council priority theme.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "social value policies"
        constraints = [
            # One row per council and one service-wide row (a plain unique key lets nulls repeat).
            models.UniqueConstraint(
                Coalesce("council", Value("")), name="social_value_policy_one_per_council"
            ),
        ]

    def __str__(self) -> str:
        where = self.council if self.council_id else "the service"
        return f"Social value policy of {where}"


class Contract(models.Model):
    """A business's contract with the council that let it, and the social value it committed
    to a year. What is delivered under it counts for that council wherever it was delivered."""

    organisation = models.ForeignKey(
        "brokerage.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    council = models.ForeignKey(
        "brokerage.Council",
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="The council that let the contract.",
    )
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=50, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    committed_hours = models.DecimalField(
        "hours committed a year",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    committed_value = models.DecimalField(
        "£ committed a year",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="contract_dates_in_order",
                violation_error_message="The contract ends before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(committed_hours__isnull=False) | Q(committed_value__isnull=False),
                name="contract_has_a_commitment",
                violation_error_message="Say what was committed: hours or £ a year.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class Commitment(models.Model):
    """What a contract commits to a year under one measure (hours, or £ for £ measures)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField("measure", max_length=15, choices=MeasureKind.choices)
    quantity = models.DecimalField(
        "a year (hours or £)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["contract_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="commitment_one_per_measure"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="commitment_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.contract}: {self.quantity} a year ({self.kind})"


class Contribution(models.Model):
    """Social value given other than time: equipment or money, recorded by a broker with
    what it was, valued at the measure's rate on its day (£1 a £ unless the council sets
    otherwise), counting towards at most one contract."""

    organisation = models.ForeignKey(
        "brokerage.Organisation", on_delete=models.PROTECT, related_name="contributions"
    )
    measure = models.ForeignKey(SocialValueMeasure, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        "amount (£)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    value = models.DecimalField("social value (£)", max_digits=12, decimal_places=2)
    date = models.DateField()
    description = models.CharField(max_length=300)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="contributions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contribution_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: £{self.amount} ({self.measure.code}) on {self.date}"


class CreditEntry(AppendOnlyModel):
    """Append-only ledger of a business's Social Value Credits."""

    organisation = models.ForeignKey(
        "brokerage.Organisation", on_delete=models.PROTECT, related_name="credits"
    )
    time_entry = models.OneToOneField(
        "brokerage.TimeEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit",
    )
    credits = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField(max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = "credit entries"

    def __str__(self) -> str:
        return f"{self.organisation}: {self.credits} ({self.reason})"
