from rest_framework import serializers

from brokerage.models import Skill, SkillCategory, Theme, Ward


class WardSerializer(serializers.ModelSerializer):
    ward_set = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    neighbours = serializers.SlugRelatedField(slug_field="gss_code", many=True, read_only=True)
    current = serializers.SerializerMethodField()
    lad_code = serializers.CharField(source="council_id", read_only=True, help_text="Its council.")

    class Meta:
        model = Ward
        fields = [
            "gss_code",
            "name",
            "lad_code",
            "ward_set",
            "current",
            "centroid_lat",
            "centroid_lon",
            "area_km2",
            "population",
            "neighbours",
            "imd_score",
            "imd_rank",
            "imd_median_decile",
            "imd_lsoa_count",
            "imd_lsoas_in_decile_1",
            "imd2025_score",
            "imd2025_rank",
            "imd2025_median_decile",
            "imd2025_lsoa_count",
            "imd2025_lsoas_in_decile_1",
        ]

    def get_current(self, ward: Ward) -> bool:
        """In force today (new offers and needs may use it)."""
        return ward.pk in self.context["current_ward_ids"]


class SkillSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Skill
        fields = ["slug", "name", "category", "synonyms", "is_expert_advice"]


class SkillCategorySerializer(serializers.ModelSerializer):
    skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = SkillCategory
        fields = ["slug", "name", "description", "skills"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "description"]
