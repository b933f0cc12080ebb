"""The Django admin: brokers edit reference data and inspect the market.

State changes with rules (verifying, match transitions) go through the services, so the
admin shows lifecycle fields read-only and offers actions that call the services.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from brokerage import models
from brokerage.errors import DomainError
from brokerage.services.organisations import verify_organisation


@admin.register(models.User)
class BrokerageUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff")


class WardInline(admin.TabularInline):
    model = models.Ward
    fields = ("gss_code", "name", "imd_score", "imd_lsoas_in_decile_1", "population")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(models.Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "kind", "combined_authority", "is_served")
    list_filter = ("kind",)
    filter_horizontal = ("priority_themes",)
    fieldsets = [
        (None, {"fields": ["gss_code", "name", "kind", "combined_authority"]}),
        (
            "Priorities in matching and allocation",
            {
                "fields": [
                    "priority_themes", "deprivation_weight", "theme_weight", "waiting_weight",
                ],
                "description": "Leave the three weights empty for the service's defaults "
                "(deprivation 0.5, priority themes 0.3, waiting 0.2).",
            },
        ),
    ]  # fmt: skip

    @admin.display(boolean=True, description="Served here")
    def is_served(self, council: models.Council) -> bool:
        return council.is_served


@admin.register(models.WardSet)
class WardSetAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "council", "valid_from", "valid_until")
    inlines = [WardInline]


@admin.register(models.Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "council", "imd2025_score", "imd_score")
    list_filter = ("council", "ward_set")
    search_fields = ("name", "gss_code")
    filter_horizontal = ("neighbours",)


class SkillInline(admin.TabularInline):
    model = models.Skill
    fields = ("slug", "name", "synonyms", "is_expert_advice")
    extra = 0


@admin.register(models.SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "sort_order")
    inlines = [SkillInline]


@admin.register(models.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "category", "is_expert_advice")
    list_filter = ("category", "is_expert_advice")
    search_fields = ("name", "slug", "synonyms")


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "sort_order", "is_active")


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "verification_status", "home_ward", "created_at")
    list_filter = ("kind", "verification_status")
    search_fields = ("name", "company_number", "charity_number", "contact_email")
    readonly_fields = ("verification_status", "verified_by", "verified_at", "rejection_reason")
    filter_horizontal = ("wards_served",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
    actions = ["verify"]

    @admin.action(description="Verify selected organisations")
    def verify(self, request: HttpRequest, queryset: QuerySet) -> None:
        verified = 0
        for organisation in queryset:
            try:
                verify_organisation(organisation=organisation, by=request.user)
                verified += 1
            except DomainError as error:
                self.message_user(request, f"{organisation}: {error.message}", messages.WARNING)
        self.message_user(request, f"{verified} organisation(s) verified.")


class OfferSkillInline(admin.TabularInline):
    model = models.OfferSkill
    extra = 0


class NeedSkillInline(admin.TabularInline):
    model = models.NeedSkill
    extra = 0


LISTING_READONLY = ("status", "days_reserved", "published_at", "closed_at", "created_by")


@admin.register(models.Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "days_offered", "days_reserved")
    list_filter = ("status", "leave_type", "remote_ok")
    search_fields = ("title", "description", "organisation__name")
    readonly_fields = LISTING_READONLY
    filter_horizontal = ("wards",)
    inlines = [OfferSkillInline]


@admin.register(models.Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "ward", "status", "days_needed", "needed_by")
    list_filter = ("status", "ward", "themes", "remote_ok")
    search_fields = ("title", "description", "organisation__name")
    readonly_fields = LISTING_READONLY
    filter_horizontal = ("themes",)
    inlines = [NeedSkillInline]


class MatchEventInline(admin.TabularInline):
    model = models.MatchEvent
    fields = ("at", "action", "actor", "actor_side", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(models.Match)
class MatchAdmin(admin.ModelAdmin):
    """Read-only: a match changes only through its services, which keep capacity and history."""

    list_display = ("__str__", "status", "days", "accepted_by_business", "accepted_by_vcs")
    list_filter = ("status",)
    list_select_related = ("offer", "need")
    inlines = [MatchEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledgers and records changed only through the services: inspect, never edit here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(models.LeavePolicy)
class LeavePolicyAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "paid_days", "unpaid_days", "year_start_month")


@admin.register(models.Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "is_active", "joined_at")
    list_filter = ("is_active", "organisation")


@admin.register(models.LeaveBalance)
class LeaveBalanceAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "leave_type", "year_start", "allowance_hours", "booked_hours",
                    "used_hours")  # fmt: skip


@admin.register(models.Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "match", "first_day", "days", "leave_type", "status")


@admin.register(models.TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ("volunteer", "match", "date", "hours", "leave_type", "status")
    list_filter = ("status", "leave_type")


@admin.register(models.Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("match", "side", "rating", "consent_to_publish", "given_at")


@admin.register(models.SocialValueMeasure)
class SocialValueMeasureAdmin(admin.ModelAdmin):
    """Brokers set each year's rates here: a new row with a later `valid_from`; a council's
    own rate for a measure is a row naming the council."""

    list_display = ("code", "kind", "rate", "unit", "valid_from", "council", "theme")
    list_filter = ("kind", "code", "council")


@admin.register(models.SocialValuePolicy)
class SocialValuePolicyAdmin(admin.ModelAdmin):
    """The service-wide weights (no council) and a council's own where its brokers differ."""

    list_display = ("__str__", "council", "deprivation_multiplier_on", "deprivation_weight",
                    "credits_per_hour", "priority_theme_weight")  # fmt: skip


@admin.register(models.Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "starts_on", "ends_on", "committed_hours",
                    "committed_value")  # fmt: skip


@admin.register(models.CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "credits", "reason", "at")
