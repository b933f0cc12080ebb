"""Offers (businesses) and needs (VCS organisations): create, read, update, delete, publish,
close. Both share one shape; the services hold the rules."""

from collections.abc import Callable

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import NeedFilter, OfferFilter
from api.permissions import CanChangeListing
from api.representations import need_json, offer_json
from api.serializers.listings import (
    NeedSerializer,
    OfferSerializer,
    need_skill_map,
    offer_skill_map,
)
from api.serializers.suggestions import SuggestionQuerySerializer, SuggestionSerializer
from brokerage import market_version, matchmaking, selectors
from brokerage.models import NeedSkill, OfferSkill
from brokerage.services import needs, offers

# Belt and braces: a cached public page also expires, even if a change went unseen.
PUBLIC_CACHE_SECONDS = 300


class ListingViewSet(viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, CanChangeListing]
    search_fields = ["title", "description"]
    ordering = ["-created_at", "-id"]
    # Set by subclasses: how to turn validated input into a service call.
    create_service: Callable
    update_service: Callable
    publish_service: Callable
    close_service: Callable
    delete_service: Callable
    listing_argument: str

    def split_input(self, data: dict) -> dict:
        raise NotImplementedError

    @staticmethod
    def represent(listing) -> dict:
        raise NotImplementedError

    def _fresh(self, pk: int) -> Response:
        return Response(self.represent(self.get_queryset().get(pk=pk)))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Filters, search and ordering shape lists; a single listing is found by its id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @staticmethod
    def suggest(listing, **query) -> list:
        raise NotImplementedError

    def list(self, request: Request, *args, **kwargs) -> Response:
        return self._public_cached(request, self._list)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self._public_cached(request, lambda: self.represent(self.get_object()))

    def _list(self) -> dict:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([self.represent(listing) for listing in page]).data

    def _public_cached(self, request: Request, compute: Callable[[], dict]) -> Response:
        """Signed-out readers all see the same public data: cache it per market version."""
        if request.user.is_authenticated:
            return Response(compute())
        key = f"api:{market_version.current()}:{request.get_full_path()}"
        data = cache.get(key)
        if data is None:
            data = compute()
            cache.set(key, data, timeout=PUBLIC_CACHE_SECONDS)
        return Response(data)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        listing = self.create_service(
            by=request.user, **self.split_input(serializer.validated_data)
        )
        response = self._fresh(listing.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        listing = self.get_object()
        serializer = self.get_serializer(listing, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        changes = self.split_input(serializer.validated_data)
        changes.pop("organisation", None)
        self.update_service(**{self.listing_argument: listing}, by=request.user, **changes)
        return self._fresh(listing.pk)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        self.delete_service(**{self.listing_argument: self.get_object()}, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses=SuggestionSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def suggestions(self, request: Request, pk: str) -> Response:
        """Ranked candidates from the matching engine, best first, with reasons (for the
        listing's organisation and brokers)."""
        listing = self.get_object()
        if not (
            selectors.is_member(request.user, listing.organisation)
            or selectors.is_broker(request.user)
        ):
            raise PermissionDenied("Only the organisation that posted this, or a broker.")
        query = SuggestionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = self.suggest(listing, **query.validated_data)
        return Response(SuggestionSerializer(found, many=True).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Open a draft to matching (the organisation must be verified)."""
        listing = self.publish_service(
            **{self.listing_argument: self.get_object()}, by=request.user
        )
        return self._fresh(listing.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Withdraw: waiting proposals are cancelled, accepted matches go ahead."""
        listing = self.close_service(**{self.listing_argument: self.get_object()}, by=request.user)
        return self._fresh(listing.pk)


class NeedViewSet(ListingViewSet):
    """Requests for help from VCS organisations. Open needs are public."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilter
    ordering_fields = ["created_at", "published_at", "needed_by", "days_needed"]
    create_service = staticmethod(needs.create_need)
    update_service = staticmethod(needs.update_need)
    publish_service = staticmethod(needs.publish_need)
    close_service = staticmethod(needs.close_need)
    delete_service = staticmethod(needs.delete_need)
    represent = staticmethod(need_json)
    suggest = staticmethod(matchmaking.suggestions_for_need)
    listing_argument = "need"

    def get_queryset(self) -> QuerySet:
        return (
            selectors.visible_needs(self.request.user)
            .select_related("organisation", "ward")
            .prefetch_related(
                Prefetch("need_skills", NeedSkill.objects.select_related("skill")), "themes"
            )
        )

    def split_input(self, data: dict) -> dict:
        data = dict(data)
        if "need_skills" in data:
            data["skills"] = need_skill_map(data.pop("need_skills"))
        return data


class OfferViewSet(ListingViewSet):
    """Offers of skills and volunteer-days from businesses. Seen by the business's members,
    by brokers, and by a VCS organisation once a match links the offer to its need."""

    serializer_class = OfferSerializer
    filterset_class = OfferFilter
    ordering_fields = [
        "created_at",
        "published_at",
        "available_from",
        "available_until",
        "days_offered",
    ]
    create_service = staticmethod(offers.create_offer)
    update_service = staticmethod(offers.update_offer)
    publish_service = staticmethod(offers.publish_offer)
    close_service = staticmethod(offers.close_offer)
    delete_service = staticmethod(offers.delete_offer)
    represent = staticmethod(offer_json)
    suggest = staticmethod(matchmaking.suggestions_for_offer)
    listing_argument = "offer"
    permission_classes = [permissions.IsAuthenticated, CanChangeListing]

    def get_queryset(self) -> QuerySet:
        return (
            selectors.visible_offers(self.request.user)
            .select_related("organisation")
            .prefetch_related(
                Prefetch("offer_skills", OfferSkill.objects.select_related("skill")), "wards"
            )
        )

    def split_input(self, data: dict) -> dict:
        data = dict(data)
        if "offer_skills" in data:
            data["skills"] = offer_skill_map(data.pop("offer_skills"))
        return data
