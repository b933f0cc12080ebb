"""/api/v1/invitations/: admins invite, list and withdraw; the invitee accepts with the token
from the e-mail. The token itself never appears in the API."""

import re

import pytest
from django.core import mail

from brokerage.models import Invitation, Membership, Organisation
from brokerage.services import invitations
from brokerage.tokens import invitation_token
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_member(vcs):
    return factories.MembershipFactory(organisation=vcs, role=Membership.Role.MEMBER).user


def test_an_admin_invites_and_the_invitee_accepts_with_the_emailed_token(
    vcs, vcs_member, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(vcs_member).post(
            "/api/v1/invitations/",
            {"organisation": vcs.pk, "email": "sam@example.org", "role": "admin"},
            format="json",
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["role"], body["state"]) == ("sam@example.org", "admin", "open")
    token = re.search(r"/invitations/(\S+)/", mail.outbox[0].body).group(1)
    assert token not in response.content.decode()
    sam = factories.UserFactory(email="sam@example.org")

    accepted = client_for(sam).post("/api/v1/invitations/accept/", {"token": token}, format="json")

    assert accepted.status_code == 200
    assert accepted.json()["role"] == "admin"
    assert Membership.objects.filter(user=sam, organisation=vcs, role="admin").exists()
    listed = client_for(vcs_member).get("/api/v1/invitations/").json()["results"]
    assert [row["state"] for row in listed] == ["accepted"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "nope"}, "email"),
        ({"email": ""}, "email"),
        ({"role": "owner"}, "role"),
        ({"organisation": 999_999}, "organisation"),
        ({"organisation": "abc"}, "organisation"),
    ],
)
def test_bad_invitations_name_the_field_and_send_nothing(
    vcs, vcs_member, client_for, change, field
):
    body = {"organisation": vcs.pk, "email": "sam@example.org", "role": "member"} | change

    response = client_for(vcs_member).post("/api/v1/invitations/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_who_may_invite(vcs, plain_member, business_member, broker, client_for):
    pending = factories.VcsFactory(verification_status=Organisation.Verification.PENDING)

    def invite(user, organisation):
        return client_for(user).post(
            "/api/v1/invitations/",
            {"organisation": organisation.pk, "email": "x@example.org"},
            format="json",
        )

    assert invite(None, vcs).status_code == 401
    assert invite(plain_member, vcs).status_code == 403  # a member, not an admin
    assert invite(business_member, vcs).status_code == 403  # can see it, not theirs
    assert invite(business_member, pending).status_code == 400  # cannot even see it
    assert invite(broker, vcs).status_code == 201
    assert Invitation.objects.count() == 1


def test_admins_see_and_withdraw_only_their_organisations_invitations(
    vcs, vcs_member, business, business_member, client_for
):
    ours = invitations.invite(organisation=vcs, by=vcs_member, email="a@example.org")
    theirs = invitations.invite(organisation=business, by=business_member, email="b@example.org")

    listed = client_for(vcs_member).get("/api/v1/invitations/").json()["results"]
    foreign = client_for(vcs_member).post(f"/api/v1/invitations/{theirs.pk}/withdraw/")
    withdrawn = client_for(vcs_member).post(f"/api/v1/invitations/{ours.pk}/withdraw/")
    again = client_for(vcs_member).post(f"/api/v1/invitations/{ours.pk}/withdraw/")

    assert [row["id"] for row in listed] == [ours.pk]
    assert foreign.status_code == 404
    assert withdrawn.json()["state"] == "withdrawn"
    assert again.status_code == 409
    assert Invitation.objects.get(pk=theirs.pk).is_open


@pytest.mark.parametrize("token", ["", "nonsense", "a:b", "x" * 501])
def test_bad_tokens_are_refused(outsider, client_for, token):
    response = client_for(outsider).post(
        "/api/v1/invitations/accept/", {"token": token}, format="json"
    )

    assert response.status_code == 400
    assert Membership.objects.filter(user=outsider).count() == 1  # their own business only


def test_the_token_is_for_the_invitee_only(vcs, vcs_member, outsider, client_for):
    invitation = invitations.invite(organisation=vcs, by=vcs_member, email="sam@example.org")

    response = client_for(outsider).post(
        "/api/v1/invitations/accept/",
        {"token": invitation_token(invitation)},
        format="json",
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(user=outsider, organisation=vcs).exists()


def test_listing_invitations_takes_a_fixed_number_of_queries(
    vcs, vcs_member, client_for, django_assert_max_num_queries
):
    for n in range(20):
        invitations.invite(organisation=vcs, by=vcs_member, email=f"p{n}@example.org")
    client = client_for(vcs_member)

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/invitations/")

    assert response.json()["count"] == 20
