"""Behaviour several viewsets share (the DRF-mixin way: small classes, one job each)."""

from django.db.models import Model, QuerySet
from rest_framework import status
from rest_framework.response import Response


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
