"""A person's own data: they download everything held about them, and they can close their
account — afterwards no table holds their name or e-mail, while the hours, matches and £ of
social value they gave stay, anonymised."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.db import connection
from django.db.models import Sum
from knox.models import AuthToken
from rest_framework.test import APIClient

from brokerage.datasets.personal_data import personal_data
from brokerage.datasets.reference_data import load_measures
from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.models import AuditEntry, Match, Membership, Notification, TimeEntry, User
from brokerage.services import accounts, hours, invitations, organisations
from brokerage.tokens import invitation_token
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
DAY = dt.date(2026, 6, 10)


@pytest.fixture
def priya(business, vcs, vcs_member, broker):
    """A volunteer with a full record: invited, skilled, booked, hours confirmed and valued,
    a failed sign-in, an API token, and a charity told about her by name."""
    load_measures()
    user = factories.UserFactory(
        username="priya.shah",
        first_name="Priya",
        last_name="Shah",
        email="Priya.Shah@mlpfi.example",
    )
    admin = factories.MembershipFactory(organisation=business).user
    invitation = invitations.invite(
        organisation=business, email=user.email, role="member", by=admin
    )
    invitations.accept(token=invitation_token(invitation), user=user)
    skill = factories.SkillFactory(name="Payroll")
    volunteer = factories.VolunteerFactory(organisation=business, user=user)
    volunteer.skills.add(skill)
    match = factories.AcceptedMatchFactory(
        offer=factories.OfferFactory(organisation=business, skills=[skill]),
        need=factories.NeedFactory(organisation=vcs, skills=[skill]),
    )
    entry = hours.log_time(
        match=match, volunteer=volunteer, date=DAY, hours=Decimal(5),
        leave_type="own_time", description="Set up the payroll run", by=user,
    )  # fmt: skip
    hours.confirm_time(entry=entry, by=vcs_member)
    business.contact_email = user.email
    business.save()
    AccessAttempt.objects.create(username=user.username, failures_since_start=1)
    AuthToken.objects.create(user=user)
    return user


def _tables_holding(text: str) -> list[str]:
    """Every table.column (any type, cast to text) whose value contains `text`."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                column = connection.ops.quote_name(field.column)
                cursor.execute(
                    f"SELECT 1 FROM {connection.ops.quote_name(table)} "
                    f"WHERE LOWER(CAST({column} AS TEXT)) LIKE %s LIMIT 1",
                    [f"%{text.lower()}%"],
                )
                if cursor.fetchone():
                    found.append(f"{table}.{field.column}")
    return found


def test_the_download_holds_each_part_of_the_record(priya):
    data = json.loads(json.dumps(personal_data(priya), default=str))
    assert data["account"]["email"] == "Priya.Shah@mlpfi.example"
    assert [m["organisation"] for m in data["memberships"]] == ["Midlands Lighting PFI"]
    assert data["volunteer_records"][0]["skills"] == ["Payroll"]
    assert data["hours"][0]["what_was_done"] == "Set up the payroll run"
    assert data["hours"][0]["status"] == "confirmed"
    assert {"bookings", "leave", "feedback_given", "notifications", "administrative_acts"} <= set(
        data
    )


def test_the_api_download_is_theirs_alone(priya, vcs_member):
    client = APIClient()
    client.force_authenticate(priya)
    response = client.get("/api/v1/me/data/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["account"]["username"] == "priya.shah"
    assert body["hours"][0]["hours"] == "5.00"

    client.force_authenticate(vcs_member)
    theirs = client.get("/api/v1/me/data/").json()
    assert theirs["account"]["username"] == "coordinator" and theirs["hours"] == []
    assert APIClient().get("/api/v1/me/data/").status_code == 401


def test_closing_leaves_no_table_holding_their_name_or_email(priya):
    before = {
        "hours": TimeEntry.objects.aggregate(h=Sum("hours"), v=Sum("value")),
        "matches": Match.objects.count(),
    }
    for trace in ("Priya Shah", "priya.shah@mlpfi.example", "priya.shah"):
        assert _tables_holding(trace), trace  # the check can see them before

    accounts.close_account(user=priya, by=priya, password=PASSWORD)

    for trace in ("Priya Shah", "priya.shah@mlpfi.example", "priya.shah"):
        assert _tables_holding(trace) == [], trace
    # What she did stays: the hours, their £ value and the match.
    assert TimeEntry.objects.aggregate(h=Sum("hours"), v=Sum("value")) == before["hours"]
    assert before["hours"]["v"] > 0
    assert Match.objects.count() == before["matches"]
    entry = TimeEntry.objects.get()
    assert entry.logged_by_id == priya.pk and entry.volunteer.user.username == f"closed-{priya.pk}"
    closed = User.objects.get(pk=priya.pk)
    assert not closed.is_active and not closed.has_usable_password()
    assert not Membership.objects.filter(user=closed).exists()
    assert not AuthToken.objects.filter(user=closed).exists()
    # The charity's notification says who without naming her.
    told = Notification.objects.get(kind=Notification.Kind.HOURS_TO_CONFIRM)
    assert told.text.startswith("a former member (Midlands Lighting PFI) logged 5 hours")


def test_the_audit_log_keeps_their_acts_without_their_name(broker, council):
    second = factories.MembershipFactory(organisation=council).user  # the council keeps an admin
    organisations.reject_organisation(
        organisation=factories.VcsFactory(pending=True), by=broker, reason="Duplicate"
    )
    accounts.close_account(user=broker, by=broker, password=PASSWORD)
    rejected = AuditEntry.objects.get(action=AuditEntry.Action.ORGANISATION_REJECTED)
    assert rejected.actor.username == f"closed-{broker.pk}"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_CLOSED).count() == 1
    assert second.is_active


def test_each_refusal_changes_nothing(priya, business, vcs_member):
    with pytest.raises(InvalidInput) as wrong:
        accounts.close_account(user=priya, by=priya, password="not it")
    assert wrong.value.fields == {"password": ["That is not your password."]}
    with pytest.raises(NotAllowed):
        accounts.close_account(user=priya, by=vcs_member, password=PASSWORD)
    # The charity's only administrator, with a member beside them, must hand over first.
    charity = vcs_member.memberships.get().organisation
    factories.MembershipFactory(organisation=charity, role="member")
    with pytest.raises(InvalidTransition, match="only administrator"):
        accounts.close_account(user=vcs_member, by=vcs_member, password=PASSWORD)
    for user in (priya, vcs_member):
        user.refresh_from_db()
        assert user.is_active and user.email
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCOUNT_CLOSED).exists()


def test_closing_through_the_api_ends_every_token(priya):
    token = AuthToken.objects.create(user=priya)[1]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/me/close/", {"password": "nope"}, format="json").status_code == 400
    assert client.post("/api/v1/me/close/", {}, format="json").json()["fields"] == {
        "password": ["This field is required."]
    }
    closed = client.post("/api/v1/me/close/", {"password": PASSWORD}, format="json")
    assert closed.status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_the_account_page_downloads_and_closes(client, priya):
    client.force_login(priya)
    page = client.get("/account/").content.decode()
    assert "Download your data" in page and "Close my account" in page
    download = client.get("/account/my-data.json")
    assert download["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert download.json()["account"]["last_name"] == "Shah"

    unconfirmed = client.post("/account/close/", {"password": PASSWORD})
    assert "Confirm that you understand" in unconfirmed.content.decode()
    wrong = client.post("/account/close/", {"password": "nope", "understood": "on"})
    assert "That is not your password" in wrong.content.decode()
    assert User.objects.get(pk=priya.pk).is_active

    closed = client.post("/account/close/", {"password": PASSWORD, "understood": "on"}, follow=True)
    assert "Your account is closed" in closed.content.decode()
    assert client.get("/account/").status_code == 302  # signed out
