import django_filters as filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from brokerage import selectors
from brokerage.messaging import links
from brokerage.models import Notification
from brokerage.services import inbox


class NotificationSerializer(serializers.ModelSerializer):
    """Needs `links` in its context: `links.for_notifications` of the rows shown
    (`brokerage.messaging.links`)."""

    url = serializers.SerializerMethodField(help_text="Its page on this site.")
    api_url = serializers.SerializerMethodField(help_text="Its API address.")
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "api_url", "subject", "created_at", "read_at"]
        read_only_fields = fields

    def get_url(self, notification: Notification) -> str:
        return self.context["links"][notification.pk].page

    def get_api_url(self, notification: Notification) -> str:
        return self.context["links"][notification.pk].api

    def get_subject(self, notification: Notification) -> dict:
        return {"type": notification.subject_type, "id": notification.subject_id}


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = filters.MultipleChoiceFilter(choices=Notification.Kind.choices)

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        # An id is a 64-bit integer: anything larger is no notification of anyone's.
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False,
        max_length=1000,
        help_text="Which to mark read; all unread ones when left out.",
    )  # fmt: skip


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's notifications, newest first (the same rows the WebSocket sends)."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter
    ordering = ["-id"]
    ordering_fields = ["id"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "links": links.for_notifications(page)}
        rows = self.get_serializer(page, many=True, context=context).data
        return self.get_paginated_response(rows)

    @extend_schema(request=MarkReadSerializer, responses=CountSerializer)
    @action(detail=False, methods=["post"], url_path="mark-read", filterset_class=None)
    def mark_read(self, request: Request) -> Response:
        """Mark notifications read; answers the unread count left."""
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        inbox.mark_read(user=request.user, ids=body.validated_data.get("ids"))
        return Response({"count": selectors.unread_count(request.user)})

    @extend_schema(responses=CountSerializer, filters=False)
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None)
    def unread_count(self, request: Request) -> Response:
        return Response({"count": selectors.unread_count(request.user)})
