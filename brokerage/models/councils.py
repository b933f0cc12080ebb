from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value

from brokerage.models.wards import gss_code_validator


class Council(models.Model):
    """A local authority (a metropolitan district such as Coventry, E08000026) or a combined
    authority (the West Midlands, E47000007) whose constituent councils it spans.

    Wards, ward sets and broker teams (council organisations) belong to one. Whether this
    service brokers a council's area is configuration (`settings.COUNCILS`, see `is_served`):
    the other councils of a region are loaded so that their wards neighbour ours.
    """

    class Kind(models.TextChoices):
        LOCAL = "local", "Local authority"
        COMBINED = "combined", "Combined authority"

    # The code is the key, so every `council_id` in the house reads as a GSS code.
    gss_code = models.CharField(
        "GSS code", max_length=9, primary_key=True, validators=[gss_code_validator]
    )
    name = models.CharField(max_length=100, help_text="As people say it, e.g. Coventry.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    combined_authority = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="constituents",
        limit_choices_to={"kind": Kind.COMBINED},
    )
    priority_themes = models.ManyToManyField(
        "brokerage.Theme",
        blank=True,
        related_name="+",
        help_text="The council's priorities: a request in its area with one of these themes "
        "is weighted up in matching and allocation. None chosen: every theme counts.",
    )
    # How the council weighs a request's priority (kept apart from fit; see
    # `matching.settings`): its ward's deprivation (IMD 2025), one of the council's priority
    # themes, and how long it has waited. All three or none (none: the service's defaults,
    # 0.5 / 0.3 / 0.2); they sum to 1 so priorities compare across councils.
    deprivation_weight = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share of priority from the ward's deprivation (IMD 2025), 0–1.",
    )  # fmt: skip
    theme_weight = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share of priority from one of the council's priority themes, 0–1.",
    )  # fmt: skip
    waiting_weight = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Share of priority from days waited, 0–1. The three sum to 1.",
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="local") | Q(combined_authority__isnull=True),
                name="council_combined_authority_is_not_inside_another",
            ),
            models.CheckConstraint(
                condition=Q(
                    deprivation_weight__isnull=True,
                    theme_weight__isnull=True,
                    waiting_weight__isnull=True,
                )
                | Q(deprivation_weight__gte=0)
                & Q(  # not null: a check with a null in it passes
                    deprivation_weight__isnull=False,
                    theme_weight__isnull=False,
                    waiting_weight__isnull=False,
                    theme_weight__gte=0,
                    waiting_weight__gte=0,
                    # = 1 - the others; within half a hundredth, as SQLite adds in floats
                    deprivation_weight__gte=Value(Decimal("0.995"))
                    - F("theme_weight")
                    - F("waiting_weight"),
                    deprivation_weight__lte=Value(Decimal("1.005"))
                    - F("theme_weight")
                    - F("waiting_weight"),
                ),
                name="council_priority_weights_all_or_none_summing_to_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        weights = [self.deprivation_weight, self.theme_weight, self.waiting_weight]
        if any(w is not None for w in weights) and (None in weights or sum(weights) != Decimal(1)):
            raise ValidationError(
                "Give all three priority weights, summing to 1, or none for the defaults."
            )

    @property
    def priority_weights(self) -> tuple[float, float, float] | None:
        """(deprivation, theme, waiting), or None for the service's defaults."""
        if self.deprivation_weight is None:
            return None
        return (float(self.deprivation_weight), float(self.theme_weight),
                float(self.waiting_weight))  # fmt: skip

    @property
    def is_combined(self) -> bool:
        return self.kind == self.Kind.COMBINED

    @property
    def is_served(self) -> bool:
        """Whether this service brokers the council's area (a combined authority is served
        when any of its constituents is)."""
        if self.is_combined:
            return self.constituents.filter(gss_code__in=settings.COUNCILS).exists()
        return self.gss_code in settings.COUNCILS
