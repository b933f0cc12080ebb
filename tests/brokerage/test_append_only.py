"""Match events, leave entries and credit entries are ledgers: rows are added, never changed
or deleted, through the model or through a queryset. A mistake is put right by a new row."""

import datetime as dt
from decimal import Decimal

import pytest

from brokerage.models import CreditEntry, LeaveBalance, LeaveEntry
from brokerage.models.append_only import AppendOnlyError
from tests import factories

pytestmark = pytest.mark.django_db


def match_event():
    return factories.MatchEventFactory(note="proposed on the phone"), "note"


def leave_entry():
    balance = LeaveBalance.objects.create(
        volunteer=factories.VolunteerFactory(), leave_type="paid",
        year_start=dt.date(2026, 1, 1), allowance_hours=Decimal(15),
    )  # fmt: skip
    return LeaveEntry.objects.create(
        balance=balance, kind=LeaveEntry.Kind.ALLOWANCE, allowance_delta=Decimal(15)
    ), "allowance_delta"


def credit_entry():
    return CreditEntry.objects.create(
        organisation=factories.BusinessFactory(), credits=Decimal("9.75"), reason="7.5 hours"
    ), "reason"


LEDGERS = [match_event, leave_entry, credit_entry]


def _unchanged(row, field: str) -> bool:
    stored = type(row).objects.filter(pk=row.pk).values_list(field, flat=True)
    return list(stored) == [getattr(row, field)]


@pytest.mark.parametrize("make", LEDGERS)
def test_a_saved_row_cannot_be_saved_again(make):
    row, field = make()
    original = getattr(row, field)
    setattr(row, field, "1" if isinstance(original, Decimal) else "rewritten")

    with pytest.raises(AppendOnlyError, match="append-only"):
        row.save()
    setattr(row, field, original)
    assert _unchanged(row, field)


@pytest.mark.parametrize("make", LEDGERS)
def test_a_row_cannot_be_deleted(make):
    row, _ = make()

    with pytest.raises(AppendOnlyError, match="append-only"):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("make", LEDGERS)
def test_a_queryset_cannot_update_or_delete_rows(make):
    row, field = make()
    rows = type(row).objects.filter(pk=row.pk)

    with pytest.raises(AppendOnlyError):
        rows.update(**{field: getattr(row, field)})
    with pytest.raises(AppendOnlyError):
        rows.delete()
    with pytest.raises(AppendOnlyError):
        type(row).objects.bulk_update([row], [field])
    assert rows.exists() and _unchanged(row, field)
