from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.accounts import AccountSerializer
from brokerage.models import Council, Organisation, Ward

# Where an organisation works and since when are public facts (a charity choosing a business
# reads them); how to reach it and the state of its check are for members and brokers.
PUBLIC_FIELDS = [
    "id",
    "kind",
    "name",
    "slug",
    "council",
    "works_in",
    "home_ward",
    "wards_served",
    "website",
    "description",
    "created_at",
]
PRIVATE_FIELDS = [
    "contact_email",
    "company_number",
    "charity_number",
    "verification_status",
    "verified_at",
    "rejection_reason",
]


class OrganisationSerializer(serializers.ModelSerializer):
    """Everyone sees the public fields; members and brokers also see contact details and the
    verification state (`context["private_org_ids"]` lists where that applies)."""

    council = serializers.CharField(
        source="council_id", read_only=True, help_text="GSS code of the council it is based in."
    )
    works_in = serializers.SerializerMethodField(
        help_text="GSS codes of the councils it works in, the one it is based in among them."
    )
    home_ward = serializers.SlugRelatedField(slug_field="gss_code", read_only=True, allow_null=True)
    wards_served = serializers.SlugRelatedField(slug_field="gss_code", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = PUBLIC_FIELDS + PRIVATE_FIELDS
        extra_kwargs = {name: {"required": False} for name in PRIVATE_FIELDS}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_works_in(self, organisation: Organisation) -> list[str]:
        return sorted({organisation.council_id, *(c.pk for c in organisation.works_in.all())})

    def to_representation(self, organisation: Organisation) -> dict:
        data = super().to_representation(organisation)
        private = self.context.get("private_org_ids", set())
        brokered = organisation.council_id in self.context.get("broker_areas", ())
        if not (brokered or organisation.pk in private):
            for name in PRIVATE_FIELDS:
                data.pop(name)
        return data


class OrganisationWriteSerializer(serializers.Serializer):
    """Registration and edits. An anonymous registrant includes `account` to sign up too."""

    kind = serializers.ChoiceField(
        choices=[
            (Organisation.Kind.BUSINESS, "Business"),
            (Organisation.Kind.VCS, "VCS organisation"),
        ]
    )
    name = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField()
    company_number = serializers.CharField(max_length=8, required=False, allow_blank=True)
    charity_number = serializers.CharField(max_length=9, required=False, allow_blank=True)
    home_ward = serializers.SlugRelatedField(
        slug_field="gss_code", queryset=Ward.objects.all(), required=False, allow_null=True
    )
    council = serializers.PrimaryKeyRelatedField(
        queryset=Council.objects.all(),
        required=False,
        allow_null=True,
        help_text="GSS code of the council it is based in; the home ward's council if it names "
        "one, else the service's first council.",
    )
    wards_served = serializers.SlugRelatedField(
        slug_field="gss_code", queryset=Ward.objects.all(), many=True, required=False
    )
    works_in = serializers.PrimaryKeyRelatedField(
        queryset=Council.objects.all(),
        many=True,
        required=False,
        help_text="GSS codes of the councils it works in besides the one it is based in "
        "(councils this service brokers).",
    )
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    account = AccountSerializer(required=False, help_text="Only when registering signed out.")


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
