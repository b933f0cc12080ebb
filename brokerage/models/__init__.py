"""The marketplace's domain models, one module per aggregate."""

from brokerage.models.allocations import AllocationLine, AllocationPlan
from brokerage.models.listings import ListingStatus
from brokerage.models.matches import Match, MatchEvent, MatchStatus, Side
from brokerage.models.needs import Need, NeedSkill
from brokerage.models.notifications import Notification
from brokerage.models.offers import Offer, OfferSkill
from brokerage.models.organisations import Membership, Organisation
from brokerage.models.skills import Skill, SkillCategory, Theme
from brokerage.models.users import User
from brokerage.models.wards import Ward, WardBoundary, WardSet

__all__ = [
    "AllocationLine",
    "AllocationPlan",
    "ListingStatus",
    "Match",
    "MatchEvent",
    "MatchStatus",
    "Membership",
    "Need",
    "NeedSkill",
    "Notification",
    "Offer",
    "OfferSkill",
    "Organisation",
    "Side",
    "Skill",
    "SkillCategory",
    "Theme",
    "User",
    "Ward",
    "WardBoundary",
    "WardSet",
]
