"""TOMs-grade contract reporting: the seven measures councils ask for most, as dated data
with units; time valued under an hours measure, equipment and money recorded as
contributions; each contract's return by measure and contract year against what was
committed; one credits formula with a worked example."""

import datetime as dt
from decimal import Decimal

import pytest

from brokerage import reports
from brokerage.datasets.reference_data import load_measures
from brokerage.errors import InvalidInput, NotAllowed
from brokerage.models import Contribution, CreditEntry, SocialValueMeasure, Theme
from brokerage.services import hours, social_value
from tests import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def measures(db):
    load_measures()


@pytest.fixture
def lighting(business, broker):
    return social_value.create_contract(
        organisation=business, by=broker, title="Street lighting PFI",
        starts_on=dt.date(2025, 6, 1), ends_on=dt.date(2035, 5, 31),
        committed_hours=Decimal(500),
    )  # fmt: skip


def confirmed(business, vcs, vcs_member, amount, *, expert=True, day=DAY, ward=None, themes=()):
    skill = factories.SkillFactory(is_expert_advice=expert)
    need = factories.NeedFactory(
        organisation=vcs, skills=[skill], **({"ward": ward} if ward else {})
    )
    need.themes.add(*themes)
    match = factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business, skills=[skill]), need=need
    )
    volunteer = factories.VolunteerFactory(organisation=business)
    entry = hours.log_time(
        match=match, volunteer=volunteer, date=day, hours=Decimal(amount),
        leave_type="own_time", description="Helped", by=volunteer.user,
    )  # fmt: skip
    return hours.confirm_time(entry=entry, by=vcs_member)


def test_the_seven_measures_are_data_with_units_and_rates():
    rows = {m.code: (m.unit, m.kind, m.rate) for m in SocialValueMeasure.objects.all()}
    assert rows == {
        "NT7": ("hours", "youth_work", Decimal("0.00")),  # the council sets this rate
        "NT8": ("hours", "schools", Decimal("0.00")),
        "NT15": ("hours", "expert", Decimal("101.00")),
        "NT16": ("£", "equipment", Decimal("1.00")),
        "NT17": ("hours", "volunteering", Decimal("16.93")),
        "NT28": ("£", "donation", Decimal("1.00")),
        "NT29": ("hours", "community", Decimal("16.93")),
    }


def test_the_toms_return_breaks_a_contract_down_by_measure_and_year(
    business, vcs, vcs_member, broker, lighting
):
    for kind, quantity in (("expert", 100), ("volunteering", 400), ("equipment", 2000)):
        social_value.set_commitment(contract=lighting, kind=kind, quantity=quantity, by=broker)
    confirmed(business, vcs, vcs_member, 6, day=dt.date(2025, 7, 1))  # year 1, NT15
    confirmed(business, vcs, vcs_member, 4)  # year 2, NT15
    confirmed(business, vcs, vcs_member, 3, expert=False)  # year 2, NT17
    social_value.record_contribution(
        organisation=business, kind="equipment", amount=Decimal(650), date=DAY,
        description="Six laptops", by=broker,
    )  # fmt: skip

    lines = reports.toms_return(lighting, today=dt.date(2026, 11, 25))

    table = [
        (line["period_from"].year, line["measure"], line["unit"], line["committed"],
         line["delivered"], line["social_value"])
        for line in lines
    ]  # fmt: skip
    assert table == [
        (2025, "NT15", "hours", Decimal(100), Decimal(6), Decimal("606.00")),
        (2025, "NT16", "£", Decimal(2000), Decimal(0), Decimal(0)),
        (2025, "NT17", "hours", Decimal(400), Decimal(0), Decimal(0)),
        (2026, "NT15", "hours", Decimal(100), Decimal(4), Decimal("404.00")),
        (2026, "NT16", "£", Decimal(2000), Decimal(650), Decimal("650.00")),
        (2026, "NT17", "hours", Decimal(400), Decimal(3), Decimal("50.79")),
    ]
    statement = reports.contract_statement(lighting, today=dt.date(2026, 11, 25))
    assert statement[1]["delivered_value"] == Decimal("1104.79")  # time and the laptops


def test_a_broker_counts_time_under_another_hours_measure_at_the_councils_rate(
    business, vcs, vcs_member, broker
):
    SocialValueMeasure.objects.create(
        code="NT7", name="Young people into work", unit="hours", kind="youth_work",
        rate=Decimal("35.00"), valid_from=dt.date(2026, 4, 1),
    )  # fmt: skip
    entry = confirmed(business, vcs, vcs_member, 2)
    social_value.set_match_valuation(match=entry.match, by=broker, measure_kind="youth_work")

    entry.refresh_from_db()
    assert (entry.measure.code, entry.value) == ("NT7", Decimal("70.00"))
    with pytest.raises(InvalidInput, match="hours measure"):
        social_value.set_match_valuation(match=entry.match, by=broker, measure_kind="equipment")


def test_credits_formula_worked_example(business, vcs, vcs_member):
    """7.5 hours on a need serving a council priority, in a ward with 1 of its 10
    neighbourhoods in England's most deprived tenth, at the default weights:
    7.5 × 1 credit an hour × (1 + 0.25 + 0.5 × 1/10) = 7.5 × 1.30 = 9.75 credits."""
    ward = factories.WardFactory(imd_lsoa_count=10, imd_lsoas_in_decile_1=1)
    theme = Theme.objects.create(slug="homelessness", name="Homelessness")
    entry = confirmed(business, vcs, vcs_member, "7.5", ward=ward, themes=[theme])
    assert CreditEntry.objects.get(time_entry=entry).credits == Decimal("9.75")


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"kind": "expert"}, InvalidInput, "kind"),  # time is logged, not recorded here
        ({"amount": Decimal(0)}, InvalidInput, "amount"),
        ({"description": ""}, InvalidInput, "description"),
        ({"date": dt.date(2020, 1, 1)}, InvalidInput, "date"),  # before any rate
    ],
)
def test_bad_contributions_are_refused_and_record_nothing(business, broker, fields, error, field):
    values = {"kind": "equipment", "amount": Decimal(100), "date": DAY, "description": "Desks"}
    with pytest.raises(error) as refused:
        social_value.record_contribution(organisation=business, by=broker, **(values | fields))
    assert field in refused.value.fields
    assert not Contribution.objects.exists()


def test_only_brokers_record_contributions_for_businesses_and_their_own_contracts(
    business, vcs, business_member, broker, lighting
):
    values = {"kind": "donation", "amount": Decimal(100), "date": DAY, "description": "Gift"}
    with pytest.raises(NotAllowed):
        social_value.record_contribution(organisation=business, by=business_member, **values)
    with pytest.raises(InvalidInput, match="from businesses"):
        social_value.record_contribution(organisation=vcs, by=broker, **values)
    other = factories.BusinessFactory()
    with pytest.raises(InvalidInput) as refused:
        social_value.record_contribution(organisation=other, by=broker, contract=lighting, **values)
    assert "contract" in refused.value.fields
    given = social_value.record_contribution(organisation=business, by=broker, **values)
    assert (given.contract, given.measure.code, given.value) == (lighting, "NT28", Decimal(100))


def test_bad_commitments_are_refused(broker, business_member, lighting):
    with pytest.raises(InvalidInput):
        social_value.set_commitment(contract=lighting, kind="lost", quantity=1, by=broker)
    with pytest.raises(InvalidInput):
        social_value.set_commitment(contract=lighting, kind="expert", quantity=-1, by=broker)
    with pytest.raises(NotAllowed):
        social_value.set_commitment(
            contract=lighting, kind="expert", quantity=1, by=business_member
        )
    assert not lighting.commitments.exists()
    social_value.set_commitment(contract=lighting, kind="expert", quantity=5, by=broker)
    social_value.set_commitment(contract=lighting, kind="expert", quantity=8, by=broker)
    assert list(lighting.commitments.values_list("kind", "quantity")) == [("expert", 8)]
