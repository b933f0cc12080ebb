from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from knox import views as knox_views
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import permissions, throttling
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.accounts import MeSerializer, TokenRequestSerializer, TokenSerializer
from brokerage import selectors
from brokerage.models import Membership, User


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
        user.is_broker = selectors.is_broker(user)
        return Response(self.get_serializer(user).data)


class RevokeTokenView(knox_views.LogoutView):
    """Revoke the token this request is made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format=None) -> Response:
        return super().post(request, format)


class RevokeAllTokensView(knox_views.LogoutAllView):
    """Revoke every token of the signed-in user (all devices and integrations)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format=None) -> Response:
        return super().post(request, format)
