"""Gap casework: an open need the engine finds unmet becomes a case a broker owns and
works until it is resolved or cannot be met. One case per need and reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from brokerage.models.append_only import AppendOnlyModel


class GapCase(models.Model):
    class Reason(models.TextChoices):
        SKILL = "skill", "No open offer has a skill asked for"
        SPLIT = "split", "The skills are offered, but by different businesses"
        PLACE = "place", "No offer with the skills can work in this ward"
        DATES = "dates", "No offer with the skills is available in time"
        FIT = "fit", "Offers could help, but none fits well enough"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        CANNOT_BE_MET = "cannot_be_met", "Cannot be met"

    # Still being worked: the engine's sweep may resolve these when the need stops being unmet.
    ACTIVE = (Status.OPEN, Status.IN_PROGRESS)

    need = models.ForeignKey("brokerage.Need", on_delete=models.CASCADE, related_name="gap_cases")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    # What the engine found, as ids: {"missing_skills": [...], "holders": {skill: [offers]}}.
    detail = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gap_cases",
        help_text="The broker working on it.",
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "reason"], name="gap_case_one_per_need_reason"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress"], closed_at__isnull=True)
                | Q(status__in=["resolved", "cannot_be_met"], closed_at__isnull=False),
                name="gap_case_closed_at_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "owner"], name="gap_case_status_owner")]

    def __str__(self) -> str:
        return f"{self.need}: {self.get_reason_display()} ({self.status})"


class GapNote(AppendOnlyModel):
    """What was done or found on a case: a broker's note, or the service's (author None)."""

    case = models.ForeignKey(GapCase, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(max_length=4000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:40]}"
