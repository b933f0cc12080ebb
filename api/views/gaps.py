from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.suggestions import UnmetNeedSerializer
from brokerage import matchmaking, selectors


class UnmetNeedsView(GenericAPIView):
    """Brokers: open needs no offer can serve well enough now, and why (skill not offered,
    offers elsewhere, dates) — what to ask businesses for next."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = UnmetNeedSerializer
    filter_backends = []

    @extend_schema(responses=UnmetNeedSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not selectors.is_broker(request.user):
            raise PermissionDenied("Only brokers see the unmet needs.")
        page = self.paginate_queryset(matchmaking.unmet_needs())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
