"""How amounts read in what people are told: "1 day", "1.5 days", "3 hours", "1 time entry"."""

from decimal import Decimal


def quantity(amount: int | Decimal | float, noun: str, plural: str | None = None) -> str:
    """`amount` and `noun`, agreeing: singular only for exactly one. A Decimal is written
    without trailing zeros (7.50 → 7.5)."""
    shown = f"{amount.normalize():f}" if isinstance(amount, Decimal) else f"{amount:g}"
    return f"{shown} {noun if amount == 1 else (plural or noun + 's')}"


def within(reason: str, left: int | Decimal, unit: str) -> str:
    """A field's message for a limit: the reason, then what may still be entered ("no more"
    where nothing may): "At most 0." alone told nobody why."""
    if left <= 0:
        return f"{reason} No more {unit}s can be added."
    shown = f"{left.normalize():f}" if isinstance(left, Decimal) else str(left)
    return f"{reason} Enter at most {shown}."


def possessive(name: object) -> str:
    """An organisation's name made possessive: "Mercia Lighting's", "Coventry Services'" (a
    name ending in s takes the apostrophe alone, not "Services's")."""
    text = str(name)
    return f"{text}'" if text.endswith(("s", "S")) else f"{text}'s"
