from django.conf import settings
from django.db import models
from django.db.models import Q


class AllocationPlan(models.Model):
    """An allocation the engine proposed over one council's area (or a combined authority's,
    region-wide), for that area's brokers to review and apply."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPLIED = "applied", "Applied"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    council = models.ForeignKey(
        "brokerage.Council", on_delete=models.PROTECT, related_name="allocation_plans"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    options = models.JSONField(default=dict, help_text="What the broker asked for.")
    objective = models.FloatField(help_text="Σ days × fit × (1 + priority).")
    days_placed = models.PositiveIntegerField()
    need_days = models.PositiveIntegerField()
    needs_considered = models.PositiveIntegerField()
    needs_served = models.PositiveIntegerField()
    needs_fully_covered = models.PositiveIntegerField()
    ward_coverage = models.JSONField(default=dict)
    seconds = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Allocation {self.pk} ({self.status}, {self.days_placed} days)"


class AllocationLine(models.Model):
    plan = models.ForeignKey(AllocationPlan, on_delete=models.CASCADE, related_name="lines")
    offer = models.ForeignKey("brokerage.Offer", on_delete=models.CASCADE, related_name="+")
    need = models.ForeignKey("brokerage.Need", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveIntegerField()
    fit = models.FloatField()
    priority = models.FloatField()
    value = models.FloatField()
    match = models.ForeignKey(
        "brokerage.Match", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True, help_text="Why the line was not applied, if not.")

    class Meta:
        ordering = ["-value", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="allocation_line_days_positive")
        ]

    def __str__(self) -> str:
        return f"{self.days} days: {self.offer_id} → {self.need_id}"
