from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from brokerage.models.append_only import AppendOnlyModel


class AuditEntry(AppendOnlyModel):
    """One administrative act: who did it, when, to what, and what changed (`changes` holds
    each field's value before and after). Written in the act's own transaction by
    `brokerage.services.audit.record`, so an act and its record commit together or not at all.

    Append-only: a second verification adds a row rather than overwriting who verified before.
    The actor is a user row; closing an account anonymises that row, so the history stays and
    no longer names them.
    """

    class Action(models.TextChoices):
        ORGANISATION_VERIFIED = "organisation_verified", "Verified an organisation"
        ORGANISATION_REJECTED = "organisation_rejected", "Rejected an organisation"
        ORGANISATION_EDITED = "organisation_edited", "Edited an organisation"
        LEAVE_POLICY_CHANGED = "leave_policy_changed", "Changed a leave policy"
        MATCH_VALUED = "match_valued", "Changed how a match is valued"
        LISTING_CLOSED = "listing_closed", "Closed another organisation's listing"
        DATA_EXPORTED = "data_exported", "Exported data"
        ACCOUNT_CLOSED = "account_closed", "Closed an account"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    organisation = models.ForeignKey(
        "brokerage.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        help_text="The organisation acted on, or whose listing, match or policy it was.",
    )
    # What was acted on, as `brokerage.messaging.links` names subjects ("need", "match"…).
    subject_type = models.CharField(max_length=30)
    subject_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(
        default=dict, blank=True, encoder=DjangoJSONEncoder, help_text="{field: [before, after]}"
    )
    reason = models.TextField(blank=True, max_length=2000)

    class Meta:
        verbose_name_plural = "audit entries"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.subject_type} {self.subject_id})"
