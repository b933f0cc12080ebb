"""Read-only reference data: wards, skills, skill categories, council priority themes."""

from rest_framework import permissions, viewsets

from api.filters import SkillFilter, WardFilter
from api.serializers.reference import (
    SkillCategorySerializer,
    SkillSerializer,
    ThemeSerializer,
    WardSerializer,
)
from brokerage.models import Skill, SkillCategory, Theme, Ward
from brokerage.selectors import current_wards


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    # Only what a slug can be: anything else (e.g. a NUL byte, which PostgreSQL refuses) is a 404.
    lookup_value_regex = r"[-\w]+"
    ordering = None


class WardViewSet(ReferenceViewSet):
    """Electoral wards with centroids, neighbours and IMD 2019 deprivation."""

    queryset = Ward.objects.select_related("ward_set").prefetch_related("neighbours")
    serializer_class = WardSerializer
    filterset_class = WardFilter
    lookup_field = "gss_code"
    lookup_value_regex = r"[A-Z][0-9]{8}"  # a GSS code, e.g. E05001222
    search_fields = ["name", "gss_code"]
    ordering_fields = ["name", "imd_score"]

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            context["current_ward_ids"] = set()
        else:
            context["current_ward_ids"] = set(current_wards().values_list("pk", flat=True))
        return context


class SkillViewSet(ReferenceViewSet):
    queryset = Skill.objects.select_related("category")
    serializer_class = SkillSerializer
    filterset_class = SkillFilter  # its `search` knows synonyms and categories


class SkillCategoryViewSet(ReferenceViewSet):
    queryset = SkillCategory.objects.prefetch_related("skills")
    serializer_class = SkillCategorySerializer


class ThemeViewSet(ReferenceViewSet):
    queryset = Theme.objects.filter(is_active=True)
    serializer_class = ThemeSerializer
