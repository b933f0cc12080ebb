"""Registering organisations through the API, verification by brokers, and what is public."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from brokerage.models import Membership, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def served_council():
    """The service's first council, where an organisation naming no home ward is based."""
    return factories.AuthorityFactory()


REGISTRATION = {
    "kind": "vcs",
    "name": "Tile Hill Men's Shed",
    "contact_email": "shed@example.org",
    "charity_number": "1190099",
    "description": "Woodwork and company for older men.",
}


def test_newcomer_signs_up_and_registers_in_one_step(api):
    body = REGISTRATION | {
        "account": {
            "username": "ray",
            "email": "ray@example.org",
            "password": "saw-dust-and-tea-42",
        }
    }

    response = api.post("/api/v1/organisations/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["verification_status"] == "pending"
    user = authenticate(
        RequestFactory().post("/sign-in/"), username="ray", password="saw-dust-and-tea-42"
    )
    assert Membership.objects.get(user=user).role == "admin"


@pytest.mark.parametrize(
    ("account", "field"),
    [
        ({"username": "ray", "email": "ray@example.org", "password": "123"}, "password"),
        ({"username": "ray", "email": "not-an-email", "password": "saw-dust-42x"}, "account.email"),
        (None, "account"),
    ],
)
def test_bad_sign_up_creates_nothing(api, account, field):
    body = REGISTRATION | ({"account": account} if account else {})

    response = api.post("/api/v1/organisations/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Organisation.objects.exists()


def test_signed_in_user_registers_without_an_account_block(client_for):
    user = factories.UserFactory()

    response = client_for(user).post("/api/v1/organisations/", REGISTRATION, format="json")

    assert response.status_code == 201
    assert Membership.objects.filter(user=user, role="admin").exists()


def test_council_cannot_be_registered_through_the_api(client_for):
    response = client_for(factories.UserFactory()).post(
        "/api/v1/organisations/", REGISTRATION | {"kind": "council"}, format="json"
    )

    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


def test_public_sees_no_contact_details_members_and_brokers_do(
    api, client_for, vcs, vcs_member, broker
):
    url = f"/api/v1/organisations/{vcs.pk}/"

    assert "contact_email" not in api.get(url).json()
    assert "contact_email" not in client_for(factories.UserFactory()).get(url).json()
    assert client_for(vcs_member).get(url).json()["contact_email"] == vcs.contact_email
    assert client_for(broker).get(url).json()["verification_status"] == "verified"


def test_broker_works_through_the_verification_queue(client_for, broker):
    pending = factories.VcsFactory(pending=True)
    client = client_for(broker)

    queue = client.get("/api/v1/organisations/?verification_status=pending").json()["results"]
    assert [o["id"] for o in queue] == [pending.pk]
    verified = client.post(f"/api/v1/organisations/{pending.pk}/verify/").json()
    assert verified["verification_status"] == "verified"


def test_rejection_needs_a_reason(client_for, broker):
    pending = factories.VcsFactory(pending=True)

    response = client_for(broker).post(f"/api/v1/organisations/{pending.pk}/reject/", {})

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    pending.refresh_from_db()
    assert pending.verification_status == "pending"


def test_me_lists_organisations_and_roles(client_for, vcs, vcs_member):
    body = client_for(vcs_member).get("/api/v1/me/").json()

    assert body["is_broker"] is False
    assert body["organisations"] == [
        {
            "id": vcs.pk,
            "name": vcs.name,
            "kind": "vcs",
            "verification_status": "verified",
            "role": "admin",
        }
    ]
