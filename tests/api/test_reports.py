"""Reports, contracts, credits and valuation through the API; CSV downloads parse back to
the same numbers as the JSON."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from brokerage.datasets.reference_data import load_measures
from brokerage.models import Membership
from tests import factories
from tests.brokerage.test_reports import market  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def parse_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def as_text(rows: list[dict]) -> list[dict]:
    return [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("dimension", ["ward", "theme", "business", "skill_category", "month"])
def test_csv_parses_back_to_the_json(client_for, broker, market, dimension):  # noqa: F811
    client = client_for(broker)

    json_rows = client.get(f"/api/v1/reports/{dimension}/").json()
    csv_rows = parse_csv(client.get(f"/api/v1/reports/{dimension}/?format=csv"))

    assert csv_rows == as_text(json_rows)
    assert json_rows[-1]["group"] == "Total"


def test_broker_report_totals(client_for, broker, market):  # noqa: F811
    total = client_for(broker).get("/api/v1/reports/ward/").json()[-1]

    assert total["hours_confirmed"] == "11.50" and total["social_value"] == "825.22"
    assert total["days_delivered"] == "1.53" and total["median_days_to_match"] == 2.5


def test_a_business_sees_only_its_own_figures(client_for, market):  # noqa: F811
    member = factories.MembershipFactory(organisation=market["mercia"]).user
    client = client_for(member)

    total = client.get("/api/v1/reports/business/").json()[-1]
    assert (total["days_offered"], total["hours_confirmed"]) == (10, "7.50")
    other = client.get(f"/api/v1/reports/ward/?organisation={market['charity'].pk}")
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("/api/v1/reports/planet/", 404),
        ("/api/v1/reports/ward/?date_from=yesterday", 400),
        ("/api/v1/reports/ward/?date_from=2026-05-01&date_to=2026-04-01", 400),
        ("/api/v1/reports/ward/?organisation=0", 400),
        ("/api/v1/reports/ward/?organisation=999999", 404),
    ],
)
def test_bad_report_queries(client_for, broker, url, code):
    response = client_for(broker).get(url)

    assert response.status_code == code
    assert set(response.json()) == {"code", "detail", "fields"}


def test_reports_need_an_organisation_or_a_broker(client_for, outsider, business):
    assert client_for(None).get("/api/v1/reports/ward/").status_code == 401
    loner = factories.UserFactory()
    assert client_for(loner).get("/api/v1/reports/ward/").status_code == 403
    Membership.objects.create(user=outsider, organisation=business)  # now in two
    response = client_for(outsider).get("/api/v1/reports/ward/")
    assert response.status_code == 400 and "organisation" in response.json()["fields"]


def test_contracts_statement_and_credits(
    client_for, broker, business, business_member, vcs, vcs_member
):
    load_measures()
    body = {
        "organisation": business.pk, "title": "Street lighting PFI", "reference": "SL-01",
        "starts_on": "2026-01-01", "ends_on": "2050-12-31", "committed_hours": "500",
    }  # fmt: skip
    assert client_for(business_member).post("/api/v1/contracts/", body).status_code == 403
    bad = client_for(broker).post("/api/v1/contracts/", body | {"ends_on": "2025-01-01"})
    assert bad.status_code == 400 and "ends before it starts" in bad.json()["detail"]
    created = client_for(broker).post("/api/v1/contracts/", body)
    assert created.status_code == 201
    contract = created.json()["id"]

    skill = factories.SkillFactory(is_expert_advice=True)
    match = factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business, skills=[skill]),
        need=factories.NeedFactory(organisation=vcs, skills=[skill]),
    )
    volunteer = factories.VolunteerFactory(organisation=business)
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    entry = client_for(volunteer.user).post(
        "/api/v1/time-entries/",
        {"match": match.pk, "volunteer": volunteer.pk, "date": day, "hours": "2",
         "leave_type": "own_time", "description": "Payroll advice"},
    ).json()  # fmt: skip
    client_for(vcs_member).post(f"/api/v1/time-entries/{entry['id']}/confirm/")

    statement = client_for(business_member).get(f"/api/v1/contracts/{contract}/statement/")
    assert statement.json()[-1]["delivered_hours"] == "2.00"
    assert statement.json()[-1]["delivered_value"] == "202.00"
    rows = parse_csv(
        client_for(business_member).get(f"/api/v1/contracts/{contract}/statement/?format=csv")
    )
    assert rows[-1]["committed_hours"] == "500.00"

    credits = parse_csv(
        client_for(business_member).get(f"/api/v1/organisations/{business.pk}/credits/?format=csv")
    )
    assert sum(Decimal(row["credits"]) for row in credits) == Decimal("2.00")
    assert (
        client_for(vcs_member).get(f"/api/v1/organisations/{business.pk}/credits/").status_code
        == 403
    )


def test_only_brokers_change_a_matchs_valuation(client_for, broker, vcs_member, vcs):
    match = factories.AcceptedMatchFactory(need=factories.NeedFactory(organisation=vcs))
    url = f"/api/v1/matches/{match.pk}/valuation/"

    assert client_for(vcs_member).post(url, {"measure_kind": "expert"}).status_code == 403
    response = client_for(broker).post(url, {"measure_kind": "expert"})
    assert response.status_code == 200
    assert client_for(broker).post(url, {"measure_kind": "magic"}).status_code == 400


def test_skills_gap_as_csv(client_for, broker):
    ward = factories.WardFactory(name="Foleshill")
    factories.NeedFactory(ward=ward, skills=[factories.SkillFactory(name="Bookkeeping")])

    rows = parse_csv(client_for(broker).get("/api/v1/reports/skills-gap/?format=csv"))

    assert rows == [{"ward": "Foleshill", "skill": "Bookkeeping", "needs_asking": "1",
                     "offers_giving": "0", "gap": "1"}]  # fmt: skip
