"""When answers are due, as the pages show them (`brokerage.response_times`)."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from brokerage import response_times

register = template.Library()


@register.simple_tag
def answer_by(asked_at: dt.datetime, verb: str = "Answer") -> SafeString:
    """{% answer_by match.created_at %}: "Answer by Thursday 10 December, 2:30pm" in a
    <time> element, tagged overdue once the moment has passed."""
    due = response_times.answer_by(asked_at)
    late = due <= timezone.now()
    return format_html(
        '<span class="app-answer-by{}" data-answer-by="{}">{} by <time datetime="{}">{}</time>{}'
        "</span>",
        " app-answer-by--overdue" if late else "",
        due.isoformat(),
        verb,
        due.isoformat(),
        response_times.when(due),
        " (overdue)" if late else "",
    )


@register.simple_tag
def brokers_told_at(asked_at: dt.datetime) -> str:
    return response_times.when(response_times.brokers_told_at(asked_at))
