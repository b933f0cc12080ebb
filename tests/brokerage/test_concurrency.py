"""Capacity under concurrent requests: racing accepts never overbook (PostgreSQL row locks)."""

import threading
from collections import Counter

import pytest
from django.db import IntegrityError, close_old_connections, connection
from django.db.models import F

from brokerage import errors
from brokerage.models import Match, MatchStatus, Offer
from brokerage.services.matches import accept_match, propose_match
from tests import factories


def _race(calls):
    """Run the calls at once, one thread and database connection each; return the outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_racing_accepts_on_one_offer_never_overbook(business_member, vcs_member, round_):
    offer = factories.OfferFactory(
        organisation=business_member.memberships.get().organisation, days_offered=5
    )
    vcs = vcs_member.memberships.get().organisation
    matches = [
        propose_match(
            offer=offer, need=factories.NeedFactory(organisation=vcs), days=2, by=business_member
        )
        for _ in range(8)
    ]

    outcomes = _race([lambda m=m: accept_match(match=m, by=vcs_member) for m in matches])

    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"Match": 2, "CapacityExceeded": 6}
    offer.refresh_from_db()
    accepted = Match.objects.filter(offer=offer, status=MatchStatus.ACCEPTED)
    assert offer.days_reserved == sum(m.days for m in accepted) == 4
    assert offer.days_remaining == 1
    assert Match.objects.filter(offer=offer, status=MatchStatus.PROPOSED).count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_accepts_of_the_same_match_reserve_once(offer, need, business_member, vcs_member):
    match = propose_match(offer=offer, need=need, days=3, by=business_member)

    outcomes = _race([lambda: accept_match(match=match, by=vcs_member)] * 4)

    assert sum(isinstance(o, Match) for o in outcomes) == 1
    assert all(isinstance(o, Match | errors.InvalidTransition) for o in outcomes)
    offer.refresh_from_db()
    assert offer.days_reserved == 3
    assert match.events.filter(action="accepted").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_proposals_for_one_pair_make_one_match(offer, need, business_member, vcs_member):
    outcomes = _race(
        [
            lambda u=u: propose_match(offer=offer, need=need, days=1, by=u)
            for u in [business_member, vcs_member] * 3
        ]
    )

    assert sum(isinstance(o, Match) for o in outcomes) == 1
    assert all(isinstance(o, Match | errors.DuplicateMatch) for o in outcomes)
    assert Match.objects.count() == 1


@pytest.mark.django_db
def test_database_refuses_reserving_more_days_than_offered(offer):
    with pytest.raises(IntegrityError):
        Offer.objects.filter(pk=offer.pk).update(days_reserved=F("days_offered") + 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_bookings_never_take_more_leave_than_the_allowance(business_member, vcs_member):
    """Six bookings of one paid day each for one volunteer (allowance: 2 days), at once, on
    six different matches: exactly two are booked and the ledger agrees."""
    import datetime as dt
    from decimal import Decimal

    from brokerage.models import LeaveBalance
    from brokerage.services import assignments

    business = business_member.memberships.get().organisation
    vcs = vcs_member.memberships.get().organisation
    volunteer = factories.VolunteerFactory(organisation=business)
    matches = [
        factories.AcceptedMatchFactory(
            offer=factories.OfferFactory(organisation=business),
            need=factories.NeedFactory(organisation=vcs),
        )
        for _ in range(6)
    ]
    day = dt.date(2026, 6, 1)

    outcomes = _race(
        [
            lambda m=m: assignments.book(
                match=m,
                volunteer=volunteer,
                first_day=day,
                last_day=day,
                days=Decimal(1),
                leave_type="paid",
                by=business_member,
            )
            for m in matches
        ]
    )

    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"Assignment": 2, "LeaveExceeded": 4}
    balance = LeaveBalance.objects.get(volunteer=volunteer, leave_type="paid")
    assert balance.booked_hours == Decimal(15) == sum(e.booked_delta for e in balance.entries.all())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_time_logs_never_give_more_than_a_day_or_a_match(business_member, vcs_member):
    """Six logs of 4 hours for one volunteer on one day, at once, on three matches (a day
    holds 7.5 hours), and four logs of 4 hours by four volunteers on one 1-day match: one
    each fits; the rest are refused and nothing extra is written."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from brokerage.models import TimeEntry
    from brokerage.services import hours

    business = business_member.memberships.get().organisation
    vcs = vcs_member.memberships.get().organisation
    day = timezone.localdate() - dt.timedelta(days=1)

    def a_match(days):
        return factories.AcceptedMatchFactory(
            offer=factories.OfferFactory(organisation=business),
            need=factories.NeedFactory(organisation=vcs),
            days=days,
        )

    def log(match, volunteer):
        return hours.log_time(
            match=match, volunteer=volunteer, date=day, hours=Decimal(4),
            leave_type="own_time", description="Helped", by=business_member,
        )  # fmt: skip

    sam = factories.VolunteerFactory(organisation=business)
    matches = [a_match(5) for _ in range(3)]
    outcomes = _race([lambda m=m: log(m, sam) for m in matches * 2])
    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"TimeEntry": 1, "CapacityExceeded": 5}
    assert TimeEntry.objects.filter(volunteer=sam).count() == 1

    one_day = a_match(1)
    team = [factories.VolunteerFactory(organisation=business) for _ in range(4)]
    outcomes = _race([lambda v=v: log(one_day, v) for v in team])
    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"TimeEntry": 1, "CapacityExceeded": 3}
    assert TimeEntry.objects.filter(match=one_day).count() == 1
