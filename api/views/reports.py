"""Reports (JSON, or CSV with `?format=csv`), contracts and their statements, credits."""

from django.db.models import QuerySet
from django.utils import timezone
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsBroker
from api.renderers import CSVRenderer
from api.serializers.reports import (
    CommitmentSerializer,
    ContractSerializer,
    ContractYearSerializer,
    ContributionSerializer,
    CouncilReturnQuerySerializer,
    CouncilReturnRowSerializer,
    MeasureSerializer,
    ReportQuerySerializer,
    ReportRowSerializer,
    SkillGapSerializer,
    TomsLineSerializer,
)
from api.views.mixins import AuditedExportMixin
from brokerage import access, reports, selectors
from brokerage.models import SocialValueMeasure
from brokerage.services import social_value

RENDERERS = [ORJSONRenderer, CSVRenderer, BrowsableAPIRenderer]


class ReportView(AuditedExportMixin, APIView):
    """Needs posted, matched and met; volunteer-days offered, matched and delivered; hours
    confirmed, £ social value, credits and the median days from a need's publishing to its
    first accepted match — grouped by `ward`, `theme`, `business`, `skill_category` or
    `month`, with a Total row. Only confirmed time counts. Add `?format=csv` for a file."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[
            ReportQuerySerializer,
            OpenApiParameter(
                "dimension", str, OpenApiParameter.PATH, enum=list(reports.DIMENSIONS)
            ),
        ],
        responses=ReportRowSerializer(many=True),
    )
    def get(self, request: Request, dimension: str) -> Response:
        if dimension not in reports.DIMENSIONS:
            raise NotFound(f"Reports are by {', '.join(reports.DIMENSIONS)}.")
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        self.csv_filename = f"report-by-{dimension}"
        self.csv_fields = list(ReportRowSerializer().fields)
        rows = reports.summary(dimension, reports.scope_for(request.user, **query.validated_data))
        return Response(ReportRowSerializer(rows, many=True).data)


class CouncilReturnView(AuditedExportMixin, APIView):
    """Brokers: the social value delivered under the contracts a council let, per contract,
    measure and where it was delivered (the council and ward of the need helped), confirmed
    time and contributions, in a period. `?council=` one of your areas (a combined authority:
    the roll-up of its councils, which adds up to theirs; by default all your areas).
    `?format=csv` for the file a council sends."""

    permission_classes = [IsBroker]
    broker_only_message = "Only brokers read a council's social value return."
    renderer_classes = RENDERERS
    csv_filename = "social-value-return"
    csv_fields = reports.RETURN_COLUMNS

    @extend_schema(
        parameters=[CouncilReturnQuerySerializer], responses=CouncilReturnRowSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        query = CouncilReturnQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        areas = access.broker_areas(request.user)
        council = query.validated_data.get("council")
        if council is not None and council.pk not in areas:
            raise NotFound("No such council among the areas you broker.")
        rows = reports.council_return(
            [council.pk] if council else areas,
            date_from=query.validated_data.get("date_from"),
            date_to=query.validated_data.get("date_to"),
        )
        return Response(CouncilReturnRowSerializer(rows, many=True).data)


class SkillsGapView(AuditedExportMixin, APIView):
    """Per ward, the skills open needs ask for most that open offers give least: what to
    ask businesses for next."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = RENDERERS
    csv_filename = "skills-gap"
    csv_fields = list(SkillGapSerializer().fields)

    @extend_schema(responses=SkillGapSerializer(many=True))
    def get(self, request: Request) -> Response:
        areas = access.broker_areas(request.user) or None  # a broker's areas; else everywhere
        return Response(SkillGapSerializer(reports.skills_gap(areas=areas), many=True).data)


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    """Social value measures and their proxy £ rates by period (brokers edit them in the
    admin: a new rate is a new row with a later `valid_from`)."""

    serializer_class = MeasureSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = SocialValueMeasure.objects.all()
    ordering = ["code", "-valid_from"]
    filterset_fields = ["council", "kind", "code"]


class ContractViewSet(
    AuditedExportMixin,
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Businesses' contracts with the council and their yearly social value commitments.
    Brokers record them; the business's members see their own."""

    serializer_class = ContractSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["organisation"]
    ordering = ["organisation_id", "starts_on", "id"]

    def get_queryset(self) -> QuerySet:
        return selectors.visible_contracts(self.request.user)

    def create(self, request: Request) -> Response:
        body = ContractSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contract = social_value.create_contract(by=request.user, **body.validated_data)
        return Response(ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ContractYearSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=RENDERERS,
        filterset_fields=None,
        pagination_class=None,
    )
    def statement(self, request: Request, pk: str) -> Response:
        """Delivered against committed, per contract year (confirmed time and recorded
        contributions)."""
        contract = self.get_object()
        self.csv_filename = f"contract-{contract.pk}-statement"
        self.csv_fields = list(ContractYearSerializer().fields)
        rows = reports.contract_statement(contract, today=timezone.localdate())
        return Response(ContractYearSerializer(rows, many=True).data)

    @extend_schema(responses=TomsLineSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=RENDERERS,
        filterset_fields=None,
        pagination_class=None,
    )
    def toms(self, request: Request, pk: str) -> Response:
        """The contract's TOMs return: per contract year and measure (NT code), committed,
        delivered (hours or £) and £ social value. `?format=csv` gives the columns a
        contract manager pastes into a return."""
        contract = self.get_object()
        self.csv_filename = f"contract-{contract.pk}-toms"
        self.csv_fields = reports.TOMS_COLUMNS
        rows = reports.toms_return(contract, today=timezone.localdate())
        return Response(TomsLineSerializer(rows, many=True).data)

    @extend_schema(request=CommitmentSerializer, responses=CommitmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], filterset_fields=None, pagination_class=None)
    def commitments(self, request: Request, pk: str) -> Response:
        """GET: what the contract commits a year under each measure. POST (brokers): set
        one (`kind`, `quantity`); answers with them all."""
        contract = self.get_object()
        if request.method == "POST":
            body = CommitmentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            social_value.set_commitment(contract=contract, by=request.user, **body.validated_data)
        return Response(CommitmentSerializer(contract.commitments.all(), many=True).data)


class ContributionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Equipment and money businesses gave (NT16, NT28), recorded by brokers and valued at
    the measure's rate on the day; a business's members see their own."""

    serializer_class = ContributionSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["organisation", "contract"]
    ordering = ["-date", "-id"]

    def get_queryset(self) -> QuerySet:
        return selectors.visible_contributions(self.request.user).select_related("measure")

    def create(self, request: Request) -> Response:
        body = ContributionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        kind = data.pop("measure")["kind"]
        given = social_value.record_contribution(by=request.user, kind=kind, **data)
        return Response(ContributionSerializer(given).data, status=status.HTTP_201_CREATED)
