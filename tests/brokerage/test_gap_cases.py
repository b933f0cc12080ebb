"""Gap casework: a need the engine finds unmet after publishing becomes a stored case (one
per need and reason) that brokers hear of, own, move along and annotate; the sweep closes
cases an offer now meets and reopens them when the need is unmet again. Reasons are true:
skills held only by different businesses are their own reason, naming who holds which."""

import pytest

from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import links
from brokerage.models import GapCase, Notification
from brokerage.services import gap_cases, listings
from tests import factories

pytestmark = pytest.mark.django_db
set_status = gap_cases.set_status


@pytest.fixture
def roofing():
    return factories.SkillFactory(name="Roof repairs")


def test_publishing_a_need_nothing_fits_opens_a_case_after_commit_and_tells_brokers(
    broker, vcs, vcs_member, roofing, django_capture_on_commit_callbacks
):
    need = factories.NeedFactory(
        organisation=vcs, skills=[roofing], status="draft", published_at=None
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        listings.publish_listing(listing=need, by=vcs_member)
        assert not GapCase.objects.exists()  # not inside the publishing transaction

    assert callbacks  # the worker's jobs were queued at the commit
    case = GapCase.objects.get(need=need)
    assert (case.reason, case.status, case.owner) == ("skill", "open", None)
    assert case.detail["missing_skills"] == [roofing.pk]
    told = Notification.objects.get(recipient=broker, kind="gap_opened")
    assert "Unmet: " in told.text and "no open offer has a skill" in told.text
    assert links.for_notification(told).page == f"/unmet-needs/{case.pk}/"
    assert [n.text for n in case.notes.all()] == ["Opened: no open offer has a skill asked for."]


def test_one_case_per_need_and_reason_however_often_the_engine_looks(broker, vcs, roofing):
    need = factories.NeedFactory(organisation=vcs, skills=[roofing])
    assert len(gap_cases.open_cases()) == 1
    assert gap_cases.open_cases() == [] and gap_cases.open_cases([need.pk]) == []
    assert GapCase.objects.filter(need=need).count() == 1
    assert Notification.objects.filter(recipient=broker, kind="gap_opened").count() == 1


def test_skills_held_by_different_businesses_name_who_holds_which(broker, vcs):
    payroll, plumbing = (
        factories.SkillFactory(name="Payroll"),
        factories.SkillFactory(name="Plumbing"),
    )
    wages = factories.OfferFactory(organisation__name="Wages Ltd", skills=[payroll])
    pipes = factories.OfferFactory(organisation__name="Pipes Ltd", skills=[plumbing])
    need = factories.NeedFactory(organisation=vcs, skills=[payroll, plumbing])

    (case,) = gap_cases.open_cases()

    assert case.need == need and case.reason == "split"
    assert case.detail == {
        "missing_skills": [],
        "holders": {str(payroll.pk): [wages.pk], str(plumbing.pk): [pipes.pk]},
    }


def test_the_sweep_closes_cases_an_offer_now_meets_and_reopens_them(
    broker, vcs, roofing, django_capture_on_commit_callbacks
):
    need = factories.NeedFactory(organisation=vcs, skills=[roofing])
    assert gap_cases.sweep() == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):  # the market version moves on
        roofers = factories.OfferFactory(skills=[roofing])

    assert gap_cases.sweep() == (0, 1)
    case = GapCase.objects.get(need=need)
    assert case.status == "resolved" and case.closed_at is not None
    assert case.notes.last().text == "Resolved by the service: an offer now fits."

    with django_capture_on_commit_callbacks(execute=True):
        listings.close_listing(listing=roofers, by=broker)
    assert gap_cases.sweep() == (1, 0)
    case.refresh_from_db()
    assert (case.status, case.closed_at) == ("open", None)
    assert case.notes.last().text == "Reopened: the need is unmet again."


def test_a_broker_works_a_case_to_its_end(broker, council, vcs, roofing):
    other = factories.MembershipFactory(organisation=council, user__username="second").user
    factories.NeedFactory(organisation=vcs, skills=[roofing])
    (case,) = gap_cases.open_cases()

    gap_cases.set_status(case=case, status="in_progress", by=broker, note="Asking roofers")
    case.refresh_from_db()
    assert (case.status, case.owner) == ("in_progress", broker)  # starting the work takes it
    gap_cases.assign(case=case, owner=other, by=broker)
    gap_cases.add_note(case=case, text="Two firms said maybe in spring", by=other)
    gap_cases.set_status(case=case, status="cannot_be_met", by=other, note="Nobody before June")

    case.refresh_from_db()
    assert (case.status, case.owner) == ("cannot_be_met", other) and case.closed_at
    assert [(n.author, n.text) for n in case.notes.all()][1:] == [
        (broker, "Status: in progress. Asking roofers"),
        (broker, "Owner: second."),
        (other, "Two firms said maybe in spring"),
        (other, "Status: cannot be met. Nobody before June"),
    ]
    assert gap_cases.sweep() == (0, 0)  # a broker's "cannot be met" is not reopened


def test_taking_an_open_case_puts_it_in_progress(broker, vcs, roofing):
    factories.NeedFactory(organisation=vcs, skills=[roofing])
    (case,) = gap_cases.open_cases()

    gap_cases.assign(case=case, owner=broker, by=broker)  # "Take this case"

    case.refresh_from_db()
    assert (case.status, case.owner) == ("in_progress", broker)
    assert [n.text for n in case.notes.all()][-2:] == ["Owner: broker.", "Status: in progress."]
    gap_cases.assign(case=case, owner=None, by=broker)  # let go: still being worked on
    case.refresh_from_db()
    assert (case.status, case.owner) == ("in_progress", None)


@pytest.mark.parametrize(
    ("act", "error", "field"),
    [
        (lambda c, b, o: set_status(case=c, status="resolved", by=b), InvalidInput, "note"),
        (lambda c, b, o: set_status(case=c, status="lost", by=b), InvalidInput, "status"),
        (lambda c, b, o: set_status(case=c, status="open", by=b), InvalidTransition, None),
        (lambda c, b, o: gap_cases.assign(case=c, owner=o, by=b), InvalidInput, "owner"),
        (lambda c, b, o: gap_cases.assign(case=c, owner=None, by=b), InvalidTransition, None),
        (lambda c, b, o: gap_cases.add_note(case=c, text="  ", by=b), InvalidInput, "text"),
        (lambda c, b, o: gap_cases.add_note(case=c, text="x" * 4001, by=b), InvalidInput, "text"),
        (lambda c, b, o: gap_cases.add_note(case=c, text="hi", by=o), NotAllowed, None),
        (lambda c, b, o: set_status(case=c, status="in_progress", by=o), NotAllowed, None),
    ],
)  # fmt: skip
def test_bad_casework_is_refused_and_changes_nothing(
    broker, vcs, vcs_member, roofing, act, error, field
):
    factories.NeedFactory(organisation=vcs, skills=[roofing])
    (case,) = gap_cases.open_cases()

    with pytest.raises(error) as refused:
        act(case, broker, vcs_member)

    if field:
        assert field in refused.value.fields
    case.refresh_from_db()
    assert (case.status, case.owner, case.notes.count()) == ("open", None, 1)
