from decimal import Decimal

import pytest

from brokerage.wording import quantity


@pytest.mark.parametrize(
    ("amount", "noun", "plural", "reads"),
    [
        (1, "day", None, "1 day"),
        (0, "day", None, "0 days"),
        (3, "day", None, "3 days"),
        (Decimal("1.00"), "hour", None, "1 hour"),
        (Decimal("7.50"), "hour", None, "7.5 hours"),
        (Decimal("0.5"), "day", None, "0.5 days"),
        (Decimal("10"), "hour", None, "10 hours"),
        (1, "time entry", "time entries", "1 time entry"),
        (2, "time entry", "time entries", "2 time entries"),
        (2.5, "day", None, "2.5 days"),
    ],
)
def test_an_amount_and_its_noun_agree(amount, noun, plural, reads):
    assert quantity(amount, noun, plural) == reads


def test_a_limits_field_message_says_why_and_what_is_left():
    from brokerage.wording import within

    reason = "Tom already has 7.5 hours logged on 7 December."
    assert within(reason, Decimal(0), "hour") == f"{reason} No more hours can be added."
    assert within(reason, Decimal("2.50"), "hour") == f"{reason} Enter at most 2.5."
    assert within("Full.", 3, "day") == "Full. Enter at most 3."


@pytest.mark.parametrize(
    ("name", "reads"),
    [
        ("Mercia Lighting", "Mercia Lighting's"),
        ("Coventry Facilities Services", "Coventry Facilities Services'"),
        ("ACME PARTNERS", "ACME PARTNERS'"),
    ],
)
def test_an_organisations_name_made_possessive(name, reads):
    from brokerage.wording import possessive

    assert possessive(name) == reads
