from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import open_data
from api.views import (
    accounts,
    allocations,
    audit,
    delivery,
    exports,
    gaps,
    interests,
    invitations,
    listings,
    matches,
    notifications,
    organisations,
    reference,
    reports,
)

router = DefaultRouter()
router.register("organisations", organisations.OrganisationViewSet, basename="organisation")
router.register("wards", reference.WardViewSet, basename="ward")
router.register("skills", reference.SkillViewSet, basename="skill")
router.register("skill-categories", reference.SkillCategoryViewSet, basename="skill-category")
router.register("themes", reference.ThemeViewSet, basename="theme")
router.register("offers", listings.OfferViewSet, basename="offer")
router.register("needs", listings.NeedViewSet, basename="need")
router.register("matches", matches.MatchViewSet, basename="match")
router.register("allocations", allocations.AllocationViewSet, basename="allocation")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("invitations", invitations.InvitationViewSet, basename="invitation")
router.register("volunteers", delivery.VolunteerViewSet, basename="volunteer")
router.register("assignments", delivery.AssignmentViewSet, basename="assignment")
router.register("time-entries", delivery.TimeEntryViewSet, basename="time-entry")
router.register("contracts", reports.ContractViewSet, basename="contract")
router.register("contributions", reports.ContributionViewSet, basename="contribution")
router.register("social-value-measures", reports.MeasureViewSet, basename="measure")
router.register("audit", audit.AuditEntryViewSet, basename="audit-entry")
router.register("interests", interests.InterestViewSet, basename="interest")
router.register("gap-cases", gaps.GapCaseViewSet, basename="gap-case")

v1 = [
    path("auth/token/", accounts.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", accounts.RevokeTokenView.as_view(), name="token-revoke"),
    path("auth/token/revoke-all/", accounts.RevokeAllTokensView.as_view(), name="token-revoke-all"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("me/data/", accounts.MyDataView.as_view(), name="my-data"),
    path("me/close/", accounts.CloseAccountView.as_view(), name="close-account"),
    path("unmet-needs/", gaps.UnmetNeedsView.as_view(), name="unmet-needs"),
    path("exports/", exports.ExportListView.as_view(), name="exports"),
    path("exports/<slug:name>/", exports.ExportView.as_view(), name="export"),
    path("reports/skills-gap/", reports.SkillsGapView.as_view(), name="skills-gap"),
    path("reports/social-value/", reports.CouncilReturnView.as_view(), name="council-return"),
    path("reports/<str:dimension>/", reports.ReportView.as_view(), name="report"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("api/v1/", include((v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from ?script, not inline, for the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("open-data/volunteering.jsonld", open_data.volunteering_feed, name="open-data"),
]
