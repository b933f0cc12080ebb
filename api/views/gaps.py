"""Unmet needs: what the engine finds now, and the cases brokers work."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import IsBroker
from api.serializers.deadlines import AnswerByField
from api.serializers.suggestions import UnmetNeedSerializer
from api.views.mixins import FreshResponseMixin
from brokerage import access, matchmaking, selectors
from brokerage.filters import GapCaseFilter
from brokerage.models import GapCase, GapNote, User
from brokerage.services import gap_cases


class UnmetNeedsView(GenericAPIView):
    """Brokers: open needs no offer can serve well enough now, and why (skill not offered,
    offers elsewhere, dates) — what to ask businesses for next."""

    permission_classes = [IsBroker]
    broker_only_message = "Only brokers see the unmet needs."
    serializer_class = UnmetNeedSerializer
    filter_backends = []

    @extend_schema(responses=UnmetNeedSerializer(many=True))
    def get(self, request: Request) -> Response:
        areas = access.broker_areas(request.user)
        page = self.paginate_queryset(matchmaking.unmet_needs(areas))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class GapNoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = GapNote
        fields = ["id", "author", "text", "at"]
        read_only_fields = ["id", "author", "at"]


class GapCaseSerializer(serializers.ModelSerializer):
    need_title = serializers.CharField(source="need.title", read_only=True)
    organisation_name = serializers.CharField(source="need.organisation.name", read_only=True)
    ward = serializers.CharField(source="need.ward.gss_code", read_only=True)
    reason_display = serializers.CharField(source="get_reason_display", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    detail = serializers.DictField(
        read_only=True,
        help_text="missing_skills: skill ids no open offer holds; holders: for 'split', each "
        "skill id with the ids of the open offers holding it.",
    )
    answer_by = AnswerByField(
        asked="opened_at",
        waiting=lambda case: case.status == GapCase.Status.OPEN and case.owner_id is None,
        help_text="While open with no owner: when a broker should take it. Null otherwise.",
    )

    class Meta:
        model = GapCase
        fields = [
            "id", "need", "need_title", "organisation_name", "ward", "reason",
            "reason_display", "detail", "status", "owner", "opened_at", "answer_by", "updated_at",
            "closed_at",
        ]  # fmt: skip
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        help_text="A broker's user id; null lets the case go.",
    )


class CaseStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=GapCase.Status.choices)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class GapCaseViewSet(FreshResponseMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     viewsets.GenericViewSet):  # fmt: skip
    """Brokers: unmet needs as cases, one per need and reason, opened by the engine after a
    need is published (and by a sweep); take or hand on a case, move its status, add notes.
    Filters: status, reason, owner (a user id), `mine=true`, `unassigned=true`."""

    serializer_class = GapCaseSerializer
    permission_classes = [IsBroker]
    broker_only_message = "Only brokers work on unmet needs."
    filterset_class = GapCaseFilter
    ordering_fields = ["opened_at", "updated_at"]
    ordering = ["-opened_at", "-id"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a person
            return GapCase.objects.none()
        return selectors.visible_gap_cases(self.request.user).select_related(
            "need__organisation", "need__ward", "owner"
        )

    @extend_schema(request=AssignSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request: Request, pk: str) -> Response:
        """Take the case (your own id), hand it to another broker, or let it go (null)."""
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = gap_cases.assign(case=self.get_object(), by=request.user, **body.validated_data)
        return self.fresh(case.pk)

    @extend_schema(request=CaseStatusSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def status(self, request: Request, pk: str) -> Response:
        """Move the case: open, in_progress, resolved, cannot_be_met (closing needs a note)."""
        body = CaseStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = gap_cases.set_status(case=self.get_object(), by=request.user, **body.validated_data)
        return self.fresh(case.pk)

    @extend_schema(
        request=GapNoteSerializer,
        responses={200: GapNoteSerializer(many=True), 201: GapNoteSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        ordering=None,
        pagination_class=None,
    )
    def notes(self, request: Request, pk: str) -> Response:
        """GET: the case's history, oldest first. POST: add a note."""
        case = self.get_object()
        if request.method == "GET":
            return Response(GapNoteSerializer(case.notes.select_related("author"), many=True).data)
        body = GapNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = gap_cases.add_note(case=case, by=request.user, **body.validated_data)
        return Response(GapNoteSerializer(note).data, status=status.HTTP_201_CREATED)
