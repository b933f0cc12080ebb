"""Volunteers' "I would like to help" on open needs: a volunteer registers and withdraws
their own; their business's administrators and brokers read them."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.deadlines import AnswerByField
from brokerage import selectors
from brokerage.models import Interest, Need, Volunteer
from brokerage.services import interests


class InterestSerializer(serializers.ModelSerializer):
    answer_by = AnswerByField(
        asked="created_at",
        waiting=lambda interest: interest.withdrawn_at is None,
        help_text="When the business's administrators' answer is due (null once withdrawn).",
    )

    class Meta:
        model = Interest
        fields = ["id", "volunteer", "need", "note", "created_at", "answer_by", "withdrawn_at"]
        read_only_fields = ["id", "created_at", "withdrawn_at"]


class InterestWriteSerializer(serializers.Serializer):
    volunteer = serializers.PrimaryKeyRelatedField(queryset=Volunteer.objects.all())
    need = serializers.PrimaryKeyRelatedField(queryset=Need.objects.all())
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:  # ids you may not see read like ids that do not exist
            self.fields["volunteer"].queryset = selectors.visible_volunteers(user)
            self.fields["need"].queryset = selectors.visible_needs(user)


class InterestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InterestSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["need", "volunteer"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a person
            return Interest.objects.none()
        return selectors.visible_interests(self.request.user).select_related("volunteer", "need")

    @extend_schema(request=InterestWriteSerializer, responses={201: InterestSerializer})
    def create(self, request: Request) -> Response:
        body = InterestWriteSerializer(data=request.data, user=request.user)
        body.is_valid(raise_exception=True)
        interest = interests.register_interest(by=request.user, **body.validated_data)
        return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        interest = interests.withdraw_interest(interest=self.get_object(), by=request.user)
        return Response(InterestSerializer(interest).data)
