"""The broker's pages beyond verification: the headline panel, unmet needs with their
reasons, and a match's history (who did what, when)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brokerage.models import GapCase, MatchEvent, TimeEntry
from brokerage.services import gap_cases, matches
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_headline_panel_counts_this_month_and_this_year(
    client, broker, business, vcs, vcs_member
):
    today = timezone.localdate()
    factories.NeedFactory(organisation=vcs)  # open
    match = factories.AcceptedMatchFactory(
        offer__organisation=business, need__organisation=vcs, accepted_at=timezone.now()
    )
    volunteer = factories.VolunteerFactory(organisation=business)
    for day, amount, value in (
        (today, "3", "303.00"),
        (today.replace(year=today.year - 1), "5", "505.00"),
    ):
        TimeEntry.objects.create(
            match=match, volunteer=volunteer, date=day, hours=Decimal(amount),
            leave_type="own_time", description="Helped", status="confirmed",
            value=Decimal(value), reviewed_by=vcs_member, reviewed_at=timezone.now(),
        )  # fmt: skip
    client.force_login(broker)
    page = client.get("/dashboard/").content.decode()

    assert 'data-figure="matches_this_month">1<' in page
    assert 'data-figure="hours_this_year">3<' in page  # last year's 5 hours are not this year's
    assert 'data-figure="value_this_year">£303<' in page


def test_unmet_needs_are_listed_with_their_reasons(client, broker, vcs):
    skill = factories.SkillFactory(name="Roof repairs")
    need = factories.NeedFactory(organisation=vcs, title="Fix the leaking roof", skills=[skill])
    gap_cases.sweep()  # the worker's sweep
    client.force_login(broker)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Unmet needs: 1 open case" in dashboard
    page = client.get("/unmet-needs/").content.decode()
    assert "Fix the leaking roof" in page and "Roof repairs" in page
    case = GapCase.objects.get(need=need)
    assert f"/unmet-needs/{case.pk}/" in page
    assert f"/needs/{need.pk}/" in client.get(f"/unmet-needs/{case.pk}/").content.decode()


def test_unmet_needs_are_for_brokers_only(client, vcs_member):
    client.force_login(vcs_member)
    assert client.get("/unmet-needs/").status_code == 403


def test_a_match_shows_its_history_to_both_sides(client, business_member, vcs_member, offer, need):
    match = matches.propose_match(offer=offer, need=need, days=2, by=business_member)
    matches.accept_match(match=match, by=vcs_member)
    assert MatchEvent.objects.filter(match=match).count() >= 2
    for user in (business_member, vcs_member):
        client.force_login(user)
        page = client.get(f"/matches/{match.pk}/").content.decode()
        assert "History" in page and "Proposed by" in page and "Accepted by both sides" in page
        assert (business_member.get_full_name() or business_member.username) in page
    assert timezone.localdate().strftime("%-d %b %Y") in page


def test_a_broker_values_a_match_from_its_page_and_others_cannot(
    client, broker, business, vcs, business_member
):
    match = factories.AcceptedMatchFactory(offer__organisation=business, need__organisation=vcs)
    client.force_login(broker)
    page = client.get(f"/matches/{match.pk}/").content.decode()
    assert "Save the valuation" in page
    client.post(f"/matches/{match.pk}/valuation/", {"value-measure_kind": "volunteering"})
    match.refresh_from_db()
    assert match.measure_kind == "volunteering"
    bad = client.post(f"/matches/{match.pk}/valuation/", {"value-measure_kind": "charity"})
    assert "govuk-error-summary" in bad.content.decode()
    match.refresh_from_db()
    assert match.measure_kind == "volunteering"

    client.force_login(business_member)
    assert "Save the valuation" not in client.get(f"/matches/{match.pk}/").content.decode()
    refused = client.post(f"/matches/{match.pk}/valuation/", {"value-measure_kind": "expert"})
    assert refused.status_code == 403


def test_the_reports_page_shows_brokers_the_skills_gap(client, broker, vcs, vcs_member):
    skill = factories.SkillFactory(name="Roof repairs")
    factories.NeedFactory(organisation=vcs, skills=[skill])
    client.force_login(broker)
    page = client.get("/reports/").content.decode()
    assert "Skills gap: what to ask businesses for" in page and "Roof repairs" in page
    client.force_login(vcs_member)
    assert "Skills gap" not in client.get("/reports/").content.decode()


def test_a_busy_day_lists_the_newest_ten_and_counts_them_all(client, broker, vcs):
    for _ in range(15):
        factories.NeedFactory(organisation=vcs)
    client.force_login(broker)

    page = client.get("/dashboard/").content.decode()

    assert "Requests for help (15)" in page and "The newest 10." in page
    listed = page.split('data-testid="new-needs"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 10


def test_the_dashboard_runs_the_same_queries_for_a_small_and_a_big_day(client, broker, vcs):
    client.force_login(broker)
    client.get("/dashboard/")
    factories.NeedFactory(organisation=vcs)  # each read below is the first after a change
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")
    for _ in range(30):
        factories.NeedFactory(organisation=vcs)
    with CaptureQueriesContext(connection) as big:
        client.get("/dashboard/")
    with CaptureQueriesContext(connection) as again:
        client.get("/dashboard/")
    assert len(big) == len(small)
    assert len(again) < len(big)  # the counts are kept until the market changes


def test_the_dashboards_counts_move_with_the_next_need(client, broker, vcs):
    """The headline counts are kept between reads, but never shown stale: a need published
    since the last read is counted on the next one."""
    client.force_login(broker)
    factories.NeedFactory(organisation=vcs)
    before = client.get("/dashboard/").context["headlines"]["open_needs"]
    factories.NeedFactory(organisation=vcs)

    assert client.get("/dashboard/").context["headlines"]["open_needs"] == before + 1
