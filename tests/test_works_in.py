"""A business or charity says which of the service's councils it works in (issue 24): one
login and one profile across the region, found by each council it works in."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from brokerage.models import AuditEntry, Council
from tests import factories
from tests.factories import COVENTRY, SOLIHULL

pytestmark = pytest.mark.django_db
BIRMINGHAM = "E08000025"  # loaded, neighbours ours, but not a council this service brokers


@pytest.fixture
def councils():
    found = {
        code: factories.AuthorityFactory(gss_code=code, name=name)
        for code, name in ((COVENTRY, "Coventry"), (SOLIHULL, "Solihull"),
                           (BIRMINGHAM, "Birmingham"))
    }  # fmt: skip
    return found


@pytest.fixture
def admin(councils):
    business = factories.BusinessFactory(name="Brightwire", council=councils[COVENTRY])
    return factories.MembershipFactory(organisation=business).user


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_registering_it_works_where_it_is_based_and_where_it_says(councils):
    user = factories.UserFactory()

    answer = _api(user).post(
        "/api/v1/organisations/",
        {"kind": "business", "name": "Lamplighters", "contact_email": "a@example.org",
         "works_in": [SOLIHULL]},
        format="json",
    )  # fmt: skip

    assert answer.status_code == 201, answer.json()
    assert answer.json()["council"] == COVENTRY
    assert answer.json()["works_in"] == [COVENTRY, SOLIHULL]


@pytest.mark.parametrize(
    ("works_in", "reason"),
    [
        ([BIRMINGHAM], "not a council this service brokers"),
        (["E47000007"], "not a council this service brokers"),  # a combined authority
        (["E08999999"], "does not exist"),
        ("E08000029", "Expected a list"),
    ],
)
def test_councils_it_cannot_work_in_are_refused_naming_the_field_and_nothing_changes(
    councils, admin, works_in, reason
):
    if works_in == ["E47000007"]:
        factories.AuthorityFactory(gss_code="E47000007", kind="combined")
    business = admin.memberships.get().organisation

    answer = _api(admin).patch(
        f"/api/v1/organisations/{business.pk}/", {"works_in": works_in}, format="json"
    )

    assert answer.status_code == 400
    assert reason in str(answer.json()["fields"]["works_in"])
    assert list(business.works_in.all()) == []
    assert not AuditEntry.objects.exists()


def test_an_admin_changes_where_it_works_on_its_page_and_everyone_reads_it(councils, admin):
    business = admin.memberships.get().organisation
    page = Client()
    page.force_login(admin)
    assert "Change its details" in page.get(f"/organisations/{business.pk}/").content.decode()

    answer = page.post(
        f"/organisations/{business.pk}/edit/",
        {"name": "Brightwire Ltd", "contact_email": "hello@brightwire.example",
         "works_in": [SOLIHULL]},
    )  # fmt: skip

    assert answer.status_code == 302
    business.refresh_from_db()
    assert business.name == "Brightwire Ltd"
    assert set(business.works_in.values_list("pk", flat=True)) == {COVENTRY, SOLIHULL}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ORGANISATION_EDITED)
    assert entry.changes["works_in"] == [[], [COVENTRY, SOLIHULL]]
    reader = Client()
    reader.force_login(factories.UserFactory())
    shown = reader.get(f"/organisations/{business.pk}/").content.decode()
    assert "Works in" in shown and "Coventry and Solihull" in shown


def test_the_page_offers_only_the_councils_this_service_brokers(councils, admin):
    business = admin.memberships.get().organisation
    page = Client()
    page.force_login(admin)

    answer = page.post(
        f"/organisations/{business.pk}/edit/",
        {"name": "Brightwire", "contact_email": "hello@brightwire.example",
         "works_in": [BIRMINGHAM]},
    )  # fmt: skip

    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert not business.works_in.exists()


def test_only_its_admins_change_its_details(councils, admin):
    business = admin.memberships.get().organisation
    member = factories.MembershipFactory(organisation=business, role="member").user
    outsider = factories.UserFactory()
    for user in (member, outsider):
        page = Client()
        page.force_login(user)
        assert page.get(f"/organisations/{business.pk}/edit/").status_code == 403
        assert (
            page.post(
                f"/organisations/{business.pk}/edit/",
                {"name": "Taken over", "contact_email": "x@example.org"},
            ).status_code
            == 403
        )
    business.refresh_from_db()
    assert business.name == "Brightwire"


def test_the_list_finds_who_works_in_a_council_as_well_as_who_is_based_there(councils, admin):
    business = admin.memberships.get().organisation
    business.works_in.add(councils[SOLIHULL])
    factories.BusinessFactory(name="Coventry only", council=councils[COVENTRY])
    solihull_charity = factories.VcsFactory(name="Meriden charity", council=councils[SOLIHULL])

    names = [
        o["name"]
        for o in APIClient().get(f"/api/v1/organisations/?works_in={SOLIHULL}").json()["results"]
    ]

    assert sorted(names) == ["Brightwire", solihull_charity.name]
    assert Council.objects.get(pk=SOLIHULL).working_organisations.get() == business


def test_moving_to_another_councils_ward_keeps_where_it_worked_and_adds_its_new_base(
    councils, admin
):
    from brokerage.services import organisations

    business = admin.memberships.get().organisation
    business.works_in.add(councils[COVENTRY])
    meriden = factories.WardFactory(
        ward_set=factories.WardSetFactory(slug="solihull", council=councils[SOLIHULL])
    )

    organisations.update_organisation(organisation=business, by=admin, home_ward=meriden)

    business.refresh_from_db()
    assert business.council_id == SOLIHULL
    assert set(business.works_in.values_list("pk", flat=True)) == {COVENTRY, SOLIHULL}
    organisations.update_organisation(organisation=business, by=admin, name="Renamed")
    assert AuditEntry.objects.filter(changes__has_key="works_in").count() == 1  # the move only


def test_changing_the_home_ward_on_its_page_is_saved_and_audited_by_gss_code(councils, admin):
    business = admin.memberships.get().organisation
    ward = factories.WardFactory(name="Bablake")
    page = Client()
    page.force_login(admin)

    answer = page.post(
        f"/organisations/{business.pk}/edit/",
        {"name": "Brightwire", "contact_email": "hello@brightwire.example",
         "home_ward": ward.pk, "works_in": [COVENTRY]},
    )  # fmt: skip

    assert answer.status_code == 302
    business.refresh_from_db()
    assert business.home_ward == ward
    entry = AuditEntry.objects.get()
    assert entry.changes["home_ward"] == [None, ward.gss_code]


def test_the_brokers_of_where_it_is_based_may_change_its_details_and_another_councils_not(
    councils, admin
):
    business = admin.memberships.get().organisation
    answers = {}
    for code in (COVENTRY, SOLIHULL):
        team = factories.CouncilFactory(council=councils[code])
        page = Client()
        page.force_login(factories.MembershipFactory(organisation=team).user)
        answers[code] = page.get(f"/organisations/{business.pk}/edit/").status_code

    assert answers == {COVENTRY: 200, SOLIHULL: 403}
