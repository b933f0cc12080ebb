"""The audit log, read-only, for brokers: who verified, rejected, valued, changed a policy,
edited an organisation, closed another's listing or exported data, and when."""

from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from api.permissions import IsBroker
from brokerage import access, selectors
from brokerage.filters import AuditFilter
from brokerage.models import AuditEntry


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    action_display = serializers.CharField(source="get_action_display", read_only=True)
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, allow_null=True, default=None
    )
    changes = serializers.DictField(
        child=serializers.ListField(allow_empty=True),
        read_only=True,
        help_text="Each changed field's value before and after.",
    )

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "actor",
            "action",
            "action_display",
            "organisation",
            "organisation_name",
            "subject_type",
            "subject_id",
            "changes",
            "reason",
        ]
        read_only_fields = fields


class AuditEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Brokers: the audit log, newest first; filter by action, organisation, actor, dates."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsBroker]
    broker_only_message = "Only brokers read the audit log."
    filterset_class = AuditFilter
    ordering_fields = ["at"]
    ordering = ["-at", "-id"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a person
            return AuditEntry.objects.none()
        return selectors.audit_log(access.broker_areas(self.request.user))
