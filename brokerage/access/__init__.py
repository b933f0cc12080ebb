"""Who may do what, here: one named rule per question, each taking the place it applies to
(an organisation, a listing, a match), so a rule can depend on *where* as well as *who*.

- `places`: where things are (the council areas of an organisation, a listing, a match) and
  the filter for "in these areas".
- `people`: broker of where (and `brokers(where)`, the one query for "the brokers"), member,
  administrator, acting for an organisation or a volunteer, posting and booking.
- `listings`: who manages an offer or a need; `ListingAffordances` for its page.
- `matches`: the sides a person acts for and every rule of a match's lifecycle and delivery
  (answer, decline, cancel, close, ask/agree/give more days, amend and review time, cancel a
  booking, feedback, valuation); `MatchAffordances` for its page.

The services enforce these rules (raising `NotAllowed`), the API's permission classes
(`api.permissions`) and the pages' decorators (`frontend.decorators`) read them, and templates
test the affordance flags, never a status string.
"""

from brokerage.access.listings import (
    ListingAffordances,
    can_manage_listing,
    listing_affordances,
)
from brokerage.access.matches import (
    ACCEPTED_FLAG,
    CLOSED_FLAG,
    DELIVERING,
    PARTIES,
    MatchAffordances,
    acting_side,
    asked_sides,
    closing_sides,
    days_to_propose,
    extension_agrees,
    extension_gives,
    match_affordances,
    may_accept,
    may_cancel,
    may_close,
    may_decline,
    may_extend,
    may_give_feedback,
    may_review_time,
    party_sides,
    sides_of,
)
from brokerage.access.people import (
    BROKER_MEMBERSHIP,
    BROKER_ORGANISATION,
    BROKER_SQL,
    broker_areas,
    broker_home_councils,
    brokers,
    can_act_for,
    can_act_for_volunteer,
    can_administer,
    can_book,
    can_check_registration,
    can_post_for,
    is_admin_of,
    is_broker,
    is_member,
)
from brokerage.access.places import councils_of, in_areas

__all__ = [
    "ACCEPTED_FLAG",
    "BROKER_MEMBERSHIP",
    "BROKER_ORGANISATION",
    "BROKER_SQL",
    "CLOSED_FLAG",
    "DELIVERING",
    "PARTIES",
    "ListingAffordances",
    "MatchAffordances",
    "acting_side",
    "asked_sides",
    "broker_areas",
    "broker_home_councils",
    "brokers",
    "can_act_for",
    "can_act_for_volunteer",
    "can_administer",
    "can_book",
    "can_check_registration",
    "can_manage_listing",
    "can_post_for",
    "closing_sides",
    "councils_of",
    "days_to_propose",
    "extension_agrees",
    "extension_gives",
    "in_areas",
    "is_admin_of",
    "is_broker",
    "is_member",
    "listing_affordances",
    "match_affordances",
    "may_accept",
    "may_cancel",
    "may_close",
    "may_decline",
    "may_extend",
    "may_give_feedback",
    "may_review_time",
    "party_sides",
    "sides_of",
]
