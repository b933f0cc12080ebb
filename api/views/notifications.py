import django_filters as filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from brokerage import selectors
from brokerage.messaging import links, sequencing
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
        fields = [
            "id", "seq", "kind", "text", "url", "api_url", "subject", "created_at", "read_at",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "seq": {
                "help_text": "Its place in your inbox: 1, 2, 3… with no gaps, the position the "
                'WebSocket resumes after ({"type": "resume", "after": seq}). Null for a '
                "moment after it is written, until its place is given."
            }
        }

    def get_url(self, notification: Notification) -> str:
        return self.context["links"][notification.pk].page

    def get_api_url(self, notification: Notification) -> str:
        return self.context["links"][notification.pk].api

    def get_subject(self, notification: Notification) -> dict:
        return {"type": notification.subject_type, "id": notification.subject_id}


class PlaceFilter(filters.NumberFilter):
    field_class = forms.IntegerField  # a place is a whole number


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull")
    kind = filters.MultipleChoiceFilter(choices=Notification.Kind.choices)
    after = PlaceFilter(
        method="filter_after",
        min_value=0,
        max_value=2**63 - 1,
        help_text="Only those after this place in your inbox (`seq`), oldest first: what the "
        "WebSocket's resume would send, to catch up over REST.",
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind", "after"]

    def filter_after(self, queryset: QuerySet, name: str, after) -> QuerySet:
        if self.request is not None:  # a row whose place was never given gets it now
            sequencing.sequence([self.request.user.pk])
        return queryset.filter(seq__gt=after)


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
        found = self.filter_queryset(self.get_queryset())
        if "after" in request.query_params:  # catching up: in inbox order, as the socket sends
            found = found.order_by("seq")
        page = self.paginate_queryset(found)
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
