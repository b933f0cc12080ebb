"""Offers (businesses) and needs (VCS organisations): create, read, update, delete, publish,
close. Both share one shape; the services hold the rules."""

import hashlib
from collections.abc import Callable
from functools import cached_property

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from api.filters import NeedFilter, OfferFilter
from api.pagination import ListingPagination
from api.permissions import CanChangeListing
from api.representations import need_json, offer_json
from api.serializers.listings import (
    NeedSerializer,
    OfferSerializer,
    need_skill_map,
    offer_skill_map,
)
from api.serializers.suggestions import (
    HeldBackSerializer,
    SuggestionQuerySerializer,
    SuggestionSerializer,
)
from api.views.mixins import FreshResponseMixin
from brokerage import access, matchmaking, selectors
from brokerage.infra import versions
from brokerage.models import Need, NeedSkill, OfferSkill
from brokerage.services import listings, needs, offers

# Belt and braces: a cached read also expires, even if a change went unseen.
READ_CACHE_SECONDS = 300


class ListingViewSet(FreshResponseMixin, viewsets.ModelViewSet):
    """What offers and needs share: public-cached reads, suggestions, and publishing, closing
    and deleting (one service each for both kinds). Creating and changing differ by kind and
    are in the subclasses."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly, CanChangeListing]
    pagination_class = ListingPagination
    ordering = ["-created_at", "-id"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # Filters, search and ordering shape lists; a single listing is found by its id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def list(self, request: Request, *args, **kwargs) -> Response:
        return self._cached(request, self._list)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self._cached(request, lambda: self.represent(self.get_object()))

    def _list(self) -> dict:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.get_paginated_response([self.represent(listing) for listing in page]).data
        terms = getattr(self.request, "skill_terms", None)
        return {**data, "resolved": {"skill": terms}} if terms else data

    @cached_property
    def viewer(self) -> selectors.Viewer:
        """Read once a request: the cache key and the queryset both need it. Token
        authentication reads it with the token (`api.authentication`)."""
        viewer = getattr(self.request.auth, "viewer", None)
        return viewer if viewer is not None else selectors.viewer_of(self.request.user)

    def _cached(self, request: Request, compute: Callable[[], dict]) -> Response:
        """Reads are cached per market version and per what the reader may see
        (`Viewer.scope`): every reader with the same scope gets the same answer, so signed-in
        brokers share one copy, members of an organisation another, and a signed-out reader
        shares the public one with members of no organisation. Any change to the market moves
        the version on, and a change of memberships changes the scope. A 404 (not visible)
        is an exception and never cached."""
        # Hashed: a query string can be any length and hold any character, a key may not.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"api:{self.viewer.scope}:{path}"
        return Response(versions.cached(key, compute, READ_CACHE_SECONDS, versions.MARKET))

    def validated_input(self, request: Request, listing=None, *, partial: bool = False) -> dict:
        """The request's body, validated, as the create/update service's keyword arguments."""
        serializer = self.get_serializer(listing, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = self.split_input(dict(serializer.validated_data))
        if listing is not None:
            data.pop("organisation", None)  # a listing never moves to another organisation
        return data

    def split_input(self, data: dict) -> dict:
        raise NotImplementedError

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        listings.delete_listing(listing=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Open a draft to matching (the organisation must be verified)."""
        listing = listings.publish_listing(listing=self.get_object(), by=request.user)
        return self.fresh(listing.pk)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Withdraw: waiting proposals are cancelled, accepted matches go ahead."""
        listing = listings.close_listing(listing=self.get_object(), by=request.user)
        return self.fresh(listing.pk)

    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses=SuggestionSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def suggestions(self, request: Request, pk: str) -> Response:
        """Ranked candidates from the matching engine, best first, with reasons (for the
        listing's organisation and brokers)."""
        listing = self.get_object()
        if not access.can_act_for(request.user, listing.organisation):
            raise PermissionDenied("Only the organisation that posted this, or a broker.")
        query = SuggestionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = self.suggest(listing, **query.validated_data)
        return Response(SuggestionSerializer(found, many=True).data)

    @extend_schema(responses=HeldBackSerializer(many=True), filters=False)
    @action(
        detail=True,
        methods=["get"],
        url_path="held-back",
        filterset_class=None,
        pagination_class=None,
    )
    def held_back(self, request: Request, pk: str) -> Response:
        """Pairs left out of suggestions and allocation plans because the business or the
        charity declined or cancelled them within DECLINED_PAIR_DAYS, with who, when, why
        and until when (for the listing's organisation and brokers)."""
        listing = self.get_object()
        if not access.can_act_for(request.user, listing.organisation):
            raise PermissionDenied("Only the organisation that posted this, or a broker.")
        kind = "need" if isinstance(listing, Need) else "offer"
        held = matchmaking.held_back(**{kind: listing})
        return Response(HeldBackSerializer(held, many=True).data)

    def suggest(self, listing, **query) -> list:
        raise NotImplementedError


class NeedViewSet(ListingViewSet):
    """Requests for help from VCS organisations. Open needs are public."""

    serializer_class = NeedSerializer
    filterset_class = NeedFilter
    ordering_fields = ["created_at", "published_at", "needed_by", "days_needed"]

    def get_queryset(self) -> QuerySet:
        return (
            selectors.visible_needs(self.request.user, self.viewer)
            .select_related("organisation", "ward")
            .prefetch_related(
                Prefetch("need_skills", NeedSkill.objects.select_related("skill")), "themes"
            )
        )

    def represent(self, need) -> dict:
        return need_json(need)

    def split_input(self, data: dict) -> dict:
        if "need_skills" in data:
            data["skills"] = need_skill_map(data.pop("need_skills"))
        return data

    def suggest(self, need, **query) -> list:
        return matchmaking.suggestions_for_need(need, **query)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self.validated_input(request)
        need = needs.create_need(by=request.user, **data)
        return self.fresh(need.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        need = self.get_object()
        data = self.validated_input(request, need, partial=partial)
        needs.update_need(need=need, by=request.user, **data)
        return self.fresh(need.pk)


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
    permission_classes = [permissions.IsAuthenticated, CanChangeListing]

    def get_queryset(self) -> QuerySet:
        return (
            selectors.visible_offers(self.request.user, self.viewer)
            .select_related("organisation")
            .prefetch_related(
                Prefetch("offer_skills", OfferSkill.objects.select_related("skill")), "wards"
            )
        )

    def represent(self, offer) -> dict:
        return offer_json(offer)

    def split_input(self, data: dict) -> dict:
        if "offer_skills" in data:
            data["skills"] = offer_skill_map(data.pop("offer_skills"))
        return data

    def suggest(self, offer, **query) -> list:
        return matchmaking.suggestions_for_offer(offer, **query)

    def create(self, request: Request, *args, **kwargs) -> Response:
        data = self.validated_input(request)
        offer = offers.create_offer(by=request.user, **data)
        return self.fresh(offer.pk, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, partial: bool = False, **kwargs) -> Response:
        offer = self.get_object()
        data = self.validated_input(request, offer, partial=partial)
        offers.update_offer(offer=offer, by=request.user, **data)
        return self.fresh(offer.pk)
