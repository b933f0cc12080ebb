from django.db.models import QuerySet
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import OrganisationFilter
from api.renderers import CSVRenderer
from api.serializers.delivery import LeavePolicySerializer
from api.serializers.organisations import (
    OrganisationSerializer,
    OrganisationWriteSerializer,
    RejectionSerializer,
)
from api.serializers.reports import CreditEntrySerializer
from api.views.mixins import AuditedExportMixin, FreshResponseMixin
from brokerage import access, selectors
from brokerage.errors import NotAllowed
from brokerage.models import Organisation
from brokerage.services import leave, organisations


class OrganisationViewSet(
    AuditedExportMixin,
    FreshResponseMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Businesses, VCS organisations and the council. Verified ones are public; registering
    one makes it pending until a broker verifies it."""

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = OrganisationFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet:
        return (
            selectors.visible_organisations(self.request.user)
            .select_related("home_ward")
            .prefetch_related("wards_served", "works_in")
        )

    def get_permissions(self) -> list:
        if self.action in ("list", "retrieve", "create"):
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        user = self.request.user
        context["broker_areas"] = access.broker_areas(user)
        context["private_org_ids"] = set(selectors.organisation_ids_of(user))
        return context

    def get_fresh_queryset(self) -> QuerySet:
        # Not through get_queryset: a signed-out registrant cannot list what they registered.
        return Organisation.objects.select_related("home_ward").prefetch_related(
            "wards_served", "works_in"
        )

    def represent(self, organisation: Organisation) -> dict:
        context = self.get_serializer_context()
        context["private_org_ids"] |= {organisation.pk}  # the registrant sees what they registered
        return OrganisationSerializer(organisation, context=context).data

    @extend_schema(request=OrganisationWriteSerializer, responses={201: OrganisationSerializer})
    def create(self, request: Request) -> Response:
        """Register an organisation (pending). Signed out, include `account` to sign up too."""
        body = OrganisationWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        account = data.pop("account", None)
        if request.user.is_authenticated:
            if account:
                raise ValidationError({"account": "Signed in already; leave account out."})
            organisation = organisations.register_organisation(by=request.user, **data)
        else:
            if not account:
                raise ValidationError({"account": "Sign in, or include an account to create."})
            organisation = organisations.sign_up_and_register(account=account, **data)
        return self.fresh(organisation.pk, status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationWriteSerializer, responses=OrganisationSerializer)
    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        """Edit details (the organisation's admins or a broker)."""
        organisation = self.get_object()
        body = OrganisationWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "kind" in data and data.pop("kind") != organisation.kind:
            raise ValidationError({"kind": "An organisation's kind cannot change."})
        data.pop("account", None)
        if data.pop("council", None) not in (None, organisation.council):
            raise ValidationError({"council": "Where it is based follows its home ward."})
        organisations.update_organisation(organisation=organisation, by=request.user, **data)
        return self.fresh(organisation.pk)

    @extend_schema(request=None, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str) -> Response:
        """Brokers: confirm the organisation is genuine; it can then publish."""
        organisation = organisations.verify_organisation(
            organisation=self.get_object(), by=request.user
        )
        return self.fresh(organisation.pk)

    @extend_schema(request=RejectionSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """Brokers: turn a pending registration down, saying why."""
        body = RejectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organisation = organisations.reject_organisation(
            organisation=self.get_object(), by=request.user, reason=body.validated_data["reason"]
        )
        return self.fresh(organisation.pk)

    @extend_schema(request=LeavePolicySerializer, responses=LeavePolicySerializer)
    @action(detail=True, methods=["get", "patch"], url_path="leave-policy")
    def leave_policy(self, request: Request, pk: str) -> Response:
        """A business's volunteering leave (default 2 paid + 5 unpaid days a year). Its members
        and brokers read it; its administrators and brokers change it."""
        organisation = self.get_object()
        if not access.can_act_for(request.user, organisation):
            raise NotAllowed("Only the organisation's members or a broker see its leave policy.")
        if request.method == "PATCH":
            body = LeavePolicySerializer(data=request.data, partial=True)
            body.is_valid(raise_exception=True)
            leave.set_leave_policy(
                organisation=organisation, by=request.user, **body.validated_data
            )
        return Response(LeavePolicySerializer(selectors.leave_policy(organisation)).data)

    @extend_schema(responses=CreditEntrySerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[ORJSONRenderer, CSVRenderer, BrowsableAPIRenderer],
        pagination_class=None,
    )
    def credits(self, request: Request, pk: str) -> Response:
        """The business's Social Value Credits statement (download with `?format=csv`; the
        total is the sum of the rows). Its members and brokers."""
        organisation = self.get_object()
        if not access.can_act_for(request.user, organisation):
            raise NotAllowed("Only the organisation's members or a broker see its credits.")
        self.csv_filename = f"credits-{organisation.slug}"
        self.csv_fields = list(CreditEntrySerializer().fields)
        statement = selectors.credit_statement(organisation)
        return Response(CreditEntrySerializer(statement["entries"], many=True).data)
