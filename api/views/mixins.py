"""Behaviour several viewsets share (the DRF-mixin way: small classes, one job each)."""

from django.db.models import Model, QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from brokerage.models import AuditEntry
from brokerage.services import audit


class FreshResponseMixin:
    """After a service changes an object, answer with the object as it now stands: read again
    through the view's queryset (so the user sees only what they may) and represented as the
    view's reads represent it."""

    def fresh(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.represent(self.get_fresh_queryset().get(pk=pk)), status=code)

    def get_fresh_queryset(self) -> QuerySet:
        return self.get_queryset()

    def represent(self, instance: Model) -> dict:
        return self.get_serializer(instance).data


class AuditedExportMixin:
    """A CSV download (`?format=csv`) is an export of the council's data: the audit log
    records who took which file, when. JSON reads are not exports."""

    def finalize_response(self, request: Request, response: Response, *args, **kwargs) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv" and response.status_code < 400:
            audit.record(
                actor=request.user,
                action=AuditEntry.Action.DATA_EXPORTED,
                subject=None,
                changes={"file": [None, f"{getattr(self, 'csv_filename', 'report')}.csv"]},
                reason=request.get_full_path(),
            )
        return response
