"""A notification stores what it is about; `brokerage.messaging.links` builds its page and
API paths. Every kind's links open, for its recipient, the page and the API resource of its
subject."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone

from brokerage.messaging import links, outbox
from brokerage.models import Notification
from brokerage.services import assignments, gap_cases, hours
from tests import factories

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def match(business, vcs):
    return factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business),
        need=factories.NeedFactory(organisation=vcs),
    )


@pytest.fixture
def booking(match, business, business_member):
    volunteer = factories.VolunteerFactory(organisation=business)
    return assignments.book(
        match=match, volunteer=volunteer, first_day=YESTERDAY, last_day=YESTERDAY,
        days=Decimal(1), leave_type="own_time", by=business_member,
    )  # fmt: skip


@pytest.fixture
def time_entry(booking, business_member):
    return hours.log_time(
        match=booking.match, volunteer=booking.volunteer, date=YESTERDAY, hours=Decimal(3),
        leave_type="own_time", description="Payroll set up", by=business_member,
    )  # fmt: skip


@pytest.fixture
def gap_case(vcs):
    factories.NeedFactory(organisation=vcs, skills=[factories.SkillFactory(name="Thatching")])
    return gap_cases.open_cases()[0]


@pytest.fixture
def subjects(match, booking, time_entry, gap_case, business_member, vcs_member, broker):
    """For each subject type: (the subject, someone it is shown to, the id its page shows)."""
    return {
        "match": (match, vcs_member, match.pk),
        "offer": (match.offer, business_member, match.offer.pk),
        "need": (match.need, vcs_member, match.need.pk),
        "organisation": (match.need.organisation, vcs_member, match.need.organisation.pk),
        "assignment": (booking, business_member, match.pk),
        "timeentry": (time_entry, vcs_member, match.pk),
        "gapcase": (gap_case, broker, gap_case.pk),
        "volunteer": (booking.volunteer, business_member, booking.volunteer.organisation_id),
    }


PAGE_ROUTES = {
    "match": "frontend:match",
    "offer": "frontend:offer",
    "need": "frontend:need",
    "organisation": "frontend:organisation",
    "assignment": "frontend:match",
    "timeentry": "frontend:match",
    "gapcase": "frontend:gap-case",
    "volunteer": "frontend:volunteers",
}
KINDS = [
    (kind, subject_type)
    for kind in Notification.Kind
    for subject_type in Notification.SUBJECT_TYPES[kind]
]


def test_every_kind_says_what_it_can_be_about():
    assert set(Notification.SUBJECT_TYPES) == set(Notification.Kind)


@pytest.mark.parametrize(("kind", "subject_type"), KINDS)
def test_each_kind_links_to_its_subjects_page_and_api_resource(
    kind, subject_type, subjects, client
):
    subject, recipient, page_id = subjects[subject_type]
    (row,) = outbox.notify(recipients=[recipient], kind=kind, text="-", subject=subject)

    found = links.for_notification(row)

    page = resolve(found.page)
    assert (f"{page.namespace}:{page.url_name}", page.kwargs["pk"]) == (
        PAGE_ROUTES[subject_type],
        page_id,
    )
    assert resolve(found.api).kwargs["pk"] == str(subject.pk)
    client.force_login(recipient)
    assert client.get(found.page).status_code == 200
    assert client.get(found.api).status_code == 200


def test_a_notification_about_the_wrong_kind_of_subject_is_refused(match, vcs_member):
    with pytest.raises(ValueError, match="not about a need"):
        outbox.notify(recipients=[vcs_member], kind="match_proposed", text="-", subject=match.need)
    assert not Notification.objects.exists()


def test_links_of_many_notifications_take_one_query_per_subject_type_on_a_match_page(
    subjects, vcs_member
):
    rows = []
    for subject_type, kind in [
        ("timeentry", "hours_to_confirm"),
        ("assignment", "volunteer_booked"),
        ("match", "match_accepted"),
        ("need", "need_published"),
    ]:
        for _ in range(5):
            rows += outbox.notify(
                recipients=[vcs_member], kind=kind, text="-", subject=subjects[subject_type][0]
            )

    with CaptureQueriesContext(connection) as queries:
        found = links.for_notifications(rows)

    assert len(queries) == 2  # time entries' matches, bookings' matches
    assert len(found) == 20
