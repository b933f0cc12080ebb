"""Notifications through REST: written by the services, private, filterable, markable."""

import pytest

from brokerage.services.matches import accept_match, propose_match
from brokerage.services.organisations import register_organisation, verify_organisation
from tests import factories

pytestmark = pytest.mark.django_db


def test_match_transitions_notify_the_other_side_and_brokers_not_the_actor(
    client_for, offer, need, business_member, vcs_member, broker
):
    match = propose_match(offer=offer, need=need, days=2, by=business_member)
    accept_match(match=match, by=vcs_member)

    def kinds(user):
        return [n["kind"] for n in client_for(user).get("/api/v1/notifications/").json()["results"]]

    assert kinds(vcs_member) == ["match_proposed"]
    assert kinds(business_member) == ["match_accepted"]
    assert kinds(broker) == ["match_accepted", "match_proposed"]
    first = client_for(vcs_member).get("/api/v1/notifications/").json()["results"][0]
    assert first["api_url"] == f"/api/v1/matches/{match.pk}/"
    assert first["subject"] == {"type": "match", "id": match.pk}


def test_registration_tells_brokers_and_verification_tells_members(client_for, broker):
    applicant = factories.UserFactory()
    organisation = register_organisation(
        by=applicant, kind="vcs", name="Tile Hill Men's Shed", contact_email="a@b.org"
    )
    verify_organisation(organisation=organisation, by=broker)

    broker_inbox = client_for(broker).get("/api/v1/notifications/?kind=organisation_pending")
    applicant_inbox = client_for(applicant).get("/api/v1/notifications/").json()["results"]
    assert broker_inbox.json()["count"] == 1
    assert [n["kind"] for n in applicant_inbox] == ["organisation_verified"]


def test_unread_filter_count_and_mark_read(client_for, offer, need, business_member, vcs_member):
    for _ in range(3):
        other_need = factories.NeedFactory(organisation=need.organisation)
        propose_match(offer=offer, need=other_need, days=1, by=business_member)
    client = client_for(vcs_member)
    ids = [n["id"] for n in client.get("/api/v1/notifications/").json()["results"]]

    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 3}
    assert client.post(
        "/api/v1/notifications/mark-read/", {"ids": ids[:1]}, format="json"
    ).json() == {"count": 2}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 2
    assert client.post("/api/v1/notifications/mark-read/", {}, format="json").json() == {"count": 0}


def test_nobody_reads_or_marks_anyone_elses_notifications(
    client_for, offer, need, business_member, vcs_member
):
    propose_match(offer=offer, need=need, days=1, by=business_member)
    theirs = client_for(vcs_member).get("/api/v1/notifications/").json()["results"][0]["id"]
    stranger = client_for(factories.UserFactory())

    assert stranger.get("/api/v1/notifications/").json()["count"] == 0
    stranger.post("/api/v1/notifications/mark-read/", {"ids": [theirs]}, format="json")
    assert client_for(vcs_member).get("/api/v1/notifications/unread-count/").json() == {"count": 1}
    assert client_for(None).get("/api/v1/notifications/").status_code == 401


@pytest.mark.parametrize(
    "body",
    [{"ids": "all"}, {"ids": [0]}, {"ids": ["x"]}, {"ids": list(range(1, 1002))}, {"ids": [2**63]}],
)
def test_bad_mark_read_bodies_are_a_400(client_for, body):
    response = client_for(factories.UserFactory()).post(
        "/api/v1/notifications/mark-read/", body, format="json"
    )

    assert response.status_code == 400


def test_the_inbox_gives_each_notifications_place_and_reads_after_one(
    client_for, offer, need, business_member, vcs_member, django_capture_on_commit_callbacks
):
    """`seq` lines REST up with the socket's resume position: `?after=n` is what resuming
    after n would send, oldest first; nothing is missed or repeated."""
    for _ in range(4):
        other_need = factories.NeedFactory(organisation=need.organisation)
        with django_capture_on_commit_callbacks(execute=True):  # places are given at commit
            propose_match(offer=offer, need=other_need, days=1, by=business_member)
    client = client_for(vcs_member)

    newest_first = client.get("/api/v1/notifications/").json()["results"]
    assert [n["seq"] for n in newest_first] == [4, 3, 2, 1]
    after_two = client.get("/api/v1/notifications/?after=2").json()["results"]
    assert [(n["seq"], n["id"]) for n in after_two] == [
        (n["seq"], n["id"]) for n in reversed(newest_first[:2])
    ]
    assert client.get("/api/v1/notifications/?after=4").json()["results"] == []


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", str(2**63)])
def test_a_position_that_is_not_a_place_is_a_400_naming_after(client_for, after):
    response = client_for(factories.UserFactory()).get(f"/api/v1/notifications/?after={after}")

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"after"}
