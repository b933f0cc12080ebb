"""A business's admin runs its volunteering scheme from pages: adds volunteers and their
skills, sets the leave policy, reads its contracts' statements and its credits."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage.models import AuditEntry, Contract, LeavePolicy, Membership, Volunteer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(business):
    return factories.MembershipFactory(
        organisation=business, role=Membership.Role.MEMBER, user__first_name="Asha"
    ).user


def test_the_admin_adds_a_volunteer_and_changes_their_skills(
    client, business, business_member, colleague
):
    payroll, law = factories.SkillFactory(name="Payroll"), factories.SkillFactory(name="Law")
    client.force_login(business_member)
    assert "Volunteers" in client.get("/dashboard/").content.decode()
    url = f"/organisations/{business.pk}/volunteers/"
    assert "Asha" in client.get(url).content.decode()

    client.post(url, {"add-user": colleague.pk, "add-skills": [payroll.pk]})
    volunteer = Volunteer.objects.get(user=colleague)
    assert list(volunteer.skills.all()) == [payroll]
    page = client.get(url).content.decode()
    assert "Leave left this year: paid 2" in page

    client.post(f"{url}skills/{volunteer.pk}/", {f"skills-{volunteer.pk}-skills": [law.pk]})
    assert list(volunteer.skills.all()) == [law]
    nobody = client.post(url, {"add-user": ""})
    assert "Choose who volunteers" in nobody.content.decode()


def test_the_admin_sets_the_leave_policy_and_bad_values_are_refused(
    client, business, business_member
):
    client.force_login(business_member)
    url = f"/organisations/{business.pk}/leave-policy/"
    assert 'value="2' in client.get(url).content.decode()  # the default, not yet saved
    fields = {
        "paid_days": "3", "unpaid_days": "5", "year_start_month": "4", "year_start_day": "1",
    }  # fmt: skip
    assert client.post(url, fields).status_code == 302
    policy = LeavePolicy.objects.get(organisation=business)
    assert (policy.paid_days, policy.year_start_month) == (Decimal(3), 4)
    assert AuditEntry.objects.filter(action="leave_policy_changed").exists()

    bad = client.post(url, fields | {"year_start_day": "31"})
    assert "govuk-error-summary" in bad.content.decode()
    policy.refresh_from_db()
    assert policy.year_start_day == 1


def test_the_social_value_page_shows_statements_and_credits(client, business, business_member):
    Contract.objects.create(
        organisation=business, council=business.council, title="Street lighting PFI",
        starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2030, 3, 31), committed_hours=Decimal(500),
    )  # fmt: skip
    client.force_login(business_member)
    page = client.get(f"/organisations/{business.pk}/social-value/").content.decode()
    assert "Street lighting PFI" in page and "500" in page
    assert "data-credits-total" in page
    download = client.get(f"/api/v1/organisations/{business.pk}/credits/?format=csv")
    assert download.status_code == 200, download.status_code
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.decode().startswith("id,at,date")  # none yet: still the header
    # Links that read the same go to the same place (screen readers list links by text).
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    where = {}
    for href, text in links:
        assert where.setdefault(re.sub(r"<[^>]+>", "", text).strip(), href) == href, text


def test_a_volunteer_cannot_run_the_scheme(client, business, colleague):
    client.force_login(colleague)
    for path in ("volunteers/", "leave-policy/"):
        assert client.get(f"/organisations/{business.pk}/{path}").status_code == 403
    assert client.get(f"/organisations/{business.pk}/social-value/").status_code == 200


def test_a_charity_has_no_volunteers_page(client, vcs, vcs_member):
    client.force_login(vcs_member)
    assert client.get(f"/organisations/{vcs.pk}/volunteers/").status_code == 404


def test_the_volunteers_page_costs_the_same_queries_however_many_volunteers(
    client, business, business_member
):
    client.force_login(business_member)
    url = f"/organisations/{business.pk}/volunteers/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            client.get(url)
        return len(done)

    factories.VolunteerFactory(organisation=business)
    few = queries()
    for _ in range(5):
        factories.VolunteerFactory(organisation=business)
    assert queries() == few  # leave ledgers come in two queries for all of them


HTMX = {"HX-Request": "true"}


def test_each_volunteers_forms_are_offered_closed_and_come_when_opened(
    client, business, business_member
):
    law = factories.SkillFactory(name="Employment law")
    sam = factories.VolunteerFactory(organisation=business, user__first_name="Sam")
    sam.skills.add(law)
    client.force_login(business_member)
    url = f"/organisations/{business.pk}/volunteers/"

    page = client.get(url).content.decode()
    for name in ("skills", "dbs"):
        assert f'hx-get="{url}{sam.pk}/forms/{name}/"' in page
        assert f'href="{url}?open={name}-{sam.pk}#{name}-{sam.pk}"' in page  # without JS
    assert f'name="skills-{sam.pk}-skills"' not in page and f"dbs-{sam.pk}-level" not in page

    skills = client.get(f"{url}{sam.pk}/forms/skills/", headers=HTMX).content.decode()
    assert f'action="{url}skills/{sam.pk}/"' in skills and "<html" not in skills
    assert f'<option value="{law.pk}" selected>Employment law</option>' in skills
    dbs = client.get(f"{url}{sam.pk}/forms/dbs/", headers=HTMX).content.decode()
    assert f'action="{url}dbs/{sam.pk}/"' in dbs and f'name="dbs-{sam.pk}-level"' in dbs

    opened = client.get(f"{url}?open=skills-{sam.pk}").content.decode()
    assert opened.split(f'id="skills-{sam.pk}"')[1].startswith(" open>")
    assert f'name="skills-{sam.pk}-skills"' in opened and f"dbs-{sam.pk}-level" not in opened
    elsewhere = client.get(f"{url}{sam.pk}/forms/dbs/")
    assert elsewhere.status_code == 302 and elsewhere.url == f"{url}?open=dbs-{sam.pk}#dbs-{sam.pk}"


def test_a_refused_dbs_check_comes_back_open_with_its_error(client, business, business_member):
    sam = factories.VolunteerFactory(organisation=business)
    client.force_login(business_member)
    url = f"/organisations/{business.pk}/volunteers/"

    page = client.post(
        f"{url}dbs/{sam.pk}/", {f"dbs-{sam.pk}-level": "basic", f"dbs-{sam.pk}-issued_on": "soon"}
    ).content.decode()

    assert page.split(f'id="dbs-{sam.pk}"')[1].startswith(" open>")
    assert "Enter a real date" in page
    sam.refresh_from_db()
    assert sam.dbs_level == ""


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("another business's volunteer", 404),
        ("a volunteer who stopped", 404),
        ("no such form", 404),
        ("a colleague who does not administer", 403),
    ],
)
def test_a_volunteers_form_is_served_to_the_businesss_admins_only(
    client, business, business_member, colleague, case, status
):
    sam = factories.VolunteerFactory(organisation=business)
    other = factories.VolunteerFactory()
    volunteer, name, user = sam, "skills", business_member
    if case == "another business's volunteer":
        volunteer = other
    elif case == "a volunteer who stopped":
        Volunteer.objects.filter(pk=sam.pk).update(is_active=False)
    elif case == "no such form":
        name = "password"
    else:
        user = colleague
    client.force_login(user)

    answer = client.get(
        f"/organisations/{business.pk}/volunteers/{volunteer.pk}/forms/{name}/", headers=HTMX
    )

    assert answer.status_code == status
