from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import IsBroker
from api.serializers.allocations import (
    AllocationPlanSerializer,
    AllocationRequestSerializer,
    ApplyRequestSerializer,
    ApplyResultSerializer,
)
from api.views.mixins import FreshResponseMixin
from brokerage import selectors
from brokerage.models import AllocationLine, AllocationPlan
from brokerage.services import allocations


class AllocationViewSet(
    FreshResponseMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """City-wide allocation plans (brokers): compute, review, apply."""

    serializer_class = AllocationPlanSerializer
    permission_classes = [IsBroker]
    broker_only_message = "Only brokers run allocations."
    filter_backends = []

    def get_queryset(self) -> QuerySet:
        lines = AllocationLine.objects.select_related("offer", "need")
        if getattr(self, "swagger_fake_view", False):  # the schema generator, not a person
            return AllocationPlan.objects.none()
        plans = selectors.visible_allocation_plans(self.request.user)
        return plans.prefetch_related(Prefetch("lines", lines))

    @extend_schema(request=AllocationRequestSerializer, responses={201: AllocationPlanSerializer})
    def create(self, request: Request) -> Response:
        """Compute the optimal plan now and keep it as a draft."""
        body = AllocationRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        for name, attribute in (("wards", "pk"), ("themes", "slug")):
            if name in data:
                data[name] = [getattr(item, attribute) for item in data[name]]
        plan = allocations.create_allocation(by=request.user, **data)
        return self.fresh(plan.pk, status.HTTP_201_CREATED)

    @extend_schema(request=ApplyRequestSerializer, responses=ApplyResultSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str) -> Response:
        """Turn the chosen lines into proposed matches; lines no longer valid are reported."""
        body = ApplyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = allocations.apply_allocation(
            plan=self.get_object(), by=request.user, line_ids=body.validated_data.get("lines")
        )
        fresh = self.get_queryset().get(pk=result.plan.pk)
        return Response(
            ApplyResultSerializer(
                {
                    "plan": fresh,
                    "matches": [m.pk for m in result.matches],
                    "skipped": result.skipped,
                }
            ).data
        )
