"""Who manages an offer or a need, and what its page offers them."""

from dataclasses import dataclass

from brokerage.access.people import can_post_for
from brokerage.models import ListingStatus, Need, Offer, User

# A listing in one of these is off the market for good: nothing more to change or close.
FINISHED = (ListingStatus.CLOSED, ListingStatus.EXPIRED)


def can_manage_listing(user: User, listing: Offer | Need) -> bool:
    """Who changes, publishes, closes or deletes a listing: as for posting it
    (`can_post_for`: a business's administrators its offers, a charity's members its needs,
    brokers either)."""
    return can_post_for(user, listing.organisation)


@dataclass(frozen=True)
class ListingAffordances:
    """What a listing's page offers one person (built once per request by
    `listing_affordances`)."""

    can_manage: bool
    status: str

    @property
    def can_change(self) -> bool:
        """Change or close it: until it is off the market for good."""
        return self.can_manage and self.status not in FINISHED

    @property
    def can_publish(self) -> bool:
        return self.can_manage and self.status == ListingStatus.DRAFT

    @property
    def shows_suggestions(self) -> bool:
        """Suggestions from the other side of the market: only while it is open (a fully
        matched listing needs nothing more; a draft is not on the market yet)."""
        return self.can_manage and self.status == ListingStatus.OPEN

    @property
    def is_open(self) -> bool:
        return self.status == ListingStatus.OPEN

    @property
    def is_fully_matched(self) -> bool:
        return self.status == ListingStatus.FULLY_MATCHED


def listing_affordances(user: User, listing: Offer | Need) -> ListingAffordances:
    return ListingAffordances(
        can_manage=user.is_authenticated and can_manage_listing(user, listing),
        status=listing.status,
    )
