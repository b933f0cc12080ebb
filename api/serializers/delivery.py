"""Volunteers, leave, bookings, time and feedback."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from brokerage import access, selectors
from brokerage.models import (
    Assignment,
    DbsLevel,
    Feedback,
    LeavePolicy,
    LeaveType,
    Match,
    Organisation,
    Skill,
    TimeEntry,
    User,
    Volunteer,
)
from brokerage.services import safeguarding


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


class DbsCheckSerializer(serializers.Serializer):
    """A volunteer's DBS check as recorded: never the certificate's number or contents."""

    level = serializers.ChoiceField(choices=DbsLevel.choices, allow_blank=True)
    barred_lists = serializers.BooleanField(default=False)
    issued_on = serializers.DateField(allow_null=True, required=False, default=None)
    update_service = serializers.BooleanField(default=False)
    counts_until = serializers.DateField(
        read_only=True, allow_null=True, help_text="Null: no check, or on the Update Service."
    )


class VolunteerSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    skills = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    dbs = serializers.SerializerMethodField(
        help_text="Their DBS check: for the volunteer, their business's administrators and "
        "brokers only (null for anyone else)."
    )

    class Meta:
        model = Volunteer
        fields = ["id", "user", "name", "organisation", "skills", "is_active", "joined_at", "dbs"]
        read_only_fields = fields

    def get_name(self, volunteer: Volunteer) -> str:
        return _name(volunteer.user)

    @extend_schema_field(DbsCheckSerializer(allow_null=True))
    def get_dbs(self, volunteer: Volunteer) -> dict | None:
        request = self.context.get("request")
        if request is None:
            return None
        # Per business, once for the whole list: may this person see checks, and for how
        # many years does a check count there.
        seen = self.context.setdefault("_dbs_by_business", {})
        if volunteer.organisation_id not in seen:
            business = volunteer.organisation
            seen[volunteer.organisation_id] = (
                access.can_administer(request.user, business),
                selectors.leave_policy(business).dbs_valid_years,
            )
        administers, years = seen[volunteer.organisation_id]
        if not (administers or volunteer.user_id == request.user.pk):
            return None
        return {
            "level": volunteer.dbs_level,
            "barred_lists": volunteer.dbs_barred_lists,
            "issued_on": volunteer.dbs_issued_on,
            "update_service": volunteer.dbs_update_service,
            "counts_until": safeguarding.expires_on(volunteer, years),
        }


class VolunteerWriteSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    skills = serializers.PrimaryKeyRelatedField(
        queryset=Skill.objects.all(), many=True, required=False, default=list
    )


class VolunteerSkillsSerializer(serializers.Serializer):
    skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True)


class LeaveRowSerializer(serializers.Serializer):
    leave_type = serializers.ChoiceField(choices=LeaveType.choices)
    year_start = serializers.DateField()
    allowance_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    booked_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    used_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    remaining_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    remaining_days = serializers.DecimalField(max_digits=7, decimal_places=2)


class LeavePolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = LeavePolicy
        fields = [
            "paid_days",
            "unpaid_days",
            "year_start_month",
            "year_start_day",
            "volunteers_sign_up",
            "dbs_valid_years",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        extra_kwargs = {name: {"required": False} for name in fields}
        # null until the business first sets its own policy (the default is not saved).
        extra_kwargs["updated_at"] = {"allow_null": True}


class AssignmentSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "match",
            "volunteer",
            "volunteer_name",
            "first_day",
            "last_day",
            "days",
            "leave_type",
            "booked_hours",
            "status",
            "created_at",
        ]
        read_only_fields = fields

    def get_volunteer_name(self, assignment: Assignment) -> str:
        return _name(assignment.volunteer.user)


class AssignmentWriteSerializer(serializers.Serializer):
    match = serializers.PrimaryKeyRelatedField(queryset=Match.objects.all())
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    days = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.25"))
    leave_type = serializers.ChoiceField(choices=LeaveType.choices)


class TimeEntrySerializer(serializers.ModelSerializer):
    volunteer_name = serializers.SerializerMethodField()
    measure_code = serializers.CharField(
        source="measure.code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The TOMs measure the confirmed time counts under (null until confirmed).",
    )

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "match",
            "volunteer",
            "volunteer_name",
            "assignment",
            "date",
            "hours",
            "leave_type",
            "description",
            "status",
            "query_note",
            "logged_at",
            "reviewed_at",
            "measure_code",
            "value",
        ]
        read_only_fields = fields

    def get_volunteer_name(self, entry: TimeEntry) -> str:
        return _name(entry.volunteer.user)


class TimeEntryWriteSerializer(serializers.Serializer):
    match = serializers.PrimaryKeyRelatedField(queryset=Match.objects.all())
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.all(), required=False, allow_null=True, default=None
    )
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    leave_type = serializers.ChoiceField(choices=LeaveType.choices)
    description = serializers.CharField(max_length=2000)


class TimeEntryAmendSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    description = serializers.CharField(max_length=2000, required=False)


class QuerySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class FeedbackSerializer(serializers.ModelSerializer):
    outcomes = serializers.ListField(
        child=serializers.ChoiceField(choices=Feedback.Outcome.choices), required=False
    )
    side = serializers.ChoiceField(
        choices=[("business", "Business"), ("vcs", "VCS organisation")], required=False
    )

    class Meta:
        model = Feedback
        fields = [
            "id",
            "match",
            "side",
            "rating",
            "outcomes",
            "story",
            "consent_to_publish",
            "given_at",
        ]
        read_only_fields = ["id", "match", "given_at"]
