"""A volunteer finds open needs that fit their skills and tells their employer they would
like to help; the business's admins are told and see it; nobody else can say it for them."""

import pytest
from rest_framework.test import APIClient

from brokerage import selectors
from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.models import Interest, Notification
from brokerage.services import interests
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(business):
    volunteer = factories.VolunteerFactory(
        organisation=business, user__username="tom", user__first_name="Tom"
    )
    return volunteer


def test_needs_that_share_more_of_my_skills_come_first_with_reasons(tom, vcs):
    payroll, bookkeeping = (
        factories.SkillFactory(name="Payroll"),
        factories.SkillFactory(name="Bookkeeping"),
    )
    tom.skills.add(payroll, bookkeeping)
    one = factories.NeedFactory(organisation=vcs, title="Payroll only", skills=[payroll])
    both = factories.NeedFactory(organisation=vcs, title="Both", skills=[payroll, bookkeeping])
    factories.NeedFactory(organisation=vcs, title="Other", skills=[factories.SkillFactory()])
    found = selectors.needs_fitting(tom)
    assert [item["need"] for item in found] == [both, one]
    assert found[1]["reasons"] == ["needs Payroll, which you have"]


def test_the_best_fit_is_kept_when_more_needs_fit_than_the_page_shows(tom, vcs):
    """The top of the list is chosen among every fitting need, not the soonest few."""
    payroll, bookkeeping = factories.SkillFactory.create_batch(2)
    tom.skills.add(payroll, bookkeeping)
    factories.NeedFactory.create_batch(4, organisation=vcs, skills=[payroll])
    late = factories.NeedFactory(organisation=vcs, skills=[payroll, bookkeeping])
    found = selectors.needs_fitting(tom, limit=3)

    assert found[0]["need"] == late
    assert [item["shared"] for item in found] == [2, 1, 1]


def test_the_fitting_needs_follow_the_market_and_the_volunteers_skills(tom, vcs, vcs_member):
    """The ranking is kept until the market changes: a new need, a closed one and a skill the
    volunteer adds each show on the very next read."""
    from brokerage.services import listings

    payroll, plumbing = factories.SkillFactory.create_batch(2)
    tom.skills.add(payroll)
    first = factories.NeedFactory(organisation=vcs, skills=[payroll])
    assert [item["need"] for item in selectors.needs_fitting(tom)] == [first]

    second = factories.NeedFactory(organisation=vcs, skills=[payroll])
    assert {item["need"] for item in selectors.needs_fitting(tom)} == {first, second}

    listings.close_listing(listing=first, by=vcs_member)
    assert [item["need"] for item in selectors.needs_fitting(tom)] == [second]

    pipes = factories.NeedFactory(organisation=vcs, skills=[plumbing])
    tom.skills.add(plumbing)
    assert {item["need"] for item in selectors.needs_fitting(tom)} == {second, pipes}


def test_registering_tells_the_admins_and_cannot_be_doubled(tom, business_member, need):
    interests.register_interest(volunteer=tom, need=need, by=tom.user, note="Free on Fridays")
    told = Notification.objects.get(recipient=business_member, kind="volunteer_interested")
    assert told.text.startswith("Tom would like to help with")
    with pytest.raises(InvalidInput):
        interests.register_interest(volunteer=tom, need=need, by=tom.user)
    assert Interest.objects.count() == 1
    assert list(selectors.open_interests(tom.organisation)) == [Interest.objects.get()]


def test_each_refusal_changes_nothing(tom, need, vcs_member, outsider):
    with pytest.raises(NotAllowed):
        interests.register_interest(volunteer=tom, need=need, by=outsider)
    need.status = "closed"
    need.save()
    with pytest.raises(InvalidTransition):
        interests.register_interest(volunteer=tom, need=need, by=tom.user)
    assert not Interest.objects.exists()


def test_withdrawn_interest_leaves_the_admins_list(tom, need):
    interest = interests.register_interest(volunteer=tom, need=need, by=tom.user)
    interests.withdraw_interest(interest=interest, by=tom.user)
    assert not selectors.open_interests(tom.organisation).exists()
    interests.register_interest(volunteer=tom, need=need, by=tom.user)  # may say it again


def test_the_api_registers_and_shows_interests_to_the_right_people(
    tom, need, business_member, outsider
):
    api = APIClient()
    api.force_authenticate(tom.user)
    made = api.post("/api/v1/interests/", {"volunteer": tom.pk, "need": need.pk}, format="json")
    assert made.status_code == 201
    api.force_authenticate(business_member)
    assert api.get("/api/v1/interests/").json()["count"] == 1
    api.force_authenticate(outsider)
    assert api.get("/api/v1/interests/").json()["count"] == 0
    # Someone else's volunteer reads like one that does not exist.
    refused = api.post("/api/v1/interests/", {"volunteer": tom.pk, "need": need.pk}, format="json")
    assert refused.status_code == 400 and "volunteer" in refused.json()["fields"]


def test_a_volunteer_registers_from_the_page_and_the_admin_sees_it(
    client, tom, vcs, business_member
):
    skill = factories.SkillFactory(name="Payroll")
    tom.skills.add(skill)
    need = factories.NeedFactory(organisation=vcs, title="Payroll help", skills=[skill])
    client.force_login(tom.user)
    tom.organisation.name = "Mercia Facilities Services"
    tom.organisation.save()
    page = client.get("/volunteering/needs/").content.decode()
    assert "Payroll help" in page and "Needs Payroll, which you have" in page
    assert "Mercia Facilities Services&#x27; administrators are told" in page  # not "Services's"
    client.post(f"/volunteering/needs/{need.pk}/interest/", {"volunteer": tom.pk, "note": "Fri"})
    assert "You said you would like to help" in client.get("/volunteering/needs/").content.decode()

    client.force_login(business_member)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Your volunteers would like to help" in dashboard and "Payroll help" in dashboard


def test_the_page_is_for_volunteers(client, vcs_member):
    client.force_login(vcs_member)
    assert client.get("/volunteering/needs/").status_code == 404
