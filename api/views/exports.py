"""Brokers take the council's data out: every dataset as CSV or JSON, streamed row by row
(`brokerage/datasets/exports.py`); each download is in the audit log."""

from django.http import StreamingHttpResponse
from drf_orjson_renderer.renderers import ORJSONRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsBroker
from api.renderers import CSVRenderer
from brokerage import access
from brokerage.datasets import exports
from brokerage.models import AuditEntry
from brokerage.services import audit

FORMATS = {"csv": ("text/csv; charset=utf-8", exports.stream_csv),
           "json": ("application/json", exports.stream_json)}  # fmt: skip


class ColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    personal = serializers.BooleanField(help_text="Holds a name, an e-mail or someone's words.")


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    columns = ColumnSerializer(many=True)
    csv = serializers.CharField(help_text="Where to download it as CSV.")
    json = serializers.CharField(help_text="Where to download it as JSON.")


class ExportListView(APIView):
    """Brokers: the datasets that can be exported, their columns, which hold personal data."""

    permission_classes = [IsBroker]
    broker_only_message = "Only brokers export the council's data."

    @extend_schema(responses=DatasetSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "name": d.name,
                    "description": d.description,
                    "columns": [{"name": c.name, "personal": c.personal} for c in d.columns],
                    "csv": f"/api/v1/exports/{d.name}/?format=csv",
                    "json": f"/api/v1/exports/{d.name}/?format=json",
                }
                for d in exports.DATASETS.values()
            ]
        )


class ExportView(APIView):
    """Brokers: one dataset, whole, as CSV (default) or JSON (`?format=json`), streamed."""

    permission_classes = [IsBroker]
    broker_only_message = "Only brokers export the council's data."
    # The rows stream past the renderers; these only let `?format=` negotiate (and errors
    # still answer in JSON).
    renderer_classes = [ORJSONRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), required=False)
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.ANY,
        },
    )
    def get(self, request: Request, name: str) -> StreamingHttpResponse:
        dataset = exports.DATASETS.get(name)
        if dataset is None:
            raise NotFound(f"No dataset is called {name!r}; GET /api/v1/exports/ lists them.")
        kind = request.query_params.get("format", "csv")
        if kind not in FORMATS:
            raise ValidationError({"format": ["Choose csv or json."]})
        content_type, stream = FORMATS[kind]
        audit.record(
            actor=request.user,
            action=AuditEntry.Action.DATA_EXPORTED,
            subject=None,
            changes={"file": [None, f"{name}.{kind}"]},
            reason=request.get_full_path(),
        )
        areas = access.broker_areas(request.user)
        response = StreamingHttpResponse(stream(dataset, areas), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
        return response
