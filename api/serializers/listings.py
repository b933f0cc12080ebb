"""Offers and needs: read shapes that other systems rely on, and write shapes."""

from rest_framework import serializers

from brokerage.models import (
    Need,
    Offer,
    OfferSkill,
    Organisation,
    Skill,
    Theme,
    Ward,
)

MAX_SKILLS = 20


class _SkillEntry(serializers.Serializer):
    """One skill of a listing. A partial update (PATCH) makes DRF treat nested fields as
    optional and skip their defaults, so both are put back here: an entry names its skill."""

    skill = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())
    DEFAULTS: dict = {}

    def validate(self, attrs: dict) -> dict:
        if "skill" not in attrs:
            raise serializers.ValidationError({"skill": ["This field is required."]})
        return self.DEFAULTS | attrs


class NeedSkillSerializer(_SkillEntry):
    must_have = serializers.BooleanField(default=True)
    DEFAULTS = {"must_have": True}


class OfferSkillSerializer(_SkillEntry):
    level = serializers.ChoiceField(
        choices=OfferSkill.Level.choices, default=OfferSkill.Level.EXPERIENCED
    )
    DEFAULTS = {"level": OfferSkill.Level.EXPERIENCED}


def _unique_skills(items: list[dict]) -> list[dict]:
    slugs = [item["skill"].slug for item in items]
    if len(set(slugs)) != len(slugs):
        raise serializers.ValidationError("Each skill can be listed once.")
    if len(items) > MAX_SKILLS:
        raise serializers.ValidationError(f"At most {MAX_SKILLS} skills.")
    return items


class ListingSerializer(serializers.ModelSerializer):
    """Fields and checks that offers and needs share."""

    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    days_remaining = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10_000, required=False, allow_blank=True)

    def validate_skills(self, items: list[dict]) -> list[dict]:
        return _unique_skills(items)

    def validate_organisation(self, organisation: Organisation) -> Organisation:
        if self.instance is not None and organisation != self.instance.organisation:
            raise serializers.ValidationError("A listing cannot move to another organisation.")
        return organisation


class NeedSerializer(ListingSerializer):
    ward = serializers.SlugRelatedField(slug_field="gss_code", queryset=Ward.objects.all())
    ward_name = serializers.CharField(source="ward.name", read_only=True)
    skills = NeedSkillSerializer(source="need_skills", many=True)
    themes = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), many=True, required=False
    )
    days_needed = serializers.IntegerField(min_value=1, max_value=10_000)

    class Meta:
        model = Need
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "title",
            "description",
            "ward",
            "ward_name",
            "skills",
            "days_needed",
            "days_remaining",
            "needed_by",
            "remote_ok",
            "themes",
            "dbs_required",
            "dbs_barred_lists",
            "status",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_at", "created_at", "updated_at"]


class OfferSerializer(ListingSerializer):
    skills = OfferSkillSerializer(source="offer_skills", many=True)
    wards = serializers.SlugRelatedField(
        slug_field="gss_code",
        queryset=Ward.objects.all(),
        many=True,
        required=False,
        help_text="Wards the volunteers can go to; empty means anywhere in the authority.",
    )
    volunteers = serializers.IntegerField(min_value=1, max_value=10_000)
    days_offered = serializers.IntegerField(min_value=1, max_value=100_000)

    class Meta:
        model = Offer
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "title",
            "description",
            "skills",
            "volunteers",
            "days_offered",
            "days_remaining",
            "leave_type",
            "available_from",
            "available_until",
            "wards",
            "remote_ok",
            "status",
            "published_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_at", "created_at", "updated_at"]

    def validate(self, attrs: dict) -> dict:
        start = attrs.get("available_from", getattr(self.instance, "available_from", None))
        end = attrs.get("available_until", getattr(self.instance, "available_until", None))
        if start and end and start > end:
            raise serializers.ValidationError(
                {"available_until": "Must be on or after available_from."}
            )
        return attrs


def need_skill_map(items: list[dict]) -> dict[Skill, bool]:
    return {item["skill"]: item["must_have"] for item in items}


def offer_skill_map(items: list[dict]) -> dict[Skill, str]:
    return {item["skill"]: item["level"] for item in items}
