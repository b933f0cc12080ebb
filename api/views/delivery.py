"""Volunteers, their leave, bookings on matches and the time they give."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.delivery import (
    AssignmentSerializer,
    AssignmentWriteSerializer,
    DbsCheckSerializer,
    LeaveRowSerializer,
    QuerySerializer,
    TimeEntryAmendSerializer,
    TimeEntrySerializer,
    TimeEntryWriteSerializer,
    VolunteerSerializer,
    VolunteerSkillsSerializer,
    VolunteerWriteSerializer,
)
from api.views.mixins import FreshResponseMixin
from brokerage import access, selectors
from brokerage.errors import NotAllowed
from brokerage.services import assignments, hours, safeguarding, volunteers


class VolunteerViewSet(
    FreshResponseMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A business's employees who volunteer, with their skills. Its members see them; its
    administrators (or the employee themself) add them; brokers see all."""

    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["organisation", "is_active"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet:
        return (
            selectors.visible_volunteers(self.request.user)
            .select_related("user", "organisation")
            .prefetch_related("skills")
        )

    @extend_schema(request=VolunteerWriteSerializer, responses={201: VolunteerSerializer})
    def create(self, request: Request) -> Response:
        body = VolunteerWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        volunteer = volunteers.add_volunteer(by=request.user, **body.validated_data)
        return self.fresh(volunteer.pk, status.HTTP_201_CREATED)

    @extend_schema(request=VolunteerSkillsSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the skills a volunteer brings (the volunteer or an administrator)."""
        body = VolunteerSkillsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        volunteer = volunteers.update_volunteer(
            volunteer=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(volunteer.pk)

    def destroy(self, request: Request, pk: str) -> Response:
        """Stop volunteering: bookings and hours stay in the record."""
        volunteer = volunteers.remove_volunteer(volunteer=self.get_object(), by=request.user)
        return self.fresh(volunteer.pk)

    @extend_schema(request=DbsCheckSerializer, responses=VolunteerSerializer)
    @action(detail=True, methods=["post"], filterset_fields=None)
    def dbs(self, request: Request, pk: str) -> Response:
        """Record the volunteer's DBS check (its administrators or a broker): level
        ("" clears it), barred lists (enhanced only), issue date, Update Service."""
        body = DbsCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        volunteer = safeguarding.record_check(
            volunteer=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(volunteer.pk)

    @extend_schema(responses=LeaveRowSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_fields=None, pagination_class=None)
    def leave(self, request: Request, pk: str) -> Response:
        """This leave year's paid and unpaid leave: allowance, booked, used, remaining.
        For the volunteer, their organisation's administrators and brokers."""
        volunteer = self.get_object()
        if not access.can_act_for_volunteer(request.user, volunteer):
            raise NotAllowed("Only the volunteer, their administrators or a broker see leave.")
        return Response(LeaveRowSerializer(selectors.leave_ledger(volunteer), many=True).data)


class AssignmentViewSet(
    FreshResponseMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Volunteers booked on accepted matches, with the leave they take."""

    serializer_class = AssignmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["match", "volunteer", "status"]
    ordering = ["first_day", "id"]

    def get_queryset(self) -> QuerySet:
        return selectors.visible_assignments(self.request.user).select_related("volunteer__user")

    @extend_schema(request=AssignmentWriteSerializer, responses={201: AssignmentSerializer})
    def create(self, request: Request) -> Response:
        """Book a volunteer on a match (an administrator, a broker, or the volunteer when
        the business lets volunteers sign up). Fails with `leave_exceeded` past the
        allowance."""
        body = AssignmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = assignments.book(by=request.user, **body.validated_data)
        return self.fresh(assignment.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Take the volunteer off the match; unused leave goes back."""
        assignment = assignments.cancel(assignment=self.get_object(), by=request.user)
        return self.fresh(assignment.pk)


class TimeEntryViewSet(
    FreshResponseMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Time given on matches. The volunteer's side logs it; only the VCS organisation of the
    need confirms or queries it; only confirmed time counts."""

    serializer_class = TimeEntrySerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["match", "volunteer", "status"]
    ordering = ["date", "id"]

    def get_queryset(self) -> QuerySet:
        return selectors.visible_time(self.request.user).select_related(
            "volunteer__user", "measure"
        )

    @extend_schema(request=TimeEntryWriteSerializer, responses={201: TimeEntrySerializer})
    def create(self, request: Request) -> Response:
        body = TimeEntryWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = hours.log_time(by=request.user, **body.validated_data)
        return self.fresh(entry.pk, status.HTTP_201_CREATED)

    @extend_schema(request=TimeEntryAmendSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Correct an entry not yet confirmed; it waits for confirmation again."""
        body = TimeEntryAmendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = hours.amend_time(entry=self.get_object(), by=request.user, **body.validated_data)
        return self.fresh(entry.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        entry = hours.confirm_time(entry=self.get_object(), by=request.user)
        return self.fresh(entry.pk)

    @extend_schema(request=QuerySerializer)
    @action(detail=True, methods=["post"])
    def query(self, request: Request, pk: str) -> Response:
        body = QuerySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = hours.query_time(entry=self.get_object(), by=request.user, **body.validated_data)
        return self.fresh(entry.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        entry = hours.withdraw_time(entry=self.get_object(), by=request.user)
        return self.fresh(entry.pk)
