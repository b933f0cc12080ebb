import datetime as dt

from django.db import models
from django.db.models import F, Q

from brokerage.models.listings import Listing
from brokerage.models.volunteering import DbsLevel


class Need(Listing):
    """A VCS organisation's request for help (shown as "request for help" in the pages)."""

    organisation = models.ForeignKey(
        "brokerage.Organisation",
        on_delete=models.PROTECT,
        related_name="needs",
        limit_choices_to={"kind": "vcs"},
    )
    skills = models.ManyToManyField("brokerage.Skill", through="NeedSkill", related_name="needs")
    ward = models.ForeignKey("brokerage.Ward", on_delete=models.PROTECT, related_name="needs")
    days_needed = models.PositiveIntegerField(help_text="Volunteer-days in all.")
    needed_by = models.DateField()
    themes = models.ManyToManyField("brokerage.Theme", blank=True, related_name="needs")
    # Safeguarding: the DBS check a volunteer must hold to be booked (children, adults at
    # risk). Barred-list checks come only with an enhanced check.
    dbs_required = models.CharField(
        "DBS check needed", max_length=10, choices=DbsLevel.choices, blank=True
    )
    dbs_barred_lists = models.BooleanField("with barred lists", default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(days_needed__gt=0), name="need_days_positive"),
            models.CheckConstraint(
                condition=Q(dbs_barred_lists=False) | Q(dbs_required="enhanced"),
                name="need_dbs_barred_lists_only_enhanced",
            ),
            models.CheckConstraint(
                condition=Q(days_reserved__lte=F("days_needed")),
                name="need_days_reserved_within_needed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "needed_by"]),
            # The broker's queue: open needs waiting longest, and today's newest arrivals.
            models.Index(fields=["status", "published_at"], name="need_status_published"),
            models.Index(fields=["published_at"], name="need_published"),
        ]

    @property
    def capacity_days(self) -> int:
        return self.days_needed

    @property
    def last_day(self) -> dt.date:
        return self.needed_by


class NeedSkill(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="need_skills")
    skill = models.ForeignKey("brokerage.Skill", on_delete=models.PROTECT, related_name="+")
    must_have = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["need", "skill"], name="need_skill_unique")]

    def __str__(self) -> str:
        return f"{self.skill} ({'must have' if self.must_have else 'nice to have'})"
