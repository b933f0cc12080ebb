from django.conf import settings
from django.db import models
from django.db.models import Q

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

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="local") | Q(combined_authority__isnull=True),
                name="council_combined_authority_is_not_inside_another",
            ),
        ]

    def __str__(self) -> str:
        return self.name

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
