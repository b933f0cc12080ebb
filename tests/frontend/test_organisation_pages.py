"""The organisation page (details, people, invitations) and the page an invitation opens."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage.models import Invitation, Membership, Organisation
from brokerage.services import invitations
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(vcs):
    return factories.MembershipFactory(
        organisation=vcs, role=Membership.Role.ADMIN, user__first_name="Asha"
    ).user


def test_an_admin_sees_people_and_the_invite_form(client, vcs, admin, vcs_member):
    client.force_login(admin)

    page = client.get(f"/organisations/{vcs.pk}/").content.decode()

    assert vcs_member.email in page
    assert "Invite a colleague" in page


def test_an_admin_invites_from_the_page_and_an_email_goes_out(
    client, vcs, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organisations/{vcs.pk}/", {"email": "sam@example.org", "role": "member"}
        )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    page = client.get(f"/organisations/{vcs.pk}/").content.decode()
    assert "Invitation sent to sam@example.org" in page
    assert "Withdraw" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "member"}, "Enter their email address"),
        ({"email": "sam at example", "role": "member"}, "Enter an email address in the correct"),
        ({"email": "sam@example.org", "role": "owner"}, "Select a valid choice"),
    ],
)
def test_bad_invitations_are_explained_and_keep_what_was_typed(client, vcs, admin, data, message):
    client.force_login(admin)

    response = client.post(f"/organisations/{vcs.pk}/", data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    if data["email"]:
        assert f'value="{data["email"]}"' in page
    assert not Invitation.objects.exists()


def test_inviting_a_member_again_is_explained(client, vcs, admin, vcs_member):
    client.force_login(admin)

    response = client.post(
        f"/organisations/{vcs.pk}/", {"email": vcs_member.email, "role": "member"}
    )

    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_plain_members_see_people_but_cannot_invite(client, vcs):
    member = factories.MembershipFactory(organisation=vcs, role=Membership.Role.MEMBER).user
    client.force_login(member)

    page = client.get(f"/organisations/{vcs.pk}/").content.decode()
    posted = client.post(f"/organisations/{vcs.pk}/", {"email": "x@example.org", "role": "admin"})

    assert member.email in page
    assert "Invite a colleague" not in page
    assert posted.status_code == 403
    assert not Invitation.objects.exists()


def test_other_organisations_see_the_public_details_only(client, vcs, vcs_member, business_member):
    client.force_login(business_member)

    page = client.get(f"/organisations/{vcs.pk}/").content.decode()

    assert str(vcs) in page
    assert vcs_member.email not in page
    assert vcs.contact_email not in page


def test_a_pending_organisation_is_hidden_from_others(client, business_member):
    pending = factories.VcsFactory(verification_status=Organisation.Verification.PENDING)
    client.force_login(business_member)

    assert client.get(f"/organisations/{pending.pk}/").status_code == 404


def test_withdrawing_from_the_page(client, vcs, admin):
    invitation = invitations.invite(organisation=vcs, by=admin, email="sam@example.org")
    client.force_login(admin)

    client.post(f"/invitations/{invitation.pk}/withdraw/")

    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None


def test_only_admins_withdraw(client, vcs, admin, business_member):
    invitation = invitations.invite(organisation=vcs, by=admin, email="sam@example.org")
    client.force_login(business_member)

    assert client.post(f"/invitations/{invitation.pk}/withdraw/").status_code == 403
    assert Invitation.objects.get(pk=invitation.pk).is_open


@pytest.fixture
def link(vcs, admin, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(organisation=vcs, by=admin, email="sam@example.org")
    return re.search(r"(/invitations/\S+/)", mail.outbox[-1].body).group(1)


def test_a_newcomer_creates_an_account_from_the_link_and_is_signed_in(client, vcs, link):
    response = client.post(
        link,
        {
            "first_name": "Sam",
            "last_name": "Okoro",
            "username": "sam",
            "password": "a long enough passphrase",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/organisations/{vcs.pk}/"
    assert response.context["user"].username == "sam"
    assert Membership.objects.filter(user__username="sam", organisation=vcs).exists()
    assert "You have joined" in response.content.decode()


def test_a_newcomer_with_bad_details_is_told_and_nothing_is_made(client, link):
    response = client.post(link, {"first_name": "Sam", "username": "", "password": "1"})

    page = response.content.decode()
    assert "Enter your last name" in page
    assert "Choose a username" in page
    assert 'value="Sam"' in page
    assert not Membership.objects.filter(user__first_name="Sam").exists()


def test_a_weak_password_is_explained(client, link):
    response = client.post(
        link, {"first_name": "Sam", "last_name": "Okoro", "username": "sam", "password": "123"}
    )

    assert "This password is too short" in response.content.decode()
    assert not Membership.objects.filter(user__username="sam").exists()


def test_a_signed_in_invitee_accepts_with_one_button(client, vcs, link):
    sam = factories.UserFactory(email="sam@example.org")
    client.force_login(sam)

    assert "Accept and join" in client.get(link).content.decode()
    client.post(link)

    assert Membership.objects.filter(user=sam, organisation=vcs).exists()


def test_someone_signed_in_as_another_person_is_told_and_not_joined(client, vcs, link):
    eve = factories.UserFactory(email="eve@example.org")
    client.force_login(eve)

    page = client.get(link).content.decode()
    refused = client.post(link).content.decode()

    assert "This invitation is for sam@example.org" in page
    assert "sent to sam@example.org" in refused
    assert not Membership.objects.filter(user=eve, organisation=vcs).exists()


@pytest.mark.parametrize("path", ["/invitations/nonsense/", "/invitations/a:b/"])
def test_a_bad_link_says_it_cannot_be_used(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "This invitation cannot be used" in response.content.decode()


def test_a_used_link_says_so(client, link):
    factories.UserFactory(email="sam@example.org")
    client.post(
        link,
        {"first_name": "A", "last_name": "B", "username": "sam2", "password": "long pass 1234"},
    )
    client.logout()

    response = client.get(link)

    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_the_broker_dashboard_lists_todays_listings_and_deprived_wards(client, broker, vcs):
    poorer = factories.WardFactory(name="Foleshill", imd_score=48.2)
    richer = factories.WardFactory(name="Wainbody", imd_score=6.1)
    factories.NeedFactory(organisation=vcs, ward=richer, title="Website help")
    factories.NeedFactory(organisation=vcs, ward=poorer, title="HR policy")
    factories.OfferFactory(title="Payroll advice")
    client.force_login(broker)

    response = client.get("/dashboard/")

    page = response.content.decode()
    deprived = page[page.index('data-testid="deprived"') :]
    assert deprived.index("HR policy") < deprived.index("Website help")
    assert "48.2" in deprived
    assert "Payroll advice" in page[page.index('data-testid="new-offers"') :]


def test_the_broker_dashboard_query_count_does_not_grow_with_listings(client, broker, vcs):
    client.force_login(broker)

    def queries() -> int:
        client.get("/dashboard/")  # the engine's market is built once per market version
        with CaptureQueriesContext(connection) as done:
            client.get("/dashboard/")
        return len(done)

    for _ in range(3):
        factories.NeedFactory(organisation=vcs)
        factories.OfferFactory()
    few = queries()
    for _ in range(15):
        factories.NeedFactory(organisation=vcs)
        factories.OfferFactory()
    assert queries() == few
