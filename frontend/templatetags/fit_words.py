"""The engine's fit score in words a small charity reads at a glance; the numbers stay
behind a "How this was worked out" toggle."""

from django import template

from brokerage import access

register = template.Library()

# (lowest score, words, GOV.UK tag colour), best first.
BANDS = (
    (0.8, "Strong match", "govuk-tag--green"),
    (0.6, "Good match", "govuk-tag--turquoise"),
    (0.0, "Possible match", "govuk-tag--grey"),
)


def _band(score: float) -> tuple[float, str, str]:
    return next(band for band in BANDS if (score or 0) >= band[0])


@register.filter
def fit_words(score: float) -> str:
    return _band(score)[1]


@register.filter
def fit_colour(score: float) -> str:
    return _band(score)[2]


@register.filter
def percent(part: float) -> str:
    return f"{round((part or 0) * 100)}%"


@register.simple_tag
def default_days(offer, need) -> int:
    """{% default_days offer need %}: the days a proposal takes unless the proposer says
    otherwise (`brokerage.access.days_to_propose`)."""
    return access.days_to_propose(offer.days_remaining, need.days_remaining)
