"""Social value: confirmed time valued at the rate of its day under the measure its skills
call for, at most one contract per hour, and Social Value Credits for the business."""

import datetime as dt
from decimal import Decimal

import pytest

from brokerage import reports, selectors
from brokerage.datasets.reference_data import load_measures
from brokerage.errors import InvalidInput, NotAllowed
from brokerage.models import CreditEntry, SocialValueMeasure, TimeEntry
from brokerage.services import hours, social_value
from tests import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def measures(db):
    load_measures()  # NT15 £101.00 / expert hour, NT17 £16.93 / volunteering hour


@pytest.fixture
def ward():
    return factories.WardFactory(imd_lsoa_count=8, imd_lsoas_in_decile_1=4)


def delivery(business, vcs, ward, *, expert=True, themes=()):
    skill = factories.SkillFactory(is_expert_advice=expert)
    need = factories.NeedFactory(organisation=vcs, ward=ward, skills=[skill])
    need.themes.add(*themes)
    match = factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business, skills=[skill]), need=need
    )
    return match, factories.VolunteerFactory(organisation=business)


def give(match, volunteer, amount, day=DAY):
    return hours.log_time(
        match=match, volunteer=volunteer, date=day, hours=Decimal(amount),
        leave_type="own_time", description="Helped", by=volunteer.user,
    )  # fmt: skip


def test_expert_advice_counts_as_nt15_and_earns_credits(business, vcs, vcs_member, ward):
    match, volunteer = delivery(business, vcs, ward, expert=True)
    entry = give(match, volunteer, 5)

    assert entry.value is None and not CreditEntry.objects.exists()  # unconfirmed: nothing
    hours.confirm_time(entry=entry, by=vcs_member)

    entry.refresh_from_db()
    assert entry.measure.code == "NT15" and entry.value == Decimal("505.00")
    credit = CreditEntry.objects.get(time_entry=entry)
    assert credit.organisation == business
    assert credit.credits == Decimal("6.25")  # 5 h × 1 × (1 + 0.5 × 4/8 of LSOAs in decile 1)


def test_practical_help_counts_as_volunteering_hours(business, vcs, vcs_member, ward):
    match, volunteer = delivery(business, vcs, ward, expert=False)
    entry = give(match, volunteer, 3)
    hours.confirm_time(entry=entry, by=vcs_member)

    entry.refresh_from_db()
    assert entry.measure.code == "NT17" and entry.value == Decimal("50.79")


def test_a_broker_overrides_the_measure_and_confirmed_time_is_revalued(
    business, vcs, vcs_member, broker, business_member, ward
):
    match, volunteer = delivery(business, vcs, ward, expert=True)
    entry = give(match, volunteer, 2)
    hours.confirm_time(entry=entry, by=vcs_member)

    with pytest.raises(NotAllowed):
        social_value.set_match_valuation(
            match=match, by=business_member, measure_kind="volunteering"
        )
    social_value.set_match_valuation(match=match, by=broker, measure_kind="volunteering")

    entry.refresh_from_db()
    assert entry.measure.code == "NT17" and entry.value == Decimal("33.86")
    with pytest.raises(InvalidInput):
        social_value.set_match_valuation(match=match, by=broker, measure_kind="charity")


def test_time_is_valued_at_the_rate_of_the_day_it_was_given(business, vcs, vcs_member, ward):
    SocialValueMeasure.objects.create(
        code="NT15", name="Expert advice", kind="expert", rate=Decimal("110.00"),
        valid_from=dt.date(2026, 4, 1),
    )  # fmt: skip
    match, volunteer = delivery(business, vcs, ward)
    before = give(match, volunteer, 1, day=dt.date(2026, 3, 31))
    after = give(match, volunteer, 1, day=dt.date(2026, 4, 1))
    for entry in (before, after):
        hours.confirm_time(entry=entry, by=vcs_member)

    values = [TimeEntry.objects.get(pk=e.pk).value for e in (before, after)]
    assert values == [Decimal("101.00"), Decimal("110.00")]


def test_the_deprivation_multiplier_applies_only_when_switched_on(business, vcs, vcs_member, ward):
    rules = selectors.social_value_policy()
    rules.deprivation_multiplier_on = True
    rules.save()
    match, volunteer = delivery(business, vcs, ward, expert=False)
    entry = give(match, volunteer, 4)
    hours.confirm_time(entry=entry, by=vcs_member)

    entry.refresh_from_db()
    assert entry.value == Decimal("84.65")  # 4 × 16.93 × 1.25


def test_time_on_a_priority_theme_earns_more_credits(business, vcs, vcs_member):
    plain_ward = factories.WardFactory()
    match, volunteer = delivery(
        business, vcs, plain_ward, themes=[factories.ThemeFactory(name="Homelessness")]
    )
    entry = give(match, volunteer, 4)
    hours.confirm_time(entry=entry, by=vcs_member)

    assert CreditEntry.objects.get(time_entry=entry).credits == Decimal("5.00")  # 4 × 1.25
    statement = selectors.credit_statement(business)
    assert statement["total"] == Decimal("5.00") and len(statement["entries"]) == 1


def contract(business, broker, **fields):
    values = {"title": "Street lighting PFI", "starts_on": dt.date(2026, 1, 1),
              "ends_on": dt.date(2050, 12, 31), "committed_hours": Decimal(500)}  # fmt: skip
    return social_value.create_contract(organisation=business, by=broker, **values | fields)


def test_each_hour_counts_towards_at_most_one_contract(business, vcs, vcs_member, broker, ward):
    lighting = contract(business, broker)
    match, volunteer = delivery(business, vcs, ward)
    inside = give(match, volunteer, 3)
    outside = give(match, volunteer, 2, day=dt.date(2025, 12, 31))  # before it started
    for entry in (inside, outside):
        hours.confirm_time(entry=entry, by=vcs_member)

    assert TimeEntry.objects.get(pk=inside.pk).contract == lighting
    assert TimeEntry.objects.get(pk=outside.pk).contract is None

    # A second running contract: time goes to the one the match names, never both.
    schools = contract(business, broker, title="Schools FM", committed_value=Decimal(20000))
    later = give(match, volunteer, 1)
    hours.confirm_time(entry=later, by=vcs_member)
    assert TimeEntry.objects.get(pk=later.pk).contract is None  # ambiguous: not guessed
    social_value.set_match_valuation(match=match, by=broker, contract=schools)
    assert set(TimeEntry.objects.filter(contract=schools).values_list("pk", flat=True)) == {
        inside.pk, later.pk
    }  # fmt: skip
    assert not TimeEntry.objects.filter(contract=lighting).exists()


def test_contract_statement_shows_delivered_against_committed(
    business, vcs, vcs_member, broker, ward
):
    lighting = contract(business, broker, starts_on=dt.date(2025, 6, 1))
    match, volunteer = delivery(business, vcs, ward)
    hours.confirm_time(entry=give(match, volunteer, 3, day=dt.date(2025, 7, 1)), by=vcs_member)
    hours.confirm_time(entry=give(match, volunteer, 4), by=vcs_member)  # 10 June 2026
    give(match, volunteer, 3)  # not confirmed (10 June 2026 too): does not count

    rows = reports.contract_statement(lighting, today=dt.date(2026, 11, 25))

    assert [(r["year_from"], r["delivered_hours"], r["delivered_value"]) for r in rows] == [
        (dt.date(2025, 6, 1), Decimal(3), Decimal("303.00")),
        (dt.date(2026, 6, 1), Decimal(4), Decimal("404.00")),
    ]
    assert rows[0]["committed_hours"] == 500


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"committed_hours": None}, "hours or £"),
        ({"ends_on": dt.date(2025, 1, 1)}, "ends before it starts"),
        ({"title": ""}, "cannot be blank"),
        ({"committed_hours": Decimal(-5)}, "greater than or equal to 0"),
    ],
)
def test_bad_contracts_are_refused(business, broker, fields, message):
    with pytest.raises(InvalidInput, match=message):
        contract(business, broker, **fields)


def test_only_brokers_record_contracts_and_only_with_businesses(
    business, vcs, business_member, broker
):
    with pytest.raises(NotAllowed):
        contract(business, business_member)
    with pytest.raises(InvalidInput, match="with businesses"):
        contract(vcs, broker)


# --- a council's own rates --------------------------------------------------------------------


def test_a_councils_own_rate_values_what_counts_for_it_and_the_national_rate_the_rest(
    business, vcs, vcs_member, broker, ward
):
    from brokerage.models import Contract
    from tests.factories import SOLIHULL

    solihull = factories.AuthorityFactory(gss_code=SOLIHULL, name="Solihull")
    SocialValueMeasure.objects.create(
        code="NT15", name="Expert advice", kind="expert", rate=Decimal("120.00"),
        valid_from=dt.date(2026, 1, 1), council=solihull,
    )  # fmt: skip
    in_solihull = factories.WardFactory(
        ward_set=factories.WardSetFactory(slug="solihull", council=solihull)
    )
    coventry_help, volunteer = delivery(business, vcs, ward)  # no contract: Coventry's ward
    solihull_help, _ = delivery(business, vcs, in_solihull)  # no contract: Solihull's ward
    before = dt.date(2026, 5, 20)  # before the contract below starts
    entries = [give(coventry_help, volunteer, 1, before), give(solihull_help, volunteer, 1, before)]
    Contract.objects.create(
        organisation=business, council=solihull, title="Solihull street lighting",
        starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2030, 1, 1), committed_hours=100,
    )  # fmt: skip
    entries.append(give(coventry_help, volunteer, 1))  # counts for Solihull's contract
    for entry in entries:
        hours.confirm_time(entry=entry, by=vcs_member)

    values = [TimeEntry.objects.get(pk=e.pk).value for e in entries]
    assert values == [Decimal("101.00"), Decimal("120.00"), Decimal("120.00")]
    assert TimeEntry.objects.get(pk=entries[2].pk).contract.council == solihull


def test_a_contribution_is_valued_at_its_contracts_councils_own_rate(business, broker):
    from brokerage.models import Contract

    lighting = contract(business, broker)  # let by Coventry, the broker's council
    national = social_value.measure_on("equipment", DAY)
    SocialValueMeasure.objects.create(
        code=national.code, name=national.name, unit=national.unit, kind="equipment",
        rate=national.rate * 2, valid_from=dt.date(2026, 1, 1), council=lighting.council,
    )  # fmt: skip

    given = social_value.record_contribution(
        organisation=business, kind="equipment", amount=Decimal(100), date=DAY,
        description="Laptops", by=broker, contract=lighting,
    )  # fmt: skip

    assert given.value == (Decimal(100) * national.rate * 2).quantize(Decimal("0.01"))
    assert Contract.objects.get(pk=lighting.pk).council_id == given.measure.council_id


# --- a council's own policy (weights and credits) --------------------------------------------


def test_a_councils_own_policy_weights_what_counts_for_it_and_the_services_the_rest(
    business, vcs, vcs_member, ward
):
    from brokerage.models import SocialValuePolicy
    from tests.factories import SOLIHULL

    SocialValuePolicy.objects.create(credits_per_hour=Decimal(2))  # the service's
    solihull = factories.AuthorityFactory(gss_code=SOLIHULL, name="Solihull")
    SocialValuePolicy.objects.create(
        council=solihull, credits_per_hour=Decimal(3), deprivation_multiplier_on=True
    )
    in_solihull = factories.WardFactory(
        imd_lsoa_count=8, imd_lsoas_in_decile_1=4,
        ward_set=factories.WardSetFactory(slug="solihull", council=solihull),
    )  # fmt: skip
    coventry_help, volunteer = delivery(business, vcs, ward, expert=False)
    solihull_help, _ = delivery(business, vcs, in_solihull, expert=False)
    next_day = DAY + dt.timedelta(days=1)
    entries = [give(coventry_help, volunteer, 4), give(solihull_help, volunteer, 4, next_day)]
    for entry in entries:
        hours.confirm_time(entry=entry, by=vcs_member)

    values = [TimeEntry.objects.get(pk=e.pk).value for e in entries]
    credits = [CreditEntry.objects.get(time_entry=e).credits for e in entries]
    # Both wards have half their neighbourhoods in the most deprived tenth (weight 0.5 → 1.25).
    assert values == [Decimal("67.72"), Decimal("84.65")]  # 4 × £16.93; Solihull's × 1.25
    assert credits == [Decimal("10.00"), Decimal("15.00")]  # 4 × 2 × 1.25; 4 × 3 × 1.25


def test_without_a_saved_policy_the_defaults_apply_to_every_council():
    from tests.factories import SOLIHULL

    factories.AuthorityFactory(gss_code=SOLIHULL, name="Solihull")
    for council in (None, SOLIHULL):
        rules = selectors.social_value_policy(council)
        assert rules.pk is None and rules.credits_per_hour == Decimal("1.00")
        assert not rules.deprivation_multiplier_on


def test_one_policy_per_council_and_one_for_the_service(db):
    from django.db import IntegrityError, transaction

    from brokerage.models import SocialValuePolicy
    from tests.factories import SOLIHULL

    solihull = factories.AuthorityFactory(gss_code=SOLIHULL, name="Solihull")
    SocialValuePolicy.objects.create()
    SocialValuePolicy.objects.create(council=solihull)
    for council in (None, solihull):
        with pytest.raises(IntegrityError), transaction.atomic():
            SocialValuePolicy.objects.create(council=council, credits_per_hour=Decimal(5))
    assert SocialValuePolicy.objects.count() == 2
    assert selectors.social_value_policy(SOLIHULL).council == solihull
