from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import permissions, serializers, status, throttling
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.authentication import TokenAuthentication
from api.serializers.accounts import MeSerializer, TokenRequestSerializer, TokenSerializer
from brokerage import access
from brokerage.datasets.personal_data import personal_data
from brokerage.models import Membership, User
from brokerage.services import accounts


class LoginThrottle(throttling.AnonRateThrottle):
    """Password guessing is slowed per client address, signed in or not."""

    scope = "login"


class TokenView(GenericAPIView):
    """Exchange a username and password for an API token (stored hashed, expiring)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(responses={200: TokenSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance, token = get_token_model().objects.create(
            user=serializer.validated_data["user"], expiry=knox_settings.TOKEN_TTL
        )
        return Response(TokenSerializer({"token": token, "expires_at": instance.expiry}).data)


class MeView(GenericAPIView):
    """The signed-in user, their organisations and roles."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        user = User.objects.prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("organisation"))
        ).get(pk=request.user.pk)
        user.broker_areas = sorted(access.broker_areas(user))
        user.is_broker = bool(user.broker_areas)
        return Response(self.get_serializer(user).data)


class RevokeTokenView(knox_views.LogoutView):
    """Revoke the token this request is made with."""

    authentication_classes = [TokenAuthentication]  # ours, not knox's default

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format=None) -> Response:
        return super().post(request, format)


class RevokeAllTokensView(knox_views.LogoutAllView):
    """Revoke every token of the signed-in user (all devices and integrations)."""

    authentication_classes = [TokenAuthentication]  # ours, not knox's default

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format=None) -> Response:
        return super().post(request, format)


class MyDataView(GenericAPIView):
    """Everything held about the signed-in person, as one JSON download: account,
    memberships, volunteer records, bookings, hours, leave, feedback given, notifications."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        response = Response(personal_data(request.user))
        response["Content-Disposition"] = 'attachment; filename="my-data.json"'
        return response


class CloseAccountSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, help_text="Your password, to confirm.")


class CloseAccountView(GenericAPIView):
    """Close the signed-in person's account: their name and e-mail are removed from the
    record (what they did stays, anonymised) and every token and session ends."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CloseAccountSerializer

    @extend_schema(responses={204: None})
    def post(self, request: Request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        accounts.close_account(
            user=request.user, by=request.user, password=body.validated_data["password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
