"""Invitations to join an organisation: its admins (and brokers) send, list and withdraw
them; the invitee accepts with the token from the e-mailed link."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.invitations import (
    AcceptInvitationSerializer,
    InvitationSerializer,
    InvitationWriteSerializer,
    MembershipSerializer,
)
from brokerage import selectors
from brokerage.models import Invitation
from brokerage.services import invitations


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InvitationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["organisation"]
    ordering = ["-sent_at", "-id"]

    def get_queryset(self) -> QuerySet:
        invitations_ = Invitation.objects.select_related("invited_by")
        if getattr(self, "swagger_fake_view", False):  # schema generation: no database
            return invitations_.none()
        return selectors.visible_invitations(self.request.user).select_related("invited_by")

    @extend_schema(request=InvitationWriteSerializer, responses=InvitationSerializer)
    def create(self, request: Request) -> Response:
        """Invite someone by e-mail; inviting an address again sends a fresh link."""
        body = InvitationWriteSerializer(data=request.data)
        # An organisation the user cannot see is unknown (400), not forbidden (403).
        body.fields["organisation"].queryset = selectors.visible_organisations(request.user)
        body.is_valid(raise_exception=True)
        invitation = invitations.invite(by=request.user, **body.validated_data)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        invitation = invitations.revoke(invitation=self.get_object(), by=request.user)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=AcceptInvitationSerializer, responses=MembershipSerializer)
    @action(detail=False, methods=["post"])
    def accept(self, request: Request) -> Response:
        """The signed-in invitee joins (their account's e-mail must be the invited one)."""
        body = AcceptInvitationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = invitations.accept(token=body.validated_data["token"], user=request.user)
        return Response(MembershipSerializer(membership).data)
