from rest_framework import serializers

from brokerage.models import (
    Commitment,
    Contract,
    Contribution,
    Council,
    CreditEntry,
    MeasureKind,
    SocialValueMeasure,
)
from brokerage.models.social_value import MONEY_KINDS


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class PeriodQuerySerializer(serializers.Serializer):
    """A period, either end open; the end on or after the start."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, data: dict) -> dict:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": "On or after date_from."})
        return data


class ReportQuerySerializer(PeriodQuerySerializer):
    organisation = serializers.IntegerField(required=False, min_value=1)


class CouncilReturnQuerySerializer(PeriodQuerySerializer):
    council = serializers.PrimaryKeyRelatedField(
        queryset=Council.objects.all(), required=False, help_text="A council's GSS code."
    )


class CouncilReturnRowSerializer(serializers.Serializer):
    council = serializers.CharField(help_text="The council that let the contract.")
    contract = serializers.IntegerField()
    contract_title = serializers.CharField()
    contract_reference = serializers.CharField()
    business = serializers.CharField()
    measure = serializers.CharField(help_text="NT code (or the council's own).")
    description = serializers.CharField()
    delivered_in_council = serializers.CharField(
        allow_null=True, help_text="The council of the need helped (null: a contribution)."
    )
    delivered_in_ward = serializers.CharField(allow_null=True)
    hours = _money(allow_null=True)
    amount = _money(allow_null=True)
    social_value = _money()


class ReportRowSerializer(serializers.Serializer):
    group = serializers.CharField()
    needs_posted = serializers.IntegerField()
    needs_matched = serializers.IntegerField(help_text="All the days asked for are matched.")
    needs_met = serializers.IntegerField(help_text="A match for it has been completed.")
    days_offered = serializers.IntegerField()
    days_matched = serializers.IntegerField()
    days_delivered = _money()
    hours_confirmed = _money()
    social_value = _money()
    credits = _money()
    median_days_to_match = serializers.FloatField(allow_null=True)


class SkillGapSerializer(serializers.Serializer):
    ward = serializers.CharField()
    skill = serializers.CharField()
    needs_asking = serializers.IntegerField()
    offers_giving = serializers.IntegerField()
    gap = serializers.IntegerField()


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SocialValueMeasure
        fields = [
            "id", "code", "name", "unit", "kind", "rate", "theme", "valid_from", "council",
            "source",
        ]  # fmt: skip
        extra_kwargs = {
            "council": {"help_text": "GSS code of the council whose own rate it is; null: "
                        "the national rate."}
        }  # fmt: skip


class ContractSerializer(serializers.ModelSerializer):
    council = serializers.PrimaryKeyRelatedField(
        queryset=Council.objects.all(),
        required=False,
        help_text="GSS code of the council that let it; by default the one the broker "
        "brokers from. What is delivered under it counts for this council.",
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "organisation",
            "council",
            "title",
            "reference",
            "starts_on",
            "ends_on",
            "committed_hours",
            "committed_value",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators = []  # the service validates (the model's constraints say what is wrong)


class ContractYearSerializer(serializers.Serializer):
    year_from = serializers.DateField()
    year_to = serializers.DateField()
    # A contract commits hours, £ or both: the one it does not commit is null.
    committed_hours = _money(allow_null=True)
    delivered_hours = _money()
    committed_value = _money(allow_null=True)
    delivered_value = _money()


class TomsLineSerializer(serializers.Serializer):
    """One line of a TOMs return: a measure in a contract year."""

    period_from = serializers.DateField()
    period_to = serializers.DateField()
    measure = serializers.CharField(help_text="TOMs code, e.g. NT15.")
    description = serializers.CharField()
    unit = serializers.CharField(help_text="hours, £ or count.")
    committed = _money(allow_null=True)
    delivered = _money()
    social_value = _money()


class CommitmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "contract", "kind", "quantity"]
        read_only_fields = ["id", "contract"]
        validators = []


class ContributionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        source="measure.kind", choices=[(k, MeasureKind(k).label) for k in MONEY_KINDS]
    )
    measure_code = serializers.CharField(source="measure.code", read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id", "organisation", "kind", "measure_code", "amount", "value", "date",
            "description", "contract", "recorded_at",
        ]  # fmt: skip
        read_only_fields = ["id", "measure_code", "value", "recorded_at"]
        validators = []


class CreditEntrySerializer(serializers.ModelSerializer):
    hours = serializers.DecimalField(
        source="time_entry.hours", max_digits=5, decimal_places=2, allow_null=True
    )
    date = serializers.DateField(source="time_entry.date", allow_null=True)

    class Meta:
        model = CreditEntry
        fields = ["id", "at", "date", "hours", "credits", "reason"]


class ValuationSerializer(serializers.Serializer):
    measure_kind = serializers.ChoiceField(
        choices=MeasureKind.choices,
        required=False,
        allow_blank=True,
        help_text="Blank: follow the need's skills.",
    )
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.all(), required=False, allow_null=True
    )
