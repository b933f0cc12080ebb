"""Scoring and allocation engine: plain Python/NumPy over plain inputs, no Django imports.

market = Market(skills=..., wards=..., offers=..., needs=..., today=...)
suggest_offers(market, need_id)        # best offers for a need, with reasons
suggest_needs(market, offer_id)        # best needs for an offer
allocate(market, AllocationOptions())  # the optimal city-wide plan
"""

from matching.allocation import AllocationOptions, Plan, allocate, allocate_greedy
from matching.market import Market, NeedInput, OfferInput, SkillInfo, WardInfo
from matching.settings import MatchingSettings
from matching.suggestions import Suggestion, suggest_needs, suggest_offers

__all__ = [
    "AllocationOptions",
    "Market",
    "MatchingSettings",
    "NeedInput",
    "OfferInput",
    "Plan",
    "SkillInfo",
    "Suggestion",
    "WardInfo",
    "allocate",
    "allocate_greedy",
    "suggest_needs",
    "suggest_offers",
]
