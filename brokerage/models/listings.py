"""What offers and needs share: a title, a status, and days reserved by accepted matches."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models


class ListingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    FULLY_MATCHED = "fully_matched", "Fully matched"
    CLOSED = "closed", "Closed"
    EXPIRED = "expired", "Expired"


class Listing(models.Model):
    """Abstract base of `Offer` and `Need`.

    `days_reserved` is the sum of the days of the listing's active matches (accepted,
    in progress, completed). It is kept beside the capacity, changed only under a row lock by
    the match services, so a check constraint can guard `days_reserved <= capacity`.
    """

    title = models.CharField(max_length=200)
    description = models.TextField(
        max_length=10_000, blank=True, validators=[MaxLengthValidator(10_000)]
    )
    days_reserved = models.PositiveIntegerField(default=0, editable=False)
    remote_ok = models.BooleanField("remote possible", default=False)
    status = models.CharField(
        max_length=15, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the other side's fitting listings were told of this one (once, after publishing).
    fits_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def capacity_days(self) -> int:
        raise NotImplementedError

    @property
    def last_day(self) -> dt.date:
        """The last day the listing can be delivered on (availability end or deadline)."""
        raise NotImplementedError

    @property
    def days_remaining(self) -> int:
        return self.capacity_days - self.days_reserved

    @property
    def is_open(self) -> bool:
        return self.status == ListingStatus.OPEN

    def sync_status_with_capacity(self) -> None:
        """Open ↔ fully matched as days are reserved and freed; other statuses are left alone."""
        if self.status == ListingStatus.OPEN and self.days_remaining == 0:
            self.status = ListingStatus.FULLY_MATCHED
        elif self.status == ListingStatus.FULLY_MATCHED and self.days_remaining > 0:
            self.status = ListingStatus.OPEN
