"""Working days in England and Wales: Monday to Friday, not a bank holiday.

Bank holidays come from the `holidays` package (kept up to date by its maintainers, including
one-off days such as coronations); numpy does the business-day arithmetic.
"""

import datetime as dt
from functools import lru_cache

import holidays
import numpy as np
from django.utils import timezone


@lru_cache(maxsize=8)
def _bank_holidays(first_year: int, last_year: int) -> np.ndarray:
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


def _calendar(*dates: dt.date) -> np.ndarray:
    years = [d.year for d in dates]
    return _bank_holidays(min(years) - 1, max(years) + 1)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` working days after `start`, at the same local time of day.

    Something that happens on a weekend or bank holiday counts from the next working day:
    a proposal made on Saturday and one made on Monday morning are both due on Wednesday.
    """
    local = timezone.localtime(start)
    cal = _calendar(local.date(), local.date() + dt.timedelta(days=days * 2 + 14))
    due = np.busday_offset(np.datetime64(local.date()), days, roll="forward", holidays=cal)
    due_date = due.astype(dt.date)
    return timezone.make_aware(dt.datetime.combine(due_date, local.time().replace(tzinfo=None)))
