"""How amounts read in what people are told: "1 day", "1.5 days", "3 hours", "1 time entry"."""

from decimal import Decimal


def quantity(amount: int | Decimal | float, noun: str, plural: str | None = None) -> str:
    """`amount` and `noun`, agreeing: singular only for exactly one. A Decimal is written
    without trailing zeros (7.50 → 7.5)."""
    shown = f"{amount.normalize():f}" if isinstance(amount, Decimal) else f"{amount:g}"
    return f"{shown} {noun if amount == 1 else (plural or noun + 's')}"
