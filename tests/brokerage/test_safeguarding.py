"""Safeguarding: a need may require a DBS check; a volunteer whose recorded check does not
fit it (level, barred lists, age past the business's policy, issued after the work starts)
cannot be booked or log time on it, with the reason; the business's admins are told 60, 30
and 7 days before a check expires; only the volunteer, their admins and brokers see it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.errors import InvalidInput, NotAllowed
from brokerage.messaging import links
from brokerage.models import Assignment, Notification, TimeEntry
from brokerage.services import assignments, hours, leave, needs, safeguarding
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def volunteer(business):
    return factories.VolunteerFactory(organisation=business, user__first_name="Sam")


@pytest.fixture
def youth_match(business, vcs):
    need = factories.NeedFactory(
        organisation=vcs, title="Mock interviews", dbs_required="enhanced", dbs_barred_lists=True
    )
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business), need=need
    )


def book(match, volunteer, by, first=TODAY, last=TODAY):
    return assignments.book(
        match=match, volunteer=volunteer, first_day=first, last_day=last, days=Decimal(1),
        leave_type="unpaid", by=by,
    )  # fmt: skip


def check(volunteer, admin, level="enhanced", issued=TODAY - dt.timedelta(days=100), **kw):
    return safeguarding.record_check(
        volunteer=volunteer, by=admin, level=level, issued_on=issued, **kw
    )


@pytest.mark.parametrize(
    ("recorded", "reason"),
    [
        ({}, "has no DBS check recorded"),
        ({"level": "standard"}, "Sam's check is standard"),
        ({"level": "enhanced", "barred_lists": False}, "Sam's check is enhanced."),
        ({"level": "enhanced", "barred_lists": True,
          "issued": TODAY - dt.timedelta(days=3 * 366)}, "counts until"),
    ],
)  # fmt: skip
def test_a_check_that_does_not_fit_is_refused_with_the_reason_and_books_nothing(
    youth_match, volunteer, business_member, recorded, reason
):
    if recorded:
        check(volunteer, business_member, **recorded)

    with pytest.raises(InvalidInput, match=reason) as refused:
        book(youth_match, volunteer, business_member)
    assert "volunteer" in refused.value.fields
    assert "an enhanced DBS check with barred lists" in refused.value.message or "counts" in reason
    with pytest.raises(InvalidInput, match=reason):
        hours.log_time(
            match=youth_match, volunteer=volunteer, date=TODAY - dt.timedelta(days=1),
            hours=Decimal(2), leave_type="own_time", description="Interviews",
            by=volunteer.user,
        )  # fmt: skip
    assert not Assignment.objects.exists() and not TimeEntry.objects.exists()


def test_a_fitting_check_books_and_the_update_service_keeps_an_old_one_current(
    youth_match, volunteer, business_member
):
    check(volunteer, business_member, barred_lists=True)
    assert book(youth_match, volunteer, business_member).status == "booked"

    old = factories.VolunteerFactory(organisation=volunteer.organisation)
    old = check(old, business_member, barred_lists=True, issued=TODAY - dt.timedelta(days=2000),
          update_service=True)  # fmt: skip
    assert safeguarding.expires_on(old) is None
    assert book(youth_match, old, business_member, first=TODAY + dt.timedelta(days=1),
                last=TODAY + dt.timedelta(days=1)).status == "booked"  # fmt: skip


def test_the_businesss_policy_sets_how_long_a_check_counts(
    youth_match, volunteer, business, business_member
):
    check(volunteer, business_member, barred_lists=True, issued=TODAY - dt.timedelta(days=800))
    assert book(youth_match, volunteer, business_member).status == "booked"  # within 3 years
    leave.set_leave_policy(organisation=business, by=business_member, dbs_valid_years=2)
    with pytest.raises(InvalidInput, match="counts until"):
        book(youth_match, volunteer, business_member, first=TODAY + dt.timedelta(days=1),
             last=TODAY + dt.timedelta(days=1))  # fmt: skip


def test_needs_without_a_check_book_anyone(business, vcs, volunteer, business_member):
    match = factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs),
    )
    assert book(match, volunteer, business_member).status == "booked"


def test_expiry_warnings_go_to_the_admins_at_60_30_and_7_days_once_each(volunteer, business_member):
    issued = TODAY - dt.timedelta(days=3 * 365)  # counts for 3 years from here
    volunteer = check(volunteer, business_member, issued=issued + dt.timedelta(days=70))
    ends = safeguarding.expires_on(volunteer)
    told = lambda: Notification.objects.filter(  # noqa: E731
        recipient=business_member, kind="dbs_expiring"
    ).count()

    assert safeguarding.warn_expiring(ends - dt.timedelta(days=61)) == 0
    assert safeguarding.warn_expiring(ends - dt.timedelta(days=60)) == 1
    assert safeguarding.warn_expiring(ends - dt.timedelta(days=45)) == 0  # already told
    assert safeguarding.warn_expiring(ends - dt.timedelta(days=29)) == 1  # a missed day: 30
    assert safeguarding.warn_expiring(ends - dt.timedelta(days=7)) == 1
    assert safeguarding.warn_expiring(ends - dt.timedelta(days=3)) == 0
    assert safeguarding.warn_expiring(ends + dt.timedelta(days=1)) == 0  # expired: no more
    assert told() == 3
    note = Notification.objects.filter(kind="dbs_expiring").last()
    assert "counts until" in note.text and "Sam" in note.text
    assert (
        links.for_notification(note).page
        == f"/organisations/{volunteer.organisation_id}/volunteers/"
    )

    check(volunteer, business_member, issued=TODAY)  # a newer check starts again
    assert safeguarding.warn_expiring(ends - dt.timedelta(days=60)) == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"level": "platinum"}, "level"),
        ({"level": "enhanced", "issued_on": None}, "issued_on"),
        ({"level": "basic", "barred_lists": True}, "barred_lists"),
        ({"level": "basic", "issued_on": TODAY + dt.timedelta(days=1)}, "issued_on"),
    ],
)
def test_bad_checks_are_refused_and_change_nothing(volunteer, business_member, fields, field):
    values = {"level": "basic", "issued_on": TODAY} | fields
    with pytest.raises(InvalidInput) as refused:
        safeguarding.record_check(volunteer=volunteer, by=business_member, **values)
    assert field in refused.value.fields
    volunteer.refresh_from_db()
    assert (volunteer.dbs_level, volunteer.dbs_issued_on) == ("", None)


def test_only_admins_and_brokers_record_checks(volunteer, business, broker):
    member = factories.MembershipFactory(organisation=business, role="member").user
    with pytest.raises(NotAllowed):
        safeguarding.record_check(volunteer=volunteer, by=member, level="basic", issued_on=TODAY)
    with pytest.raises(NotAllowed):
        safeguarding.record_check(
            volunteer=volunteer, by=volunteer.user, level="basic", issued_on=TODAY
        )
    safeguarding.record_check(volunteer=volunteer, by=broker, level="basic", issued_on=TODAY)


def test_barred_lists_on_a_need_come_only_with_an_enhanced_check(vcs, vcs_member):
    need = factories.NeedFactory(organisation=vcs)
    with pytest.raises(InvalidInput) as refused:
        needs.update_need(need=need, by=vcs_member, dbs_required="standard", dbs_barred_lists=True)
    assert "dbs_barred_lists" in refused.value.fields
    needs.update_need(need=need, by=vcs_member, dbs_required="enhanced", dbs_barred_lists=True)
    need.refresh_from_db()
    assert (need.dbs_required, need.dbs_barred_lists) == ("enhanced", True)
