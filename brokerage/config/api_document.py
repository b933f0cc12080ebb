"""What the OpenAPI document says of itself (drf-spectacular's settings): its title and
description, Swagger UI from the sidecar package, and stable names for the enums the API
shares with the domain's models. Data only; `settings.SPECTACULAR_SETTINGS` is this."""

API_DOCUMENT = {
    "TITLE": "Coventry volunteering and skills brokerage API",
    "DESCRIPTION": (
        "Offers of skills and volunteer-days from businesses, requests for help (needs) from "
        "VCS organisations, and the matches between them. Errors share one shape: "
        '`{"code": ..., "detail": ..., "fields": {...}}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ListingStatusEnum": "brokerage.models.listings.ListingStatus",
        "MatchStatusEnum": "brokerage.models.matches.MatchStatus",
        "SideEnum": "brokerage.models.matches.Side",
        "OrganisationKindEnum": "brokerage.models.organisations.Organisation.Kind",
        "LeaveTypeEnum": "brokerage.models.volunteering.LeaveType",
        "MeasureKindEnum": "brokerage.models.social_value.MeasureKind",
        "AssignmentStatusEnum": "brokerage.models.volunteering.Assignment.Status",
        "TimeEntryStatusEnum": "brokerage.models.delivery.TimeEntry.Status",
        "GapCaseStatusEnum": "brokerage.models.gaps.GapCase.Status",
        "DbsLevelEnum": "brokerage.models.volunteering.DbsLevel",
        "GapCaseReasonEnum": "brokerage.models.gaps.GapCase.Reason",
        "DeclineReasonEnum": "brokerage.models.matches.DeclineReason",
        # Registration kinds and the sides of a match that accept share these two values.
        "BusinessOrVcsEnum": [("business", "Business"), ("vcs", "VCS organisation")],
    },
}
