"""Property: whatever sequence of proposals, accepts, declines and cancels happens, each offer's
and need's reserved days equal the days of its reserving matches and never exceed capacity."""

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from brokerage.errors import DomainError
from brokerage.models import ListingStatus, Match
from brokerage.models.matches import OPEN_STATUSES, RESERVING_STATUSES
from brokerage.services.matches import accept_match, cancel_match, decline_match, propose_match
from tests import factories

operations = st.lists(
    st.tuples(
        st.sampled_from(["propose", "accept", "decline", "cancel"]),
        st.integers(0, 5),  # which offer / match
        st.integers(0, 5),  # which need
        st.integers(1, 6),  # days
    ),
    max_size=30,
)


class CapacityInvariant(TestCase):
    def _market(self):
        password = make_password(None)
        business = factories.BusinessFactory()
        vcs = factories.VcsFactory()
        self.business_member = factories.MembershipFactory(
            organisation=business, user__password=password
        ).user
        self.vcs_member = factories.MembershipFactory(
            organisation=vcs, user__password=password
        ).user
        self.offers = [
            factories.OfferFactory(organisation=business, days_offered=days) for days in (6, 9)
        ]
        self.needs = [
            factories.NeedFactory(organisation=vcs, days_needed=days) for days in (4, 5, 7)
        ]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    def test_reserved_days_match_reserving_matches_and_stay_within_capacity(self, ops):
        self._market()
        matches: list[Match] = []
        for action, first, second, days in ops:
            try:
                if action == "propose":
                    offer = self.offers[first % len(self.offers)]
                    need = self.needs[second % len(self.needs)]
                    matches.append(
                        propose_match(offer=offer, need=need, days=days, by=self.business_member)
                    )
                elif matches:
                    match = matches[first % len(matches)]
                    if action == "accept":
                        accept_match(match=match, by=self.vcs_member)
                    elif action == "decline":
                        decline_match(match=match, by=self.vcs_member)
                    else:
                        by = self.vcs_member if second % 2 else self.business_member
                        cancel_match(match=match, by=by)
            except DomainError:
                pass  # refused operations must leave everything as it was; checked below

        for listing in [*self.offers, *self.needs]:
            listing.refresh_from_db()
            reserved = listing.matches.filter(status__in=RESERVING_STATUSES).aggregate(
                days=Sum("days")
            )["days"]
            assert listing.days_reserved == (reserved or 0)
            assert 0 <= listing.days_reserved <= listing.capacity_days
            expected = ListingStatus.FULLY_MATCHED if listing.days_remaining == 0 else "open"
            assert listing.status == expected
        open_per_pair = (
            Match.objects.filter(status__in=OPEN_STATUSES)
            .values("offer", "need")
            .annotate(n=Count("id"))
        )
        assert all(row["n"] == 1 for row in open_per_pair)
