from rest_framework import serializers

from brokerage.models import AllocationLine, AllocationPlan, Council, Theme, Ward


class AllocationLineSerializer(serializers.ModelSerializer):
    offer_title = serializers.CharField(source="offer.title", read_only=True)
    need_title = serializers.CharField(source="need.title", read_only=True)

    class Meta:
        model = AllocationLine
        fields = [
            "id", "offer", "offer_title", "need", "need_title", "days", "fit", "priority",
            "value", "match", "outcome",
        ]  # fmt: skip
        read_only_fields = fields


class AllocationPlanSerializer(serializers.ModelSerializer):
    lines = AllocationLineSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationPlan
        fields = [
            "id", "council", "status", "options", "objective", "days_placed", "need_days",
            "needs_considered", "needs_served", "needs_fully_covered", "ward_coverage",
            "seconds", "created_at", "applied_at", "lines",
        ]  # fmt: skip
        read_only_fields = fields


class AllocationRequestSerializer(serializers.Serializer):
    """What a broker can ask of the allocation."""

    min_fit = serializers.FloatField(min_value=0, max_value=1, default=0.3)
    wards = serializers.SlugRelatedField(
        slug_field="gss_code", queryset=Ward.objects.all(), many=True, required=False,
        help_text="Only needs in these wards.",
    )  # fmt: skip
    themes = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), many=True, required=False,
        help_text="Only needs with one of these themes.",
    )  # fmt: skip
    exclude_needs = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=10_000,
        help_text="Leave these needs out.",
    )  # fmt: skip
    max_offers_per_need = serializers.IntegerField(min_value=1, max_value=50, required=False)
    council = serializers.PrimaryKeyRelatedField(
        queryset=Council.objects.all(), required=False,
        help_text="The area to allocate (a GSS code; a combined authority's: the whole region); "
        "by default the one you broker from. One that is not yours is a 403.",
    )  # fmt: skip


class ApplyRequestSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=10_000,
        help_text="The lines to apply; all of them when left out.",
    )  # fmt: skip


class ApplyResultSerializer(serializers.Serializer):
    plan = AllocationPlanSerializer()
    matches = serializers.ListField(child=serializers.IntegerField())
    skipped = AllocationLineSerializer(many=True)
