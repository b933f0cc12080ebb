from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One message for one user, written in the transaction of the change it reports (an
    outbox): the row is the truth; the WebSocket push after commit is only a delivery.

    `seq` is its place in the recipient's inbox: 1, 2, 3… with no gaps, given after the row
    commits and in the order places are given (`brokerage.messaging.sequencing.sequence`), so a
    client that has seen place n and asks for what is after n misses nothing. (The id is
    taken at insert, and transactions commit in another order: it cannot be that cursor.)
    """

    class Kind(models.TextChoices):
        MATCH_PROPOSED = "match_proposed", "Match proposed"
        MATCH_ACCEPTED = "match_accepted", "Match accepted"
        MATCH_DECLINED = "match_declined", "Match declined"
        MATCH_CANCELLED = "match_cancelled", "Match cancelled"
        ORGANISATION_PENDING = "organisation_pending", "Organisation awaiting verification"
        ORGANISATION_VERIFIED = "organisation_verified", "Organisation verified"
        ORGANISATION_REJECTED = "organisation_rejected", "Organisation rejected"
        OFFER_PUBLISHED = "offer_published", "Offer published"
        NEED_PUBLISHED = "need_published", "Need published"
        NEED_FITS_OFFER = "need_fits_offer", "A new need fits your offer"
        OFFER_FITS_NEED = "offer_fits_need", "A new offer fits your need"
        MATCH_REMINDER = "match_reminder", "A proposal is waiting for your answer"
        MATCH_ESCALATED = "match_escalated", "A proposal has waited too long"
        LISTING_EXPIRED = "listing_expired", "Listing expired"
        VOLUNTEER_BOOKED = "volunteer_booked", "You are booked on a match"
        BOOKING_REMINDER = "booking_reminder", "Your volunteering starts soon"
        MATCH_MESSAGE = "match_message", "A message on a match"
        HOURS_TO_CONFIRM = "hours_to_confirm", "Hours to confirm"
        HOURS_QUERIED = "hours_queried", "Hours queried"
        MATCH_COMPLETED = "match_completed", "Match completed"
        MATCH_EXTENDED = "match_extended", "More days on a match"
        MATCH_CLOSING = "match_closing", "A side closed a match; time still waits"
        GAP_OPENED = "gap_opened", "A need is unmet"
        DBS_EXPIRING = "dbs_expiring", "A volunteer's DBS check expires soon"
        MEMBER_JOINED = "member_joined", "Someone joined your organisation"
        VOLUNTEER_INTERESTED = "volunteer_interested", "A volunteer would like to help"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    text = models.CharField(max_length=500)
    # What it is about; `brokerage.messaging.links` turns this into page and API paths when shown.
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField()
    seq = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Its place in the recipient's inbox, once committed."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it went out by e-mail (alone or in a digest)."
    )

    # Sent by e-mail soon after (unless read meanwhile); everything else waits for the digest.
    IMMEDIATE_EMAIL = frozenset(
        {
            Kind.MATCH_PROPOSED,
            Kind.MATCH_REMINDER,
            Kind.MATCH_ESCALATED,
            Kind.BOOKING_REMINDER,
            Kind.MATCH_MESSAGE,
        }
    )

    # What each kind can be about: the model names its `subject_type` may hold.
    SUBJECT_TYPES: dict[str, tuple[str, ...]] = {
        Kind.MATCH_PROPOSED: ("match",),
        Kind.MATCH_ACCEPTED: ("match",),
        Kind.MATCH_DECLINED: ("match",),
        Kind.MATCH_CANCELLED: ("match",),
        Kind.MATCH_REMINDER: ("match",),
        Kind.MATCH_ESCALATED: ("match",),
        Kind.MATCH_COMPLETED: ("match",),
        Kind.MATCH_EXTENDED: ("match",),
        Kind.MATCH_CLOSING: ("match",),
        Kind.MATCH_MESSAGE: ("match",),
        Kind.GAP_OPENED: ("gapcase",),
        Kind.DBS_EXPIRING: ("volunteer",),
        Kind.ORGANISATION_PENDING: ("organisation",),
        Kind.ORGANISATION_VERIFIED: ("organisation",),
        Kind.ORGANISATION_REJECTED: ("organisation",),
        Kind.MEMBER_JOINED: ("organisation",),
        Kind.OFFER_PUBLISHED: ("offer",),
        Kind.NEED_PUBLISHED: ("need",),
        Kind.NEED_FITS_OFFER: ("need",),
        Kind.OFFER_FITS_NEED: ("offer",),
        Kind.LISTING_EXPIRED: ("offer", "need"),
        Kind.VOLUNTEER_BOOKED: ("assignment",),
        Kind.BOOKING_REMINDER: ("assignment",),
        Kind.HOURS_TO_CONFIRM: ("timeentry",),
        Kind.HOURS_QUERIED: ("timeentry",),
        Kind.VOLUNTEER_INTERESTED: ("need",),
    }

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["recipient", "id"], name="notification_inbox"),
            # Rows still waiting for their place: few, and looked for every few seconds.
            models.Index(
                fields=["recipient"], condition=Q(seq__isnull=True), name="notification_unplaced"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "seq"], name="notification_one_place_per_recipient"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.text}"


class InboxSequence(models.Model):
    """The last place given in a user's inbox. Its row is locked while places are given, so
    two processes never give the same place or skip one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="inbox_sequence",
    )
    last_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_seq}"


class Delivery(models.TextChoices):
    """How a person wants one kind of notification: on the site always, and by e-mail at
    once (unless read within the grace period), in the daily digest, or not at all; or off."""

    INSTANT = "instant", "On the site, and e-mailed at once if I have not seen it"
    DIGEST = "digest", "On the site, and in the daily e-mail if I have not seen it"
    SITE = "site", "On the site only"
    OFF = "off", "Not at all"


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification. No row: the default for the kind
    (`brokerage.messaging.preferences.default_for`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Notification.Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"
