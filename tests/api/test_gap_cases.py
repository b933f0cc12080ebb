"""Gap cases through the API: brokers list and filter them, take one, move it along and add
notes; everyone else is refused; the computed view names who holds which skill."""

import pytest

from brokerage.models import GapCase
from brokerage.services import gap_cases
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(vcs):
    factories.NeedFactory(organisation=vcs, skills=[factories.SkillFactory(name="Roof repairs")])
    (opened,) = gap_cases.open_cases()
    return opened


def test_a_broker_takes_a_case_moves_it_and_adds_notes(client_for, broker, case):
    api = client_for(broker)
    url = f"/api/v1/gap-cases/{case.pk}/"

    listed = api.get("/api/v1/gap-cases/?unassigned=true&status=open").json()
    assert [c["id"] for c in listed["results"]] == [case.pk]
    assert listed["results"][0]["reason"] == "skill"
    taken = api.post(url + "assign/", {"owner": broker.pk}, format="json").json()
    assert taken["owner"] == "broker"
    assert taken["status"] == "in_progress"  # taken: someone is working it
    assert [c["id"] for c in api.get("/api/v1/gap-cases/?mine=true").json()["results"]] == [case.pk]
    assert api.get("/api/v1/gap-cases/?unassigned=true").json()["results"] == []
    moved = api.post(url + "status/", {"status": "open"}, format="json").json()
    assert moved["status"] == "open"
    note = api.post(url + "notes/", {"text": "Rang three roofers"}, format="json")
    assert note.status_code == 201 and note.json()["author"] == "broker"
    history = [n["text"] for n in api.get(url + "notes/").json()]
    assert history[-1] == "Rang three roofers" and len(history) == 5


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("status/", {"status": "lost"}, "status"),
        ("status/", {"status": "resolved"}, "note"),
        ("assign/", {"owner": 999999}, "owner"),
        ("assign/", {}, "owner"),
        ("notes/", {"text": ""}, "text"),
    ],
)
def test_bad_casework_is_a_400_naming_the_field(client_for, broker, case, path, body, field):
    answer = client_for(broker).post(f"/api/v1/gap-cases/{case.pk}/{path}", body, format="json")
    assert answer.status_code == 400 and field in answer.json()["fields"]
    case.refresh_from_db()
    assert (case.status, case.owner, case.notes.count()) == ("open", None, 1)


def test_assigning_to_someone_not_a_broker_is_refused(client_for, broker, vcs_member, case):
    answer = client_for(broker).post(
        f"/api/v1/gap-cases/{case.pk}/assign/", {"owner": vcs_member.pk}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["fields"] == {"owner": ["Not a broker of this area."]}
    assert GapCase.objects.get().owner is None


def test_only_brokers_see_cases(client_for, vcs_member, business_member, case):
    for user in (vcs_member, business_member):
        assert client_for(user).get("/api/v1/gap-cases/").status_code == 403
        assert client_for(user).get(f"/api/v1/gap-cases/{case.pk}/").status_code == 403


def test_the_unmet_view_names_the_businesses_holding_each_skill(client_for, broker, vcs):
    payroll, plumbing = (factories.SkillFactory(name=n) for n in ("Payroll", "Plumbing"))
    factories.OfferFactory(organisation__name="Wages Ltd", skills=[payroll])
    factories.OfferFactory(organisation__name="Pipes Ltd", skills=[plumbing])
    factories.NeedFactory(organisation=vcs, skills=[payroll, plumbing])

    (gap,) = client_for(broker).get("/api/v1/unmet-needs/").json()["results"]

    assert gap["reasons"] == [
        "each skill is offered, but by different businesses: no one offer has them all"
    ]
    assert gap["missing_skills"] == []
    assert gap["offered_by"] == {payroll.slug: ["Wages Ltd"], plumbing.slug: ["Pipes Ltd"]}
