"""Signed-out reads of needs are cached per market version; any change shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage.services.listings import close_listing
from brokerage.services.matches import accept_match, propose_match
from tests import factories

pytestmark = pytest.mark.django_db


def _ids(api):
    return [n["id"] for n in api.get("/api/v1/needs/").json()["results"]]


def test_repeated_public_read_is_served_from_the_cache(api, need):
    api.get("/api/v1/needs/")

    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/needs/").status_code == 200
    assert len(queries) == 0


def test_closing_a_need_shows_in_the_next_public_read(
    api, need, vcs_member, django_capture_on_commit_callbacks
):
    assert _ids(api) == [need.pk]

    with django_capture_on_commit_callbacks(execute=True):
        close_listing(listing=need, by=vcs_member)

    assert _ids(api) == []
    assert api.get(f"/api/v1/needs/{need.pk}/").status_code == 404


def test_matching_days_shows_in_the_next_public_read(
    api, offer, need, business_member, vcs_member, django_capture_on_commit_callbacks
):
    assert api.get(f"/api/v1/needs/{need.pk}/").json()["days_remaining"] == 5

    with django_capture_on_commit_callbacks(execute=True):
        match = propose_match(offer=offer, need=need, days=2, by=business_member)
        accept_match(match=match, by=vcs_member)

    assert api.get(f"/api/v1/needs/{need.pk}/").json()["days_remaining"] == 3


def test_new_need_shows_in_the_next_public_read(api, need, django_capture_on_commit_callbacks):
    assert len(_ids(api)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        factories.NeedFactory()

    assert len(_ids(api)) == 2


def test_signed_in_readers_are_never_served_the_public_cache(api, client_for, vcs, vcs_member):
    draft = factories.NeedFactory(organisation=vcs, status="draft")
    api.get("/api/v1/needs/")  # fills the public cache without the draft

    ids = [n["id"] for n in client_for(vcs_member).get("/api/v1/needs/").json()["results"]]

    assert ids == [draft.pk]


def test_joining_an_organisation_shows_its_drafts_on_the_next_read_and_leaving_hides_them(api, vcs):
    """Membership is read on every request, so the cached answer follows it at once."""
    from knox.models import AuthToken

    draft = factories.NeedFactory(organisation=vcs, status="draft")
    person = factories.UserFactory()
    api.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=person)[1]}")
    assert _ids(api) == []

    membership = factories.MembershipFactory(organisation=vcs, user=person)
    assert _ids(api) == [draft.pk]

    membership.delete()
    assert _ids(api) == []
