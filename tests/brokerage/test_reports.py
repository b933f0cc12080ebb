"""Reports against a hand-computed fixture: two needs, two offers, two matches, confirmed
and unconfirmed time. Every figure below was worked out by hand from the rows."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from brokerage import reports
from brokerage.models import CreditEntry, MatchStatus, TimeEntry
from tests import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def market():
    foleshill, earlsdon = (
        factories.WardFactory(name="Foleshill"),
        factories.WardFactory(name="Earlsdon"),
    )
    hr = factories.SkillFactory(
        name="HR policy", category=factories.SkillCategoryFactory(name="HR and people")
    )
    plumbing = factories.SkillFactory(
        name="Plumbing", category=factories.SkillCategoryFactory(name="Trades")
    )
    homelessness = factories.ThemeFactory(name="Homelessness")
    mercia = factories.BusinessFactory(name="Mercia Lighting")
    brightwire = factories.BusinessFactory(name="Brightwire IT")
    charity = factories.VcsFactory(name="Foleshill Food Bank")

    n1 = factories.NeedFactory(
        organisation=charity, ward=foleshill, skills=[hr], days_needed=4, days_reserved=4,
        status="fully_matched", published_at=at(2026, 3, 2, 10),
    )  # fmt: skip
    n1.themes.add(homelessness)
    n2 = factories.NeedFactory(
        organisation=charity, ward=earlsdon, skills=[plumbing], days_needed=2, days_reserved=2,
        status="fully_matched", published_at=at(2026, 4, 10, 9),
    )  # fmt: skip
    o1 = factories.OfferFactory(
        organisation=mercia, skills=[hr], days_offered=10, published_at=at(2026, 3, 1, 9)
    )
    o1.wards.add(foleshill)
    o2 = factories.OfferFactory(  # city-wide
        organisation=brightwire, skills=[plumbing], days_offered=3, published_at=at(2026, 4, 1)
    )
    factories.OfferFactory(organisation=mercia, status="draft", published_at=None)  # not posted

    m1 = factories.AcceptedMatchFactory(
        offer=o1, need=n1, days=4, status=MatchStatus.COMPLETED, accepted_at=at(2026, 3, 5, 10)
    )
    m2 = factories.AcceptedMatchFactory(
        offer=o2, need=n2, days=2, status=MatchStatus.IN_PROGRESS, accepted_at=at(2026, 4, 12, 9)
    )
    factories.MatchFactory(offer=o2, need=n1, days=1)  # only proposed: never counts

    def time(match, day, hours, status="confirmed", value=None, credits=None):
        volunteer = factories.VolunteerFactory(organisation=match.offer.organisation)
        entry = TimeEntry.objects.create(
            match=match, volunteer=volunteer,
            date=day, hours=Decimal(hours), leave_type="own_time", description="x",
            status=status, reviewed_at=at(2026, 5, 1) if status == "confirmed" else None,
            value=value,
        )  # fmt: skip
        if credits is not None:
            CreditEntry.objects.create(
                organisation=match.offer.organisation, time_entry=entry, credits=Decimal(credits),
                reason="x",
            )  # fmt: skip

    time(m1, dt.date(2026, 3, 10), "7.5", value=Decimal("757.50"), credits="9.38")
    time(m1, dt.date(2026, 3, 11), "3", status="pending")  # unconfirmed: never counts
    time(m2, dt.date(2026, 4, 15), "4", value=Decimal("67.72"), credits="4.00")
    return {"mercia": mercia, "charity": charity}


def by_group(rows):
    return {row["group"]: row for row in rows}


def test_by_ward(market):
    rows = by_group(reports.summary("ward"))

    assert set(rows) == {"Earlsdon", "Foleshill", reports.CITY_WIDE, "Total"}
    foleshill = rows["Foleshill"]
    assert foleshill == {
        "group": "Foleshill", "needs_posted": 1, "needs_matched": 1, "needs_met": 1,
        "days_offered": 10, "days_matched": 4, "days_delivered": Decimal("1.00"),
        "hours_confirmed": Decimal("7.5"), "social_value": Decimal("757.50"),
        "credits": Decimal("9.38"), "median_days_to_match": 3.0,
    }  # fmt: skip
    assert rows["Earlsdon"]["needs_met"] == 0 and rows["Earlsdon"]["days_offered"] == 0
    assert rows["Earlsdon"]["median_days_to_match"] == 2.0
    assert rows[reports.CITY_WIDE]["days_offered"] == 3
    total = rows["Total"]
    assert (total["needs_posted"], total["needs_matched"], total["needs_met"]) == (2, 2, 1)
    assert (total["days_offered"], total["days_matched"]) == (13, 6)
    assert total["hours_confirmed"] == Decimal("11.5")
    assert total["days_delivered"] == Decimal("1.53")
    assert total["social_value"] == Decimal("825.22")
    assert total["credits"] == Decimal("13.38")
    assert total["median_days_to_match"] == 2.5


def test_by_month_theme_business_and_category(market):
    month = by_group(reports.summary("month"))
    assert (month["2026-03"]["needs_posted"], month["2026-03"]["days_offered"]) == (1, 10)
    assert month["2026-04"]["hours_confirmed"] == Decimal(4)

    theme = by_group(reports.summary("theme"))
    assert set(theme) == {"Homelessness", "Total"}
    assert theme["Homelessness"]["hours_confirmed"] == Decimal("7.5")
    assert theme["Homelessness"]["days_offered"] == 0  # offers serve no theme

    business = by_group(reports.summary("business"))
    assert business["Mercia Lighting"]["days_offered"] == 10  # the draft is not counted
    assert business["Brightwire IT"]["social_value"] == Decimal("67.72")

    category = by_group(reports.summary("skill_category"))
    assert category["Trades"]["days_matched"] == 2 and category["HR and people"]["needs_met"] == 1


def test_an_organisation_sees_only_its_own(market):
    rows = by_group(reports.summary("ward", reports.Scope(organisation=market["mercia"])))

    assert rows["Total"]["needs_posted"] == 0  # a business posts no needs
    assert (rows["Total"]["days_offered"], rows["Total"]["days_matched"]) == (10, 4)
    assert rows["Total"]["hours_confirmed"] == Decimal("7.5")


def test_a_period_counts_what_happened_in_it(market):
    march = by_group(reports.summary("ward", reports.Scope(date_to=dt.date(2026, 3, 31))))

    assert march["Total"]["needs_posted"] == 1
    assert (march["Total"]["days_offered"], march["Total"]["days_matched"]) == (10, 4)
    assert march["Total"]["hours_confirmed"] == Decimal("7.5")


def test_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="Unknown report dimension"):
        reports.summary("planet")


def test_skills_gap_names_what_to_ask_businesses_for(db):
    ward = factories.WardFactory(name="Foleshill")
    hr, it = factories.SkillFactory(name="HR policy"), factories.SkillFactory(name="Cyber")
    for _ in range(3):
        factories.NeedFactory(ward=ward, skills=[hr])
    factories.NeedFactory(ward=ward, skills=[it])
    factories.OfferFactory(skills=[it])  # city-wide: covers the one IT need

    gaps = reports.skills_gap()

    assert gaps == [
        {"ward": "Foleshill", "skill": "HR policy", "needs_asking": 3, "offers_giving": 0, "gap": 3}
    ]


def test_the_skills_gap_follows_the_market_at_once_though_it_is_kept_between_views(db):
    ward = factories.WardFactory(name="Foleshill")
    hr = factories.SkillFactory(name="HR policy")
    factories.NeedFactory(ward=ward, skills=[hr])
    assert [g["gap"] for g in reports.skills_gap()] == [1]

    factories.NeedFactory(ward=ward, skills=[hr])
    assert [g["gap"] for g in reports.skills_gap()] == [2]

    offer = factories.OfferFactory(skills=[hr])
    offer.wards.add(ward)
    assert [g["gap"] for g in reports.skills_gap()] == [1]


def test_the_ward_table_counts_each_need_still_on_the_unmet_list_once(db):
    """Unmet is what the unmet-needs list shows: open needs with a gap case being worked."""
    from django.utils import timezone

    from brokerage.models import GapCase

    ward = factories.WardFactory(name="Foleshill")
    two_reasons, in_progress, resolved, closed_need = (
        factories.NeedFactory(ward=ward) for _ in range(4)
    )
    GapCase.objects.create(need=two_reasons, reason="skill")
    GapCase.objects.create(need=two_reasons, reason="place")
    GapCase.objects.create(need=in_progress, reason="fit", status="in_progress")
    GapCase.objects.create(
        need=resolved, reason="skill", status="resolved", closed_at=timezone.now()
    )
    GapCase.objects.create(need=closed_need, reason="skill")
    closed_need.status = "closed"
    closed_need.save()

    (row,) = [r for r in reports.ward_overview([ward.council_id]) if r["ward"] == ward]

    assert (row["open_needs"], row["unmet"]) == (3, 2)


def test_a_listing_counts_in_the_month_it_was_published_in_coventry_not_in_utc(db):
    """Half past midnight on 1 July in Coventry is still 30 June in UTC."""
    just_after_midnight = at(2026, 7, 1, 0, 30)
    factories.NeedFactory(published_at=just_after_midnight)
    factories.OfferFactory(published_at=just_after_midnight)

    rows = {row["group"]: row for row in reports.summary("month")}

    assert rows["2026-07"]["needs_posted"] == 1
    assert rows["2026-07"]["days_offered"] == 10
    assert "2026-06" not in rows


def test_a_kept_report_follows_time_confirmed_and_credits_earned_at_once(market):
    """Reports are kept between views until the market or delivered time changes."""
    before = by_group(reports.summary("ward"))["Total"]
    pending = TimeEntry.objects.get(status="pending")

    pending.status, pending.reviewed_at = "confirmed", at(2026, 5, 2)
    pending.save()
    CreditEntry.objects.create(
        organisation=market["mercia"], time_entry=pending, credits=Decimal("2"), reason="x"
    )
    after = by_group(reports.summary("ward"))["Total"]

    assert after["hours_confirmed"] == before["hours_confirmed"] + 3
    assert after["credits"] == before["credits"] + 2


def test_a_kept_report_follows_a_new_listing_at_once(market):
    before = by_group(reports.summary("ward"))["Total"]["needs_posted"]

    factories.NeedFactory()

    assert by_group(reports.summary("ward"))["Total"]["needs_posted"] == before + 1


def test_the_ward_table_follows_listings_matches_and_gap_cases_on_the_next_read(db):
    """Its listing counts are kept between reads until the market changes; its unmet count is
    read each time (gap cases are worked all day)."""
    ward = factories.WardFactory()

    def row() -> dict:
        (found,) = [r for r in reports.ward_overview([ward.council_id]) if r["ward"] == ward]
        return {k: found[k] for k in ("open_needs", "unmet", "offers", "matched_days")}

    need = factories.NeedFactory(ward=ward, days_needed=4)
    assert row() == {"open_needs": 1, "unmet": 0, "offers": 0, "matched_days": 0}

    offer = factories.OfferFactory()
    offer.wards.add(ward)
    need.days_reserved = 3  # as accepting a 3-day match does (`services.matches`)
    need.save()
    from brokerage.models import GapCase

    GapCase.objects.create(need=factories.NeedFactory(ward=ward), reason="skill")
    assert row() == {"open_needs": 2, "unmet": 1, "offers": 1, "matched_days": 3}
