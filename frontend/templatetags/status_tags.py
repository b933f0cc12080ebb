"""Status tags coloured by what the status means (GOV.UK tag colours): waiting is yellow,
agreed or done is green, turned down is red, finished without effect is grey."""

from django import template

register = template.Library()

COLOURS = {
    "draft": "govuk-tag--grey",
    "open": "govuk-tag--blue",
    "fully_matched": "govuk-tag--green",
    "closed": "govuk-tag--grey",
    "expired": "govuk-tag--orange",
    "proposed": "govuk-tag--yellow",
    "accepted": "govuk-tag--green",
    "in_progress": "govuk-tag--light-blue",
    "completed": "govuk-tag--turquoise",
    "declined": "govuk-tag--red",
    "cancelled": "govuk-tag--grey",
    "pending": "govuk-tag--yellow",
    "verified": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "confirmed": "govuk-tag--green",
    "queried": "govuk-tag--orange",
    "withdrawn": "govuk-tag--grey",
    "resolved": "govuk-tag--green",
    "cannot_be_met": "govuk-tag--red",
}


@register.filter
def status_colour(status: str) -> str:
    """The tag modifier class for a status value ("" keeps GOV.UK's default dark blue)."""
    return COLOURS.get(str(status), "")


@register.filter
def get_item(mapping: dict, key):
    """`mapping[key]` in a template (None when absent)."""
    return mapping.get(key)
