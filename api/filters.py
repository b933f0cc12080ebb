"""The API's face of the shared filtersets (`brokerage.filters`): how the OpenAPI schema
describes the filters whose values are codes, slugs or skill terms. The rules are there."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from brokerage.filters import (
    CodeFilter,
    CodesFilter,
    MatchFilter,
    NeedFilter,
    OfferFilter,
    OrganisationFilter,
    SkillFilter,
    SkillTermsFilter,
    WardFilter,
)

# Several slugs or GSS codes (repeat the parameter), one slug or code, skill terms.
extend_schema_field(OpenApiTypes.STR)(CodesFilter)
extend_schema_field(OpenApiTypes.STR)(CodeFilter)
extend_schema_field({"type": "array", "items": {"type": "string"}})(SkillTermsFilter)

__all__ = [
    "MatchFilter",
    "NeedFilter",
    "OfferFilter",
    "OrganisationFilter",
    "SkillFilter",
    "WardFilter",
]
