"""Property: whatever bookings, cancellations and time logs happen (including ones refused),
every leave balance stays within its allowance, equals the sum of its ledger entries, and
agrees with the bookings and time it stands for."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from brokerage.errors import DomainError
from brokerage.models import Assignment, LeaveBalance, TimeEntry
from brokerage.services import assignments, hours
from tests import factories

DAYS = [dt.date(2025, 12, 30), dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 1, 2)]

operations = st.lists(
    st.tuples(
        st.sampled_from(["book", "cancel", "log", "withdraw", "amend"]),
        st.integers(0, 7),  # which match / booking / entry
        st.sampled_from(DAYS),
        st.sampled_from(["paid", "unpaid", "own_time"]),
        st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(2)]),  # days
        st.sampled_from([Decimal("0.25"), Decimal("3.5"), Decimal("7.5"), Decimal(12)]),  # hours
    ),
    max_size=25,
)


class LeaveLedgerInvariant(TestCase):
    def _setup(self):
        business, vcs = factories.BusinessFactory(), factories.VcsFactory()
        self.admin = factories.MembershipFactory(
            organisation=business, user__password=make_password(None)
        ).user
        self.volunteer = factories.VolunteerFactory(organisation=business)
        self.matches = [
            factories.AcceptedMatchFactory(
                offer=factories.OfferFactory(organisation=business),
                need=factories.NeedFactory(organisation=vcs),
                days=days,
                accepted_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
            )
            for days in (3, 6)
        ]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    def test_balances_equal_their_entries_and_never_go_over(self, ops):
        self._setup()
        booked, logged = [], []
        for action, which, day, leave_type, days, amount in ops:
            match = self.matches[which % 2]
            try:
                if action == "book":
                    booked.append(
                        assignments.book(
                            match=match,
                            volunteer=self.volunteer,
                            first_day=day,
                            last_day=day,
                            days=min(days, Decimal(1)),
                            leave_type=leave_type,
                            by=self.admin,
                        )
                    )
                elif action == "log":
                    logged.append(
                        hours.log_time(
                            match=match,
                            volunteer=self.volunteer,
                            date=day,
                            hours=amount,
                            leave_type=leave_type,
                            description="Helped",
                            by=self.admin,
                        )
                    )
                elif action == "cancel" and booked:
                    assignments.cancel(assignment=booked[which % len(booked)], by=self.admin)
                elif action == "withdraw" and logged:
                    hours.withdraw_time(entry=logged[which % len(logged)], by=self.admin)
                elif action == "amend" and logged:
                    hours.amend_time(entry=logged[which % len(logged)], by=self.admin, hours=amount)
            except DomainError:
                pass  # refused: must have changed nothing, which the checks below cover

        for balance in LeaveBalance.objects.all():
            sums = balance.entries.aggregate(
                allowance=Sum("allowance_delta"), booked=Sum("booked_delta"), used=Sum("used_delta")
            )
            assert balance.allowance_hours == sums["allowance"]
            assert balance.booked_hours == sums["booked"]
            assert balance.used_hours == sums["used"]
            assert balance.booked_hours >= 0 and balance.used_hours >= 0
            assert balance.allowance_hours - balance.booked_hours - balance.used_hours >= 0
            year = (
                balance.year_start,
                balance.year_start.replace(year=balance.year_start.year + 1),
            )
            bookings = Assignment.objects.filter(
                volunteer=self.volunteer, leave_type=balance.leave_type,
                first_day__gte=year[0], first_day__lt=year[1],
            ).aggregate(h=Sum("booked_hours"))["h"] or Decimal(0)  # fmt: skip
            assert balance.booked_hours == bookings
            time = TimeEntry.objects.filter(
                volunteer=self.volunteer, leave_type=balance.leave_type,
                date__gte=year[0], date__lt=year[1],
            ).exclude(status=TimeEntry.Status.WITHDRAWN).aggregate(h=Sum("hours"))["h"]  # fmt: skip
            assert balance.used_hours == (time or Decimal(0))
