from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import MatchFilter
from api.serializers.delivery import FeedbackSerializer
from api.serializers.matches import (
    AcceptSerializer,
    DeclineSerializer,
    ExtensionSerializer,
    MatchEventSerializer,
    MatchMessageSerializer,
    MatchSerializer,
    NoteSerializer,
    ProposalSerializer,
)
from api.serializers.reports import ValuationSerializer
from api.views.mixins import FreshResponseMixin
from brokerage import selectors
from brokerage.services import conversations, hours, match_delivery, matches, social_value


class MatchViewSet(
    FreshResponseMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Matches between an offer and a need. Seen by both sides and by brokers."""

    serializer_class = MatchSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = MatchFilter
    ordering_fields = ["created_at", "updated_at", "days"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet:
        return selectors.visible_matches(self.request.user).select_related(
            "offer", "need", "proposed_by"
        )

    @extend_schema(request=ProposalSerializer, responses={201: MatchSerializer})
    def create(self, request: Request) -> Response:
        """Propose a match. The proposer's side counts as accepted."""
        proposal = ProposalSerializer(data=request.data, user=request.user)
        proposal.is_valid(raise_exception=True)
        match = matches.propose_match(by=request.user, **proposal.validated_data)
        return self.fresh(match.pk, status.HTTP_201_CREATED)

    @extend_schema(request=AcceptSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Accept for your side; when both sides have, the days are reserved."""
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = matches.accept_match(
            match=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(match.pk)

    @extend_schema(request=DeclineSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        """Turn a proposal down (the side being asked, or a broker), saying why."""
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = matches.decline_match(
            match=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(match.pk)

    @extend_schema(request=ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str) -> Response:
        """More days when the work takes longer: a broker gives them at once; a side asks
        and the extension holds when the other side asks for the same days."""
        body = ExtensionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = match_delivery.extend_match(
            match=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(match.pk)

    @extend_schema(request=NoteSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Call a match off; days it held go back to the offer and the need."""
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = matches.cancel_match(
            match=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(match.pk)

    @extend_schema(responses=MatchEventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None, ordering=None)
    def events(self, request: Request, pk: str) -> Response:
        """The audit history: who did what, when, from which status to which."""
        events = self.get_object().events.select_related("actor").order_by("at", "id")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(MatchEventSerializer(page, many=True).data)

    @extend_schema(
        request=MatchMessageSerializer,
        responses={200: MatchMessageSerializer(many=True), 201: MatchMessageSerializer},
        filters=False,
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, ordering=None)
    def messages(self, request: Request, pk: str) -> Response:
        """GET: the match's message thread, oldest first. POST: write on it (either side or
        a broker, while the match is open); the others are told at once."""
        match = self.get_object()
        if request.method == "GET":
            thread = match.messages.select_related("author").order_by("at", "id")
            page = self.paginate_queryset(thread)
            return self.get_paginated_response(MatchMessageSerializer(page, many=True).data)
        body = MatchMessageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = conversations.post_message(
            match=match, by=request.user, text=body.validated_data["text"]
        )
        return Response(MatchMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Say the work is done for your side; completed when both sides have (a broker
        closes for both). Time waiting for confirmation must be settled first."""
        match = match_delivery.close_match(match=self.get_object(), by=request.user)
        return self.fresh(match.pk)

    @extend_schema(
        request=FeedbackSerializer,
        responses={200: FeedbackSerializer(many=True), 201: FeedbackSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        ordering=None,
        pagination_class=None,
    )
    def feedback(self, request: Request, pk: str) -> Response:
        """GET: both sides' feedback. POST: your side's, once the match is completed."""
        match = self.get_object()
        if request.method == "GET":
            return Response(FeedbackSerializer(match.feedback.all(), many=True).data)
        body = FeedbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = hours.give_feedback(match=match, by=request.user, **body.validated_data)
        return Response(FeedbackSerializer(given).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ValuationSerializer)
    @action(detail=True, methods=["post"])
    def valuation(self, request: Request, pk: str) -> Response:
        """Brokers: the measure the match's time counts under (blank: from the need's skills)
        and the business contract it counts towards; confirmed time is valued again."""
        body = ValuationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        match = social_value.set_match_valuation(
            match=self.get_object(), by=request.user, **body.validated_data
        )
        return self.fresh(match.pk)
