"""How amounts and names read on the pages (`brokerage.wording`)."""

from django import template

from brokerage import wording

register = template.Library()


@register.filter
def possessive(name: object) -> str:
    """{{ organisation|possessive }}: "Mercia Lighting's", "Coventry Services'"."""
    return wording.possessive(name)
