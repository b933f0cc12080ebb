"""Deadlines people can see: a proposal, a volunteer's interest and a new gap case each say
when an answer is due (`brokerage.response_times`), on the page, in the API, in the
notification and its e-mail, and that moment is when the reminder really goes. The broker's
queue puts what is due soonest first."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from brokerage.models import GapCase, Notification
from brokerage.services import deadlines, gap_cases, interests, matches
from tests import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
FRIDAY_3PM = dt.datetime(2026, 11, 27, 15, 0, tzinfo=LONDON)
DUE = "Tuesday 1 December, 3pm"  # two working days later
BROKERS_TOLD = "Friday 4 December, 3pm"  # five


def _page(user, path: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def proposal(offer, need, business_member, vcs_member):
    with time_machine.travel(FRIDAY_3PM, tick=False):
        return matches.propose_match(offer=offer, need=need, days=2, by=business_member)


def test_the_notification_says_when_the_answer_is_due_and_the_reminder_goes_then(
    proposal, vcs_member
):
    told = Notification.objects.get(recipient=vcs_member, kind=Notification.Kind.MATCH_PROPOSED)
    assert f"An answer is due by {DUE}." in told.text

    with time_machine.travel(FRIDAY_3PM + dt.timedelta(days=4, minutes=-1), tick=False):
        assert deadlines.send_reminders() == 0  # Tuesday 2:59pm
    with time_machine.travel(FRIDAY_3PM + dt.timedelta(days=4), tick=False):
        assert deadlines.send_reminders() == 1
    reminder = Notification.objects.get(recipient=vcs_member, kind=Notification.Kind.MATCH_REMINDER)
    assert BROKERS_TOLD in reminder.text


def test_the_match_page_tells_the_side_owing_the_answer(proposal, vcs_member, business_member):
    with time_machine.travel(FRIDAY_3PM + dt.timedelta(hours=1), tick=False):
        owing = _page(vcs_member, f"/matches/{proposal.pk}/")
        waiting = _page(business_member, f"/matches/{proposal.pk}/")
    assert f'Answer by <time datetime="2026-12-01T15:00:00+00:00">{DUE}</time>' in owing
    assert "the council's brokers are told" in owing and BROKERS_TOLD in owing
    assert "An answer is due by <time" in waiting and "(overdue)" not in waiting

    with time_machine.travel(FRIDAY_3PM + dt.timedelta(days=5), tick=False):
        late = _page(vcs_member, f"/matches/{proposal.pk}/")
    assert "(overdue)" in late and "app-answer-by--overdue" in late


def test_an_answered_proposal_shows_no_deadline(proposal, vcs_member):
    matches.accept_match(match=proposal, by=vcs_member)
    page = _page(vcs_member, f"/matches/{proposal.pk}/")
    assert "data-match-deadline" not in page
    api = APIClient()
    api.force_authenticate(vcs_member)
    assert api.get(f"/api/v1/matches/{proposal.pk}/").json()["answer_by"] is None


def test_the_api_gives_the_same_moment(proposal, vcs_member):
    api = APIClient()
    api.force_authenticate(vcs_member)
    answer_by = dt.datetime.fromisoformat(
        api.get(f"/api/v1/matches/{proposal.pk}/").json()["answer_by"]
    )
    assert answer_by == dt.datetime(2026, 12, 1, 15, 0, tzinfo=LONDON)


def test_a_volunteers_interest_is_due_an_answer_from_the_admins(business, business_member, need):
    volunteer = factories.VolunteerFactory(organisation=business, user__first_name="Asha")
    with time_machine.travel(FRIDAY_3PM, tick=False):
        interests.register_interest(volunteer=volunteer, need=need, by=volunteer.user)
    told = Notification.objects.get(
        recipient=business_member, kind=Notification.Kind.VOLUNTEER_INTERESTED
    )
    assert f"An answer is due by {DUE}." in told.text
    with time_machine.travel(FRIDAY_3PM + dt.timedelta(hours=1), tick=False):
        dashboard = _page(business_member, "/dashboard/")
    assert "Answer by <time" in dashboard and DUE in dashboard


def _case(need, opened: dt.datetime, **fields) -> GapCase:
    case = GapCase.objects.create(need=need, reason=GapCase.Reason.SKILL, **fields)
    GapCase.objects.filter(pk=case.pk).update(opened_at=opened)
    return case


def test_the_broker_queue_puts_what_is_due_soonest_first(broker, vcs):
    older_need, newer_need, taken_need = factories.NeedFactory.create_batch(3, organisation=vcs)
    newer = _case(newer_need, FRIDAY_3PM)
    older = _case(older_need, FRIDAY_3PM - dt.timedelta(days=3))
    taken = _case(
        taken_need, FRIDAY_3PM + dt.timedelta(days=1), owner=broker,
        status=GapCase.Status.IN_PROGRESS,
    )  # fmt: skip

    with time_machine.travel(FRIDAY_3PM + dt.timedelta(hours=1), tick=False):
        listed = _page(broker, "/unmet-needs/")
        dashboard = _page(broker, "/dashboard/")
    rows = re.findall(r'data-case="(\d+)"', listed)
    assert rows == [str(older.pk), str(newer.pk), str(taken.pk)]
    assert "Take it by <time" in listed and DUE in listed
    shown = dashboard[dashboard.index("data-answers-due") :]
    assert shown.index(older_need.title) < shown.index(newer_need.title)
    assert taken_need.title not in shown[: shown.index("Waiting for verification")]


def test_a_case_taken_by_a_broker_waits_for_nobody(broker, vcs):
    case = _case(factories.NeedFactory(organisation=vcs), FRIDAY_3PM)
    api = APIClient()
    api.force_authenticate(broker)
    assert api.get(f"/api/v1/gap-cases/{case.pk}/").json()["answer_by"] is not None
    gap_cases.assign(case=case, owner=broker, by=broker)
    assert api.get(f"/api/v1/gap-cases/{case.pk}/").json()["answer_by"] is None


def test_the_broker_dashboard_lists_proposals_waiting(proposal, broker):
    with time_machine.travel(FRIDAY_3PM + dt.timedelta(hours=1), tick=False):
        dashboard = _page(broker, "/dashboard/")
    shown = dashboard[dashboard.index("Proposals waiting for an answer") :]
    assert f'href="/matches/{proposal.pk}/"' in shown[: shown.index("Unmet needs nobody")]
    assert "Answer due by <time" in shown and DUE in shown
