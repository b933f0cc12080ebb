"""DBS checks through the API: recorded by the business's admins; seen by the volunteer,
those admins and brokers only; needs say which check they require."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from brokerage.models import Volunteer
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def volunteer(business):
    return factories.VolunteerFactory(organisation=business)


def test_admins_record_a_check_and_only_the_right_people_see_it(
    client_for, business, business_member, broker, volunteer
):
    url = f"/api/v1/volunteers/{volunteer.pk}/"
    issued = TODAY - dt.timedelta(days=10)
    saved = client_for(business_member).post(
        url + "dbs/", {"level": "enhanced", "barred_lists": True, "issued_on": str(issued)},
        format="json",
    )  # fmt: skip
    assert saved.status_code == 200
    dbs = saved.json()["dbs"]
    assert (dbs["level"], dbs["barred_lists"], dbs["update_service"]) == ("enhanced", True, False)
    three_years = issued + relativedelta(years=3) - dt.timedelta(days=1)  # the default policy
    assert dbs["counts_until"] == str(three_years)

    colleague = factories.MembershipFactory(organisation=business, role="member").user
    for who, sees in ((volunteer.user, True), (broker, True), (colleague, False)):
        assert (client_for(who).get(url).json()["dbs"] is not None) is sees, who


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level": "gold"}, "level"),
        ({"level": "basic"}, "issued_on"),
        ({"level": "basic", "issued_on": "yesterday"}, "issued_on"),
        ({"level": "standard", "barred_lists": True, "issued_on": str(TODAY)}, "barred_lists"),
    ],
)
def test_bad_checks_are_a_400_and_change_nothing(
    client_for, business_member, volunteer, body, field
):
    answer = client_for(business_member).post(
        f"/api/v1/volunteers/{volunteer.pk}/dbs/", body, format="json"
    )
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert Volunteer.objects.get(pk=volunteer.pk).dbs_level == ""


def test_a_colleague_cannot_record_a_check(client_for, business, volunteer):
    colleague = factories.MembershipFactory(organisation=business, role="member").user
    answer = client_for(colleague).post(
        f"/api/v1/volunteers/{volunteer.pk}/dbs/", {"level": "basic", "issued_on": str(TODAY)},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 403


def test_needs_say_which_check_they_require(client_for, vcs, vcs_member):
    need = factories.NeedFactory(organisation=vcs)
    api = client_for(vcs_member)
    bad = api.patch(
        f"/api/v1/needs/{need.pk}/", {"dbs_required": "basic", "dbs_barred_lists": True},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400 and "dbs_barred_lists" in bad.json()["fields"]
    good = api.patch(
        f"/api/v1/needs/{need.pk}/", {"dbs_required": "enhanced", "dbs_barred_lists": True},
        format="json",
    )  # fmt: skip
    assert (good.json()["dbs_required"], good.json()["dbs_barred_lists"]) == ("enhanced", True)
