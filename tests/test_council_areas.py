"""Each council brokers its own area; the combined authority's brokers broker all of it.

Coventry's and Solihull's brokers each get not-found for the other's private work (a pending
organisation, gap cases, allocation plans, draft needs, matches, exports, audit entries,
reports), and the West Midlands' broker gets both. Nothing leaks through a cache when the two
read in turn.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from brokerage import access, selectors
from brokerage.models import AuditEntry, GapCase, ListingStatus, Notification
from brokerage.services import allocations, gap_cases, organisations
from brokerage.services.listings import publish_listing
from brokerage.services.matches import propose_match
from tests import factories
from tests.factories import COVENTRY, SOLIHULL, WEST_MIDLANDS

pytestmark = pytest.mark.django_db


def _broker_of(code: str, username: str):
    area = factories.AuthorityFactory(gss_code=code)
    team = factories.CouncilFactory(name=f"{area.name} brokers", council=area)
    return factories.MembershipFactory(organisation=team, user__username=username).user


@pytest.fixture
def region():
    """Two councils of the West Midlands with a ward, a charity and a broker each, a
    Coventry business, and the region's own broker."""
    west_midlands = factories.AuthorityFactory(gss_code=WEST_MIDLANDS, kind="combined")
    coventry = factories.AuthorityFactory(gss_code=COVENTRY)
    solihull = factories.AuthorityFactory(gss_code=SOLIHULL)
    for council in (coventry, solihull):
        council.combined_authority = west_midlands
        council.save()
    wards = {
        COVENTRY: factories.WardFactory(name="Bablake"),
        SOLIHULL: factories.WardFactory(
            name="Meriden",
            ward_set=factories.WardSetFactory(slug="solihull", council=solihull),
        ),
    }
    wards[COVENTRY].neighbours.add(wards[SOLIHULL])
    charities = {
        code: factories.VcsFactory(name=f"Charity in {ward.name}", home_ward=ward)
        for code, ward in wards.items()
    }
    return {
        "wards": wards,
        "charities": charities,
        "business": factories.BusinessFactory(name="Coventry business"),
        "brokers": {
            COVENTRY: _broker_of(COVENTRY, "coventry"),
            SOLIHULL: _broker_of(SOLIHULL, "solihull"),
            WEST_MIDLANDS: _broker_of(WEST_MIDLANDS, "region"),
        },
    }


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- who brokers where ---------------------------------------------------------------------


def test_each_broker_brokers_their_council_and_the_region_broker_all(region):
    brokers = region["brokers"]
    assert access.broker_areas(brokers[COVENTRY]) == {COVENTRY}
    assert access.broker_areas(brokers[SOLIHULL]) == {SOLIHULL}
    assert access.broker_areas(brokers[WEST_MIDLANDS]) == {WEST_MIDLANDS, COVENTRY, SOLIHULL}
    meriden_charity = region["charities"][SOLIHULL]
    assert meriden_charity.council_id == SOLIHULL  # based where its home ward is
    assert not access.is_broker(brokers[COVENTRY], meriden_charity)
    assert access.is_broker(brokers[SOLIHULL], meriden_charity)
    assert access.is_broker(brokers[WEST_MIDLANDS], meriden_charity)
    assert set(access.brokers(meriden_charity)) == {brokers[SOLIHULL], brokers[WEST_MIDLANDS]}


def test_an_offer_belongs_to_its_business_council_and_every_council_it_serves(region):
    offer = factories.OfferFactory(organisation=region["business"])
    assert access.councils_of(offer) == {COVENTRY}
    offer.wards.add(region["wards"][SOLIHULL])
    assert access.councils_of(offer) == {COVENTRY, SOLIHULL}
    assert access.is_broker(region["brokers"][SOLIHULL], offer)


# --- verification ----------------------------------------------------------------------------


def test_a_council_verifies_the_organisations_based_in_its_area_only(region):
    brokers = region["brokers"]
    pending = factories.VcsFactory(
        name="New Meriden group", home_ward=region["wards"][SOLIHULL], pending=True
    )
    url = f"/api/v1/organisations/{pending.pk}/verify/"
    # Coventry's broker does not see Solihull's registrations at all.
    assert _api(brokers[COVENTRY]).post(url).status_code == 404
    assert _api(brokers[COVENTRY]).get(f"/api/v1/organisations/{pending.pk}/").status_code == 404
    pending.refresh_from_db()
    assert pending.is_pending
    assert _api(brokers[SOLIHULL]).post(url).status_code == 200
    pending.refresh_from_db()
    assert pending.is_verified


def test_the_service_refuses_a_broker_of_another_area_saying_why(region):
    pending = factories.VcsFactory(home_ward=region["wards"][SOLIHULL], pending=True)
    with pytest.raises(Exception, match="broker of its council's area"):
        organisations.verify_organisation(organisation=pending, by=region["brokers"][COVENTRY])
    pending.refresh_from_db()
    assert pending.is_pending


def test_registration_tells_the_brokers_of_where_the_organisation_is_based(region):
    founder = factories.UserFactory()
    organisation = organisations.register_organisation(
        by=founder,
        kind="vcs",
        name="Meriden lunch club",
        contact_email="lunch@example.org",
        home_ward=region["wards"][SOLIHULL],
    )
    told = set(
        Notification.objects.filter(kind=Notification.Kind.ORGANISATION_PENDING).values_list(
            "recipient__username", flat=True
        )
    )
    assert organisation.council_id == SOLIHULL
    assert told == {"solihull", "region"}


def test_the_registering_council_must_be_one_the_service_brokers(region, settings):
    settings.COUNCILS = [COVENTRY, SOLIHULL]
    birmingham = factories.AuthorityFactory(gss_code="E08000025", name="Birmingham")
    response = APIClient().post(
        "/api/v1/organisations/",
        {
            "kind": "vcs",
            "name": "Somewhere else",
            "contact_email": "x@example.org",
            "council": birmingham.gss_code,
            "account": {
                "username": "newcomer",
                "email": "new@example.org",
                "password": "a long enough passphrase 42",
            },
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "council" in response.json()["fields"]
    assert not factories.models.Organisation.objects.filter(name="Somewhere else").exists()


def test_a_need_in_a_ward_of_a_council_not_served_is_refused_naming_the_ward(region, settings):
    settings.COUNCILS = [COVENTRY]  # Solihull's wards loaded, not brokered here
    member = factories.MembershipFactory(organisation=region["charities"][COVENTRY]).user
    skill = factories.SkillFactory()
    response = _api(member).post(
        "/api/v1/needs/",
        {
            "organisation": region["charities"][COVENTRY].pk,
            "title": "Across the border",
            "description": "Help in Meriden.",
            "ward": region["wards"][SOLIHULL].gss_code,
            "skills": [{"skill": skill.slug, "must_have": True}],
            "days_needed": 2,
            "needed_by": str(dt.date.today() + dt.timedelta(days=40)),
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "does not broker" in str(response.json()["fields"]["ward"])
    assert not factories.models.Need.objects.filter(title="Across the border").exists()


# --- private work per area ----------------------------------------------------------------


@pytest.fixture
def work(region):
    """A gap case, a draft need, a match and a plan in each council."""
    found = {}
    skill = factories.SkillFactory()
    for code in (COVENTRY, SOLIHULL):
        charity = region["charities"][code]
        need = factories.NeedFactory(organisation=charity, ward=region["wards"][code])
        draft = factories.NeedFactory(
            organisation=charity, ward=region["wards"][code], status=ListingStatus.DRAFT
        )
        case = GapCase.objects.create(need=need, reason=GapCase.Reason.SKILL)
        offer = factories.OfferFactory(organisation=region["business"], skills=[skill])
        offer.wards.add(region["wards"][code])
        match = propose_match(offer=offer, need=need, days=1, by=region["brokers"][code])
        plan = allocations.create_allocation(by=region["brokers"][code], min_fit=0.0)
        found[code] = {"need": need, "draft": draft, "case": case, "match": match, "plan": plan}
    return found


PRIVATE = {
    "gap case": lambda w: f"/api/v1/gap-cases/{w['case'].pk}/",
    "draft need": lambda w: f"/api/v1/needs/{w['draft'].pk}/",
    "match": lambda w: f"/api/v1/matches/{w['match'].pk}/",
    "allocation plan": lambda w: f"/api/v1/allocations/{w['plan'].pk}/",
}


@pytest.mark.parametrize("thing", PRIVATE)
def test_another_councils_private_work_reads_as_not_found(region, work, thing):
    brokers = region["brokers"]
    for reader, owner, expected in [
        (COVENTRY, COVENTRY, 200),
        (COVENTRY, SOLIHULL, 404),
        (SOLIHULL, COVENTRY, 404),
        (SOLIHULL, SOLIHULL, 200),
        (WEST_MIDLANDS, COVENTRY, 200),
        (WEST_MIDLANDS, SOLIHULL, 200),
    ]:
        response = _api(brokers[reader]).get(PRIVATE[thing](work[owner]))
        assert response.status_code == expected, (thing, reader, owner)


PAGES = {
    "gap case": lambda w: f"/unmet-needs/{w['case'].pk}/",
    "match": lambda w: f"/matches/{w['match'].pk}/",
}


@pytest.mark.parametrize("page", PAGES)
def test_another_councils_pages_read_as_not_found(region, work, page):
    for reader, owner, expected in [
        (COVENTRY, SOLIHULL, 404),
        (SOLIHULL, COVENTRY, 404),
        (WEST_MIDLANDS, COVENTRY, 200),
    ]:
        browser = Client()
        browser.force_login(region["brokers"][reader])
        assert browser.get(PAGES[page](work[owner])).status_code == expected, (reader, owner)


def test_lists_hold_only_the_readers_areas_and_the_cache_keeps_them_apart(region, work):
    """The signed-in needs list is cached per viewer scope: two brokers reading in turn each
    get their own area's drafts (open needs are public to all)."""
    brokers = region["brokers"]
    drafts = {code: work[code]["draft"].pk for code in (COVENTRY, SOLIHULL)}

    def ids(code):
        body = _api(brokers[code]).get("/api/v1/needs/?status=draft").json()
        return {row["id"] for row in body["results"]}

    for _ in range(2):  # the second round is served from the cache
        assert ids(COVENTRY) == {drafts[COVENTRY]}
        assert ids(SOLIHULL) == {drafts[SOLIHULL]}
        assert ids(WEST_MIDLANDS) == set(drafts.values())


def test_gap_cases_and_queue_are_the_areas_own(region, work):
    brokers = region["brokers"]
    listed = _api(brokers[SOLIHULL]).get("/api/v1/gap-cases/").json()["results"]
    assert [row["id"] for row in listed] == [work[SOLIHULL]["case"].pk]
    queue = selectors.broker_queue(access.broker_areas(brokers[COVENTRY]), limit=10)
    assert queue["unmet_count"] == 1
    assert {need.pk for need in queue["waiting"]} == {work[COVENTRY]["need"].pk}
    with pytest.raises(Exception, match="broker of its council's area"):
        gap_cases.add_note(case=work[COVENTRY]["case"], text="Mine now", by=brokers[SOLIHULL])


def test_exports_hold_the_areas_rows_only(region, work):
    brokers = region["brokers"]
    body = b"".join(
        _api(brokers[SOLIHULL]).get("/api/v1/exports/matches/?format=csv").streaming_content
    )
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [int(row["id"]) for row in rows] == [work[SOLIHULL]["match"].pk]


def test_audit_entries_are_the_areas_own(region, work):
    brokers = region["brokers"]
    for code in (COVENTRY, SOLIHULL):
        pending = factories.VcsFactory(home_ward=region["wards"][code], pending=True)
        organisations.verify_organisation(organisation=pending, by=brokers[code])
    seen = {
        code: {
            row["organisation"]
            for row in _api(brokers[code]).get("/api/v1/audit/").json()["results"]
        }
        for code in (COVENTRY, SOLIHULL, WEST_MIDLANDS)
    }
    verified = AuditEntry.objects.filter(action=AuditEntry.Action.ORGANISATION_VERIFIED)
    by_area = {e.organisation.council_id: e.organisation_id for e in verified}
    assert seen[COVENTRY] == {by_area[COVENTRY]}
    assert seen[SOLIHULL] == {by_area[SOLIHULL]}
    assert seen[WEST_MIDLANDS] == set(by_area.values())


def test_publishing_tells_the_brokers_of_the_area_concerned(region):
    need = factories.NeedFactory(
        organisation=region["charities"][SOLIHULL],
        ward=region["wards"][SOLIHULL],
        status=ListingStatus.DRAFT,
        published_at=None,
    )
    member = factories.MembershipFactory(organisation=region["charities"][SOLIHULL]).user
    publish_listing(listing=need, by=member)
    told = set(
        Notification.objects.filter(kind=Notification.Kind.NEED_PUBLISHED).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"solihull", "region"}


def test_a_plan_covers_its_council_and_the_region_broker_plans_for_all(region, work):
    brokers = region["brokers"]
    assert work[COVENTRY]["plan"].council_id == COVENTRY
    needs_in = {
        code: set(work[code]["plan"].lines.values_list("need_id", flat=True))
        for code in (COVENTRY, SOLIHULL)
    }
    assert needs_in[COVENTRY] <= {work[COVENTRY]["need"].pk}
    assert needs_in[SOLIHULL] <= {work[SOLIHULL]["need"].pk}
    region_plan = allocations.create_allocation(by=brokers[WEST_MIDLANDS], min_fit=0.0)
    assert region_plan.council_id == WEST_MIDLANDS
    url = f"/api/v1/allocations/{region_plan.pk}/"
    assert _api(brokers[COVENTRY]).get(url).status_code == 404
    assert _api(brokers[WEST_MIDLANDS]).get(url).status_code == 200


# --- matching across the border ------------------------------------------------------------


def test_a_solihull_need_on_the_border_is_suggested_a_coventry_offer_serving_it(region):
    """A Coventry business's offer naming Meriden (Solihull) is suggested for a Meriden need;
    one from a business next door in Bablake (Coventry), for anywhere, fits better than the
    same offer from a business far away: neighbours count across the border."""
    from brokerage import matchmaking

    skill = factories.SkillFactory()
    need = factories.NeedFactory(
        organisation=region["charities"][SOLIHULL], ward=region["wards"][SOLIHULL], skills=[skill]
    )
    serving = factories.OfferFactory(organisation=region["business"], skills=[skill])
    serving.wards.add(region["wards"][SOLIHULL])
    far = factories.WardFactory(name="Far away", centroid_lat=52.6, centroid_lon=-2.1)
    next_door = factories.OfferFactory(
        organisation=factories.BusinessFactory(home_ward=region["wards"][COVENTRY]), skills=[skill]
    )
    far_off = factories.OfferFactory(
        organisation=factories.BusinessFactory(home_ward=far), skills=[skill]
    )

    suggested = {s.listing.pk for s in matchmaking.suggestions_for_need(need, min_score=0.0)}
    assert serving.pk in suggested
    place = {
        offer: matchmaking.pair_score(offer, need)[1]["place"]
        for offer in (serving, next_door, far_off)
    }
    assert place[serving] > place[next_door] > place[far_off]


def test_deprivation_weighs_imd_2025_where_a_ward_has_it(region):
    from brokerage.models import Ward
    from brokerage.models.wards import deprivation

    ward = region["wards"][COVENTRY]
    ward.imd_score, ward.imd2025_score = 10.0, 40.0
    ward.save()
    assert Ward.objects.annotate(d=deprivation()).get(pk=ward.pk).d == 40.0
    ward.imd2025_score = None
    ward.save()
    assert Ward.objects.annotate(d=deprivation()).get(pk=ward.pk).d == 10.0


# --- social value per council ----------------------------------------------------------------


def _confirmed_hours(match, volunteer, day, amount):
    from brokerage.services import hours

    entry = hours.log_time(
        match=match, volunteer=volunteer, date=day, hours=Decimal(amount),
        leave_type="own_time", description="Helped", by=volunteer.user,
    )  # fmt: skip
    member = factories.MembershipFactory(organisation=match.need.organisation).user
    hours.confirm_time(entry=entry, by=member)
    entry.refresh_from_db()
    return entry


def test_hours_count_for_the_contract_council_wherever_delivered_and_the_region_adds_up(region):
    """A Coventry-let contract's hours given in Meriden (Solihull) are in Coventry's return,
    naming Solihull and Meriden; Solihull's return holds its own contract's; the region's
    roll-up is the two together, to the penny."""
    from brokerage.datasets.reference_data import load_measures
    from brokerage.services import social_value

    load_measures()
    brokers, business = region["brokers"], region["business"]
    terms = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2030, 3, 31)}
    coventry_contract = social_value.create_contract(
        organisation=business, by=brokers[COVENTRY], title="Street lighting", **terms,
        committed_hours=Decimal(100),
    )  # fmt: skip
    solihull_contract = social_value.create_contract(
        organisation=business, by=brokers[SOLIHULL], title="Parks", **terms,
        committed_hours=Decimal(50),
    )  # fmt: skip
    assert (coventry_contract.council_id, solihull_contract.council_id) == (COVENTRY, SOLIHULL)
    volunteer = factories.VolunteerFactory(organisation=business)
    across = factories.AcceptedMatchFactory(
        offer__organisation=business,
        need=factories.NeedFactory(
            organisation=region["charities"][SOLIHULL], ward=region["wards"][SOLIHULL]
        ),
        contract=coventry_contract,
    )
    at_home = factories.AcceptedMatchFactory(
        offer__organisation=business,
        need=factories.NeedFactory(
            organisation=region["charities"][SOLIHULL], ward=region["wards"][SOLIHULL]
        ),
        contract=solihull_contract,
    )
    _confirmed_hours(across, volunteer, dt.date(2026, 6, 10), 3)
    _confirmed_hours(at_home, volunteer, dt.date(2026, 6, 11), 2)

    def read(code):
        answer = _api(brokers[code]).get(f"/api/v1/reports/social-value/?council={code}")
        assert answer.status_code == 200, answer.content
        return answer.json()

    coventry, solihull, roll_up = read(COVENTRY), read(SOLIHULL), read(WEST_MIDLANDS)
    assert [(r["council"], r["delivered_in_council"], r["delivered_in_ward"], r["hours"])
            for r in coventry] == [("Coventry", "Solihull", "Meriden", "3.00")]  # fmt: skip
    assert [(r["council"], r["hours"]) for r in solihull] == [("Solihull", "2.00")]
    total = lambda rows: sum(Decimal(r["social_value"]) for r in rows)  # noqa: E731
    assert total(roll_up) == total(coventry) + total(solihull) > 0
    assert len(roll_up) == len(coventry) + len(solihull)
    # Another council's return is not there for the asking.
    assert (
        _api(brokers[SOLIHULL]).get(f"/api/v1/reports/social-value/?council={COVENTRY}").status_code
        == 404
    )
    csv_file = _api(brokers[COVENTRY]).get("/api/v1/reports/social-value/?format=csv")
    assert csv_file.status_code == 200
    assert csv_file.content.decode().splitlines()[0].split(",")[:2] == ["council", "contract"]


def test_the_reports_page_offers_each_area_its_return(region):
    browser = Client()
    browser.force_login(region["brokers"][WEST_MIDLANDS])
    page = browser.get("/reports/").content.decode()
    for code in (WEST_MIDLANDS, COVENTRY, SOLIHULL):
        assert f'data-council-return="{code}"' in page
    browser.force_login(region["brokers"][SOLIHULL])
    page = browser.get("/reports/").content.decode()
    assert 'data-council-return="E08000029"' in page
    assert 'data-council-return="E08000026"' not in page


def test_a_broker_of_several_areas_picks_one_and_the_pages_keep_to_it(region, work):
    browser = Client()
    browser.force_login(region["brokers"][WEST_MIDLANDS])
    dashboard = browser.get("/dashboard/").content.decode()
    assert 'data-testid="area-picker"' in dashboard
    both = browser.get("/unmet-needs/").content.decode()
    assert all(f"/unmet-needs/{work[c]['case'].pk}/" in both for c in (COVENTRY, SOLIHULL))

    answer = browser.post("/area/", {"area": SOLIHULL, "next": "/unmet-needs/"})
    assert answer.status_code == 302 and answer["Location"] == "/unmet-needs/"
    solihull_only = browser.get("/unmet-needs/").content.decode()  # remembered
    assert f"/unmet-needs/{work[SOLIHULL]['case'].pk}/" in solihull_only
    assert f"/unmet-needs/{work[COVENTRY]['case'].pk}/" not in solihull_only
    wards = browser.get("/wards/").content.decode()
    assert "Meriden" in wards and "Bablake" not in wards

    # An area that is not theirs changes nothing; an outside address is not followed.
    browser.post("/area/", {"area": "E08000025", "next": "https://elsewhere.example/"})
    assert (
        f"/unmet-needs/{work[COVENTRY]['case'].pk}/"
        not in browser.get("/unmet-needs/").content.decode()
    )
    browser.post("/area/", {"area": ""})
    assert (
        f"/unmet-needs/{work[COVENTRY]['case'].pk}/"
        in browser.get("/unmet-needs/").content.decode()
    )


def test_a_broker_of_one_council_has_nothing_to_pick(region):
    browser = Client()
    browser.force_login(region["brokers"][COVENTRY])
    assert 'data-testid="area-picker"' not in browser.get("/dashboard/").content.decode()
    assert browser.post("/area/", {"area": SOLIHULL}).status_code == 302
    assert browser.session.get("broker_area") is None


def test_the_open_data_feed_can_be_asked_for_one_council(region):
    for code in (COVENTRY, SOLIHULL):
        factories.NeedFactory(organisation=region["charities"][code], ward=region["wards"][code])

    def places(query: str) -> set[str]:
        feed = Client().get(f"/open-data/volunteering.jsonld{query}").json()
        return {
            session["location"]["name"]
            for organisation in feed["graph"]
            for activity in organisation["activity"]
            for session in activity["session"]
        }

    assert places("") == {"Bablake ward, Coventry", "Meriden ward, Solihull"}
    assert places(f"?council={SOLIHULL}") == {"Meriden ward, Solihull"}
    assert places(f"?council={WEST_MIDLANDS}") == places("")
    refused = Client().get("/open-data/volunteering.jsonld?council=E99999999")
    assert refused.status_code == 400 and "council" in refused.json()["fields"]


def test_allocating_another_councils_area_is_refused(region):
    brokers = region["brokers"]
    asked = _api(brokers[COVENTRY]).post(
        "/api/v1/allocations/", {"council": SOLIHULL, "min_fit": 0}, format="json"
    )
    assert asked.status_code == 403, asked.content
    region_wide = _api(brokers[WEST_MIDLANDS]).post(
        "/api/v1/allocations/", {"council": SOLIHULL, "min_fit": 0}, format="json"
    )
    assert region_wide.status_code == 201 and region_wide.json()["council"] == SOLIHULL
    unknown = _api(brokers[COVENTRY]).post(
        "/api/v1/allocations/", {"council": "E99999999"}, format="json"
    )
    assert unknown.status_code == 400 and "council" in unknown.json()["fields"]
    assert factories.models.AllocationPlan.objects.count() == 1


def test_each_council_weighs_its_own_priority_themes(region):
    """Solihull chose homelessness as its priority: a Solihull request about food poverty is
    not weighted up, a Coventry one is (Coventry chose none, so every theme counts)."""
    from brokerage import matchmaking
    from brokerage.models import Council

    homelessness = factories.ThemeFactory(slug="homelessness")
    food = factories.ThemeFactory(slug="food-poverty")
    Council.objects.get(pk=SOLIHULL).priority_themes.add(homelessness)
    needs = {}
    for code in (COVENTRY, SOLIHULL):
        for theme in (homelessness, food):
            need = factories.NeedFactory(
                organisation=region["charities"][code], ward=region["wards"][code]
            )
            need.themes.add(theme)
            needs[code, theme.slug] = need
    market = matchmaking.current_market()

    def priority(code, theme):
        return market.need_priority[market.need_index[needs[code, theme].pk]]

    assert priority(SOLIHULL, "homelessness") > priority(SOLIHULL, "food-poverty")
    assert priority(COVENTRY, "homelessness") == priority(COVENTRY, "food-poverty")


# --- each council's own priority weights ----------------------------------------------------


def test_a_council_weighs_its_requests_priority_its_own_way_and_the_others_keep_the_defaults(
    region,
):
    from django.utils import timezone

    from brokerage import matchmaking
    from brokerage.models import Council

    solihull = Council.objects.get(pk=SOLIHULL)
    solihull.deprivation_weight, solihull.theme_weight, solihull.waiting_weight = 0, 0, 1
    solihull.full_clean()
    solihull.save()
    waited = timezone.now() - dt.timedelta(days=365)  # a full wait
    needs = {
        code: factories.NeedFactory(organisation=region["charities"][code],
                                    ward=region["wards"][code], published_at=waited)
        for code in (COVENTRY, SOLIHULL)
    }  # fmt: skip

    market = matchmaking.current_market()
    priority = {code: market.need_priority[market.need_index[n.pk]] for code, n in needs.items()}
    inputs = {code: market.needs[market.need_index[n.pk]] for code, n in needs.items()}

    assert inputs[SOLIHULL].priority_weights == (0.0, 0.0, 1.0)
    assert inputs[COVENTRY].priority_weights is None  # the service's 0.5 / 0.3 / 0.2
    assert priority[SOLIHULL] == pytest.approx(1.0)  # waited in full, and only that counts
    assert priority[COVENTRY] < 1.0


@pytest.mark.parametrize(
    "weights",
    [(Decimal("0.5"), Decimal("0.3"), None), (Decimal("0.5"), Decimal("0.3"), Decimal("0.3")),
     (Decimal("1.2"), Decimal("-0.1"), Decimal("-0.1"))],
    ids=["one missing", "not summing to 1", "out of range"],
)  # fmt: skip
def test_priority_weights_are_all_three_summing_to_1_or_none(region, weights):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    from brokerage.models import Council

    council = Council.objects.get(pk=COVENTRY)
    council.deprivation_weight, council.theme_weight, council.waiting_weight = weights

    with pytest.raises(ValidationError):
        council.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        council.save()
    assert Council.objects.get(pk=COVENTRY).priority_weights is None


def test_the_allocation_page_says_how_each_council_of_the_area_weighs_priority(region):
    from brokerage.models import Council

    solihull = Council.objects.get(pk=SOLIHULL)
    solihull.deprivation_weight, solihull.theme_weight, solihull.waiting_weight = (
        Decimal("0.70"), Decimal("0.20"), Decimal("0.10"),
    )  # fmt: skip
    solihull.save()
    shown = {}
    for code in (SOLIHULL, WEST_MIDLANDS):
        page = Client()
        page.force_login(region["brokers"][code])
        shown[code] = page.get("/allocation/").content.decode()

    assert (
        "Solihull</strong>: deprivation 0.70, priority themes 0.20, waiting 0.10<"
        in (shown[SOLIHULL])
    )
    assert "Coventry</strong>" not in shown[SOLIHULL]
    assert (
        "Coventry</strong>: deprivation 0.50, priority themes 0.30, waiting 0.20 (the "
        in (shown[WEST_MIDLANDS])
    )
    assert "Index of Multiple Deprivation 2025" in shown[WEST_MIDLANDS]


def test_who_may_change_the_councils_an_organisation_works_in(region):
    """The API row of the permission matrix for `works_in`: the business's own admin, its
    council's brokers and the region's may change it; another council's broker is refused
    and nothing changes."""
    business = region["business"]
    admin = factories.MembershipFactory(organisation=business, role="admin").user
    url = f"/api/v1/organisations/{business.pk}/"
    body = {"works_in": [COVENTRY, SOLIHULL]}
    brokers = region["brokers"]
    before = set(business.works_in.all())

    refused = _api(brokers[SOLIHULL]).patch(url, body, format="json")
    assert refused.status_code == 403
    assert set(refused.json()) == {"code", "detail", "fields"}
    assert set(business.works_in.all()) == before

    for user in (admin, brokers[COVENTRY], brokers[WEST_MIDLANDS]):
        business.works_in.set(before)
        response = _api(user).patch(url, body, format="json")
        assert response.status_code == 200, (user.username, response.content)
        assert sorted(response.json()["works_in"]) == [COVENTRY, SOLIHULL]
