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
