import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from brokerage.models.append_only import AppendOnlyModel
from brokerage.models.social_value import MeasureKind
from brokerage.models.volunteering import day_hours


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


# The lifecycle: which status may follow which. Declined, cancelled and completed are ends.
TRANSITIONS: dict[str, frozenset[str]] = {
    MatchStatus.PROPOSED: frozenset(
        {MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.CANCELLED}
    ),
    MatchStatus.ACCEPTED: frozenset({MatchStatus.IN_PROGRESS, MatchStatus.CANCELLED}),
    MatchStatus.IN_PROGRESS: frozenset({MatchStatus.COMPLETED, MatchStatus.CANCELLED}),
    MatchStatus.COMPLETED: frozenset(),
    MatchStatus.DECLINED: frozenset(),
    MatchStatus.CANCELLED: frozenset(),
}
# A match in one of these blocks another match for the same pair.
OPEN_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS)
# A match in one of these holds its days against the offer's and the need's capacity.
RESERVING_STATUSES = (MatchStatus.ACCEPTED, MatchStatus.IN_PROGRESS, MatchStatus.COMPLETED)


class Side(models.TextChoices):
    """On whose behalf someone acts on a match."""

    BUSINESS = "business", "Business"
    VCS = "vcs", "Charity or community group"
    BROKER = "broker", "Broker"
    SYSTEM = "system", "The service (automatic)"


class DeclineReason(models.TextChoices):
    """Why a proposal was turned down: shown to the other side and counted in reports."""

    NO_CAPACITY = "no_capacity", "We do not have the capacity just now"
    NOT_A_FIT = "not_a_fit", "The help offered or asked for is not what we need"
    DATES = "dates", "The dates do not work for us"
    PLACE = "place", "The place does not work for us"
    MET_ELSEWHERE = "met_elsewhere", "It is already met, or we have found help elsewhere"
    OTHER = "other", "Another reason"


class Match(models.Model):
    """One offer paired with one need for a number of volunteer-days."""

    offer = models.ForeignKey("brokerage.Offer", on_delete=models.PROTECT, related_name="matches")
    need = models.ForeignKey("brokerage.Need", on_delete=models.PROTECT, related_name="matches")
    days = models.PositiveIntegerField()
    status = models.CharField(
        max_length=12, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    accepted_by_business = models.BooleanField(default=False)
    accepted_by_vcs = models.BooleanField(default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_by_side = models.CharField(max_length=10, choices=Side.choices)
    note = models.TextField(blank=True, max_length=2000, help_text="Message with the proposal.")
    # When the proposer would like the work done (both optional; within both listings' dates).
    preferred_from = models.DateField(null=True, blank=True)
    preferred_until = models.DateField(null=True, blank=True)
    decline_reason = models.CharField(
        max_length=15, choices=DeclineReason.choices, blank=True, help_text="Set when declined."
    )
    # What the matching engine said when the match was proposed, kept as it was then.
    score = models.FloatField(null=True, blank=True)
    score_parts = models.JSONField(default=dict, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="When both sides agreed.")
    # Social value: which kind of measure the time counts under (blank: from the need's
    # skills) and which of the business's contracts it counts towards.
    measure_kind = models.CharField(
        max_length=15,
        choices=MeasureKind.choices,
        blank=True,
        help_text="A broker's override; blank means it follows from the need's skills.",
    )
    contract = models.ForeignKey(
        "brokerage.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Delivery ends when both sides have closed it (then it is completed).
    # Days added after agreement when the work took longer (a broker, or both sides): they
    # raise the hours the match can confirm and book, not the listings' reserved days.
    extra_days = models.PositiveIntegerField(default=0)
    extension_asked_days = models.PositiveIntegerField(null=True, blank=True)
    extension_asked_by_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    closed_by_business = models.BooleanField(default=False)
    closed_by_vcs = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Nobody left waiting: set once each, so a reminder or an escalation is never sent twice.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "matches"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gt=0), name="match_days_positive"),
            models.CheckConstraint(
                condition=Q(preferred_from__isnull=True)
                | Q(preferred_until__isnull=True)
                | Q(preferred_until__gte=F("preferred_from")),
                name="match_preferred_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="match_score_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=RESERVING_STATUSES)
                | Q(accepted_by_business=True, accepted_by_vcs=True),
                name="match_reserving_only_when_both_accepted",
            ),
            models.UniqueConstraint(
                fields=["offer", "need"],
                condition=Q(status__in=OPEN_STATUSES),
                name="match_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(extension_asked_days__isnull=True, extension_asked_by_side="")
                | (Q(extension_asked_days__gt=0) & ~Q(extension_asked_by_side="")),
                name="match_extension_ask_has_days_and_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} → {self.need} ({self.days} days, {self.status})"

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_proposed(self) -> bool:
        return self.status == MatchStatus.PROPOSED

    @property
    def is_completed(self) -> bool:
        return self.status == MatchStatus.COMPLETED

    @property
    def reserves_days(self) -> bool:
        return self.status in RESERVING_STATUSES

    @property
    def day_limit(self) -> int:
        """Volunteer-days that may be booked and confirmed: the agreed days and extensions."""
        return self.days + self.extra_days

    @property
    def hours_limit(self) -> Decimal:
        return self.day_limit * day_hours()

    @property
    def starts_on(self) -> dt.date:
        """The first day time may be given or booked: the day both sides agreed."""
        return timezone.localdate(self.accepted_at or self.created_at or timezone.now())


class MatchEvent(AppendOnlyModel):
    """Append-only history of a match: who did what, from which status to which, and when."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED_BY_BUSINESS = "accepted_by_business", "Accepted by the business"
        ACCEPTED_BY_VCS = "accepted_by_vcs", "Accepted by the charity or group"
        ACCEPTED = "accepted", "Accepted by both sides"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        EXTENSION_ASKED = "extension_asked", "Asked for more days"
        EXTENDED = "extended", "Given more days"

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=25, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_side = models.CharField(max_length=10, choices=Side.choices)
    from_status = models.CharField(max_length=12, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=MatchStatus.choices)
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.action} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"
