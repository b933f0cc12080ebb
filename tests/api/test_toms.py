"""TOMs reporting through the API: commitments, contributions, the TOMs return as JSON and
as CSV in a contract manager's columns, and each time entry's measure and £."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from brokerage.datasets.reference_data import load_measures
from brokerage.models import Contribution
from brokerage.services import hours, social_value
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def lighting(business, broker):
    load_measures()
    return social_value.create_contract(
        organisation=business, by=broker, title="Street lighting PFI",
        starts_on=dt.date(2025, 6, 1), ends_on=dt.date(2035, 5, 31),
        committed_hours=Decimal(500),
    )  # fmt: skip


def test_a_broker_sets_commitments_records_a_contribution_and_downloads_the_return(
    client_for, broker, business, business_member, lighting
):
    api = client_for(broker)
    set_ = api.post(
        f"/api/v1/contracts/{lighting.pk}/commitments/",
        {"kind": "equipment", "quantity": "2000"}, format="json",
    )  # fmt: skip
    assert set_.status_code == 200 and set_.json()[0]["kind"] == "equipment"
    given = api.post(
        "/api/v1/contributions/",
        {"organisation": business.pk, "kind": "equipment", "amount": "650",
         "date": "2026-06-10", "description": "Six laptops"}, format="json",
    )  # fmt: skip
    assert given.status_code == 201
    assert (given.json()["measure_code"], given.json()["value"], given.json()["contract"]) == (
        "NT16", "650.00", lighting.pk,
    )  # fmt: skip

    answer = client_for(business_member).get(f"/api/v1/contracts/{lighting.pk}/toms/?format=csv")

    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert list(rows[0]) == [
        "period_from", "period_to", "measure", "description", "unit", "committed",
        "delivered", "social_value",
    ]  # fmt: skip
    nt16 = [r for r in rows if r["measure"] == "NT16"]
    assert [(r["period_from"], r["committed"], r["delivered"]) for r in nt16][-1] == (
        "2026-06-01", "2000.00", "650.00",
    )  # fmt: skip
    mine = client_for(business_member).get("/api/v1/contributions/").json()["results"]
    assert [c["description"] for c in mine] == ["Six laptops"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "expert"}, "kind"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"date": "soon"}, "date"),
        ({"organisation": 999999}, "organisation"),
    ],
)
def test_bad_contributions_are_a_400_naming_the_field(
    client_for, broker, business, lighting, body, field
):
    valid = {"organisation": business.pk, "kind": "donation", "amount": "100",
             "date": "2026-06-10", "description": "Gift"}  # fmt: skip
    answer = client_for(broker).post("/api/v1/contributions/", valid | body, format="json")
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not Contribution.objects.exists()


def test_only_brokers_record_contributions(client_for, business, business_member, lighting):
    answer = client_for(business_member).post(
        "/api/v1/contributions/",
        {"organisation": business.pk, "kind": "donation", "amount": "100",
         "date": "2026-06-10", "description": "Gift"}, format="json",
    )  # fmt: skip
    assert answer.status_code == 403 and not Contribution.objects.exists()


def test_a_confirmed_time_entry_shows_its_measure_and_value(
    client_for, business, vcs, vcs_member, lighting
):
    skill = factories.SkillFactory(is_expert_advice=True)
    match = factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business, skills=[skill]),
        need=factories.NeedFactory(organisation=vcs, skills=[skill]),
    )
    volunteer = factories.VolunteerFactory(organisation=business)
    entry = hours.log_time(
        match=match, volunteer=volunteer, date=dt.date(2026, 6, 10), hours=Decimal(2),
        leave_type="own_time", description="Helped", by=volunteer.user,
    )  # fmt: skip
    before = client_for(volunteer.user).get(f"/api/v1/time-entries/{entry.pk}/").json()
    assert (before["measure_code"], before["value"]) == (None, None)
    hours.confirm_time(entry=entry, by=vcs_member)
    after = client_for(volunteer.user).get(f"/api/v1/time-entries/{entry.pk}/").json()
    assert (after["measure_code"], after["value"]) == ("NT15", "202.00")
