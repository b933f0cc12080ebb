"""How amounts and names read on the pages (`brokerage.wording`)."""

from django import template

from brokerage import wording

register = template.Library()


@register.filter
def possessive(name: object) -> str:
    """{{ organisation|possessive }}: "Mercia Lighting's", "Coventry Services'"."""
    return wording.possessive(name)


@register.filter
def quantity(amount, noun: str) -> str:
    """{{ hours|quantity:"hour" }}: "1 hour", "7.5 hours"."""
    return wording.quantity(amount, noun)
