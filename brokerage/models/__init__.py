"""The marketplace's domain models, one module per aggregate."""

from brokerage.models.allocations import AllocationLine, AllocationPlan
from brokerage.models.audit import AuditEntry
from brokerage.models.conversations import MatchMessage
from brokerage.models.councils import Council
from brokerage.models.delivery import Feedback, TimeEntry
from brokerage.models.gaps import GapCase, GapNote
from brokerage.models.interests import Interest
from brokerage.models.listings import ListingStatus
from brokerage.models.market_log import MarketChange, MarketLogHead
from brokerage.models.matches import DeclineReason, Match, MatchEvent, MatchStatus, Side
from brokerage.models.needs import Need, NeedSkill
from brokerage.models.notifications import (
    Delivery,
    InboxSequence,
    Notification,
    NotificationPreference,
)
from brokerage.models.offers import Offer, OfferSkill
from brokerage.models.organisations import Invitation, Membership, Organisation
from brokerage.models.skills import Skill, SkillCategory, Theme
from brokerage.models.social_value import (
    Commitment,
    Contract,
    Contribution,
    CreditEntry,
    MeasureKind,
    SocialValueMeasure,
    SocialValuePolicy,
)
from brokerage.models.users import User
from brokerage.models.volunteering import (
    Assignment,
    DbsLevel,
    LeaveBalance,
    LeaveEntry,
    LeavePolicy,
    LeaveType,
    Volunteer,
)
from brokerage.models.wards import Ward, WardBoundary, WardSet

__all__ = [
    "AllocationLine",
    "AllocationPlan",
    "Assignment",
    "AuditEntry",
    "Commitment",
    "Contract",
    "Contribution",
    "Council",
    "CreditEntry",
    "DbsLevel",
    "DeclineReason",
    "Delivery",
    "Feedback",
    "GapCase",
    "GapNote",
    "InboxSequence",
    "Interest",
    "Invitation",
    "LeaveBalance",
    "LeaveEntry",
    "LeavePolicy",
    "LeaveType",
    "ListingStatus",
    "MarketChange",
    "MarketLogHead",
    "Match",
    "MatchEvent",
    "MatchMessage",
    "MatchStatus",
    "MeasureKind",
    "Membership",
    "Need",
    "NeedSkill",
    "Notification",
    "NotificationPreference",
    "Offer",
    "OfferSkill",
    "Organisation",
    "Side",
    "Skill",
    "SkillCategory",
    "SocialValueMeasure",
    "SocialValuePolicy",
    "Theme",
    "TimeEntry",
    "User",
    "Volunteer",
    "Ward",
    "WardBoundary",
    "WardSet",
]
