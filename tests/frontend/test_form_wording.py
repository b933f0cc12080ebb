"""Forms refuse bad input in the words people use, and with the service's own limits — not
Python's or Django's defaults ("Ensure this value is greater than or equal to 0.25.", "day
is out of range for month", a 24-hour limit where a volunteer gives at most 7.5 a day)."""

import pytest
from django.core.exceptions import ValidationError

from frontend.delivery_forms import BookForm, ExtendForm, LogTimeForm
from frontend.forms import RealDateField

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("8", "A volunteer gives at most 7.5 hours a day: enter 7.5 or fewer"),
        ("24", "A volunteer gives at most 7.5 hours a day: enter 7.5 or fewer"),
        ("0.1", "Enter at least a quarter of an hour (0.25)"),
        ("lots", "Enter the hours as a number, like 3 or 7.5"),
        ("1.125", "Enter the hours to at most 2 decimal places"),
        ("", "Enter the hours"),
    ],
)
def test_hours_are_refused_in_plain_words_at_the_services_daily_limit(hours, message):
    form = LogTimeForm({"log-hours": hours}, volunteers=None, action="/")

    assert form.errors["hours"] == [message]


def test_the_daily_limit_follows_the_setting(settings):
    settings.MAX_HOURS_PER_VOLUNTEER_DAY = 8
    form = LogTimeForm({"log-hours": "8"}, volunteers=None, action="/")
    assert "hours" not in form.errors
    form = LogTimeForm({"log-hours": "8.5"}, volunteers=None, action="/")
    assert form.errors["hours"] == ["A volunteer gives at most 8 hours a day: enter 8 or fewer"]


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("0.25", "Book at least half a day (0.5)"),
        ("two", "Enter the days as a number, like 2 or 0.5"),
    ],
)
def test_booking_days_are_refused_in_plain_words(days, message):
    form = BookForm({"book-days": days}, volunteers=None, action="/")

    assert form.errors["days"] == [message]


@pytest.mark.parametrize(
    ("days", "message"),
    [("0", "Enter at least 1 day"), ("61", "Enter at most 60 days at a time"),
     ("1.5", "Enter a whole number of days, like 2")],
)  # fmt: skip
def test_more_days_are_refused_in_plain_words(days, message):
    form = ExtendForm({"extend-days": days}, action="/", button="Ask")

    assert form.errors["days"] == [message]


@pytest.mark.parametrize(
    "day_month_year", [("30", "2", "2027"), ("31", "4", "2027"), ("1", "13", "2027")]
)
def test_a_date_that_does_not_exist_is_told_in_govuk_words(day_month_year):
    with pytest.raises(ValidationError) as refused:
        RealDateField(label="Needed by").clean(list(day_month_year))

    assert refused.value.messages == ["Enter a real date, for example 27 3 2027"]
