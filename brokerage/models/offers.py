import datetime as dt

from django.db import models
from django.db.models import F, Q

from brokerage.models.listings import Listing


class Offer(Listing):
    """A business's offer of skills and volunteer-days in a date window, for wards or remote."""

    class LeaveType(models.TextChoices):
        PAID = "paid", "Paid volunteering leave"
        UNPAID = "unpaid", "Unpaid volunteering leave"
        MIXED = "mixed", "Paid and unpaid"

    organisation = models.ForeignKey(
        "brokerage.Organisation",
        on_delete=models.PROTECT,
        related_name="offers",
        limit_choices_to={"kind": "business"},
    )
    skills = models.ManyToManyField("brokerage.Skill", through="OfferSkill", related_name="offers")
    volunteers = models.PositiveSmallIntegerField(help_text="How many people can take part.")
    days_offered = models.PositiveIntegerField(help_text="Volunteer-days in all.")
    leave_type = models.CharField(max_length=10, choices=LeaveType.choices, default=LeaveType.PAID)
    available_from = models.DateField()
    available_until = models.DateField()
    wards = models.ManyToManyField(
        "brokerage.Ward",
        blank=True,
        related_name="offers",
        help_text="Wards the volunteers can go to; none means anywhere in the authority.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(days_offered__gt=0), name="offer_days_positive"),
            models.CheckConstraint(condition=Q(volunteers__gt=0), name="offer_volunteers_positive"),
            models.CheckConstraint(
                condition=Q(days_reserved__lte=F("days_offered")),
                name="offer_days_reserved_within_offered",
            ),
            models.CheckConstraint(
                condition=Q(available_from__lte=F("available_until")),
                name="offer_available_from_before_until",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "available_until"]),
            models.Index(fields=["published_at"], name="offer_published"),  # today's arrivals
        ]

    @property
    def capacity_days(self) -> int:
        return self.days_offered

    @property
    def last_day(self) -> dt.date:
        return self.available_until


class OfferSkill(models.Model):
    class Level(models.TextChoices):
        WORKING = "working", "Working knowledge"
        EXPERIENCED = "experienced", "Experienced"
        EXPERT = "expert", "Expert / professional"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="offer_skills")
    skill = models.ForeignKey("brokerage.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.EXPERIENCED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "skill"], name="offer_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"
