"""Offers and needs through the API: the JSON other systems rely on, filters, search,
ordering, pagination, and the lifecycle actions."""

import datetime as dt

import pytest

from brokerage.models import ListingStatus, Need, Offer
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
NEED_FIELDS = {
    "id", "organisation", "organisation_name", "title", "description", "ward", "ward_name",
    "skills", "days_needed", "days_remaining", "needed_by", "remote_ok", "themes", "status",
    "published_at", "created_at", "updated_at", "dbs_required", "dbs_barred_lists",
}  # fmt: skip
OFFER_FIELDS = {
    "id", "organisation", "organisation_name", "title", "description", "skills", "volunteers",
    "days_offered", "days_remaining", "leave_type", "available_from", "available_until",
    "wards", "remote_ok", "status", "published_at", "created_at", "updated_at",
}  # fmt: skip


@pytest.fixture
def taxonomy():
    hr = factories.SkillCategoryFactory(slug="hr-people")
    it = factories.SkillCategoryFactory(slug="it-digital")
    return {
        "hr-policy": factories.SkillFactory(slug="hr-policy", category=hr),
        "payroll": factories.SkillFactory(slug="payroll", category=hr),
        "it-support": factories.SkillFactory(slug="it-support", category=it),
    }


@pytest.fixture
def wards():
    return {
        "foleshill": factories.WardFactory(gss_code="E05001222", name="Foleshill"),
        "henley": factories.WardFactory(gss_code="E05001223", name="Henley"),
    }


def test_vcs_member_posts_publishes_and_closes_a_need(client_for, vcs, vcs_member, taxonomy, wards):
    client = client_for(vcs_member)
    theme = factories.ThemeFactory(slug="homelessness")
    body = {
        "organisation": vcs.pk,
        "title": "HR policy for 60 volunteers",
        "description": "Our volunteer policy needs a rewrite.",
        "ward": "E05001222",
        "skills": [
            {"skill": "hr-policy", "must_have": True},
            {"skill": "payroll", "must_have": False},
        ],
        "days_needed": 3,
        "needed_by": str(TODAY + dt.timedelta(days=40)),
        "remote_ok": True,
        "themes": [theme.slug],
    }

    created = client.post("/api/v1/needs/", body, format="json")
    assert created.status_code == 201, created.json()
    need = created.json()
    assert set(need) == NEED_FIELDS
    assert need["status"] == "draft"
    assert need["ward"] == "E05001222"
    assert need["skills"] == [
        {"skill": "hr-policy", "must_have": True},
        {"skill": "payroll", "must_have": False},
    ]
    assert (need["days_needed"], need["days_remaining"], need["themes"]) == (3, 3, ["homelessness"])

    published = client.post(f"/api/v1/needs/{need['id']}/publish/").json()
    assert published["status"] == "open"
    assert published["published_at"]

    edited = client.patch(f"/api/v1/needs/{need['id']}/", {"days_needed": 5}, format="json")
    assert edited.json()["days_remaining"] == 5

    closed = client.post(f"/api/v1/needs/{need['id']}/close/").json()
    assert closed["status"] == "closed"


def test_business_member_posts_an_offer(client_for, business, business_member, taxonomy, wards):
    body = {
        "organisation": business.pk,
        "title": "IT health checks",
        "skills": [{"skill": "it-support", "level": "expert"}],
        "volunteers": 2,
        "days_offered": 6,
        "leave_type": "mixed",
        "available_from": str(TODAY),
        "available_until": str(TODAY + dt.timedelta(days=90)),
        "wards": ["E05001222", "E05001223"],
    }

    response = client_for(business_member).post("/api/v1/offers/", body, format="json")

    assert response.status_code == 201, response.json()
    offer = response.json()
    assert set(offer) == OFFER_FIELDS
    assert offer["skills"] == [{"skill": "it-support", "level": "expert"}]
    assert sorted(offer["wards"]) == ["E05001222", "E05001223"]
    assert (offer["days_remaining"], offer["leave_type"]) == (6, "mixed")


def test_a_need_cannot_move_to_another_organisation(client_for, need, vcs_member):
    other = factories.VcsFactory()
    factories.MembershipFactory(organisation=other, user=vcs_member)

    response = client_for(vcs_member).patch(
        f"/api/v1/needs/{need.pk}/", {"organisation": other.pk}, format="json"
    )

    assert response.status_code == 400
    assert "organisation" in response.json()["fields"]


def test_anonymous_list_shows_only_open_needs(api, vcs):
    open_need = factories.NeedFactory(organisation=vcs)
    factories.NeedFactory(organisation=vcs, status=ListingStatus.DRAFT)
    factories.NeedFactory(organisation=vcs, status=ListingStatus.CLOSED)

    ids = [item["id"] for item in api.get("/api/v1/needs/").json()["results"]]

    assert ids == [open_need.pk]


def test_vcs_member_sees_own_drafts_among_needs(client_for, vcs, vcs_member):
    draft = factories.NeedFactory(organisation=vcs, status=ListingStatus.DRAFT)
    factories.NeedFactory(status=ListingStatus.DRAFT)  # another charity's draft

    ids = [n["id"] for n in client_for(vcs_member).get("/api/v1/needs/").json()["results"]]

    assert ids == [draft.pk]


def _ids(response):
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


def test_need_filters(api, vcs, taxonomy, wards):
    theme = factories.ThemeFactory(slug="homelessness")
    hr_foleshill = factories.NeedFactory(
        organisation=vcs, ward=wards["foleshill"], skills=[taxonomy["hr-policy"]],
        needed_by=TODAY + dt.timedelta(days=10), remote_ok=True,
    )  # fmt: skip
    hr_foleshill.themes.set([theme])
    it_henley = factories.NeedFactory(
        ward=wards["henley"], skills=[taxonomy["it-support"]],
        needed_by=TODAY + dt.timedelta(days=50),
    )  # fmt: skip
    payroll_henley = factories.NeedFactory(ward=wards["henley"], skills=[taxonomy["payroll"]])

    assert _ids(api.get("/api/v1/needs/?ward=E05001222")) == {hr_foleshill.pk}
    assert _ids(api.get("/api/v1/needs/?ward=E05001222&ward=E05001223")) == {
        hr_foleshill.pk, it_henley.pk, payroll_henley.pk,
    }  # fmt: skip
    assert _ids(api.get("/api/v1/needs/?skill=hr-policy&skill=it-support")) == {
        hr_foleshill.pk, it_henley.pk,
    }  # fmt: skip
    assert _ids(api.get("/api/v1/needs/?category=hr-people")) == {
        hr_foleshill.pk, payroll_henley.pk,
    }  # fmt: skip
    assert _ids(api.get("/api/v1/needs/?theme=homelessness")) == {hr_foleshill.pk}
    assert _ids(api.get("/api/v1/needs/?remote=true")) == {hr_foleshill.pk}
    before = TODAY + dt.timedelta(days=20)
    assert _ids(api.get(f"/api/v1/needs/?needed_by_before={before}")) == {hr_foleshill.pk}
    assert _ids(api.get(f"/api/v1/needs/?organisation={vcs.pk}")) == {hr_foleshill.pk}


def test_need_search_and_ordering(api):
    shelter = factories.NeedFactory(
        title="Paint the night shelter", needed_by=TODAY + dt.timedelta(days=9)
    )
    garden = factories.NeedFactory(
        title="Raised beds", description="Paint the garden shed too",
        needed_by=TODAY + dt.timedelta(days=3), days_needed=8,
    )  # fmt: skip
    other = factories.NeedFactory(title="Bookkeeping", needed_by=TODAY + dt.timedelta(days=5))

    assert _ids(api.get("/api/v1/needs/?search=paint")) == {shelter.pk, garden.pk}
    by_deadline = api.get("/api/v1/needs/?ordering=needed_by").json()["results"]
    assert [n["id"] for n in by_deadline] == [garden.pk, other.pk, shelter.pk]
    by_days = api.get("/api/v1/needs/?ordering=-days_needed").json()["results"]
    assert by_days[0]["id"] == garden.pk
    newest = api.get("/api/v1/needs/").json()["results"]
    assert [n["id"] for n in newest] == [other.pk, garden.pk, shelter.pk]


def test_pages_are_capped_at_100(api):
    factories.NeedFactory.create_batch(3)

    page = api.get("/api/v1/needs/?page_size=2").json()
    assert (page["count"], len(page["results"]), page["next"] is not None) == (3, 2, True)
    assert len(api.get("/api/v1/needs/?page_size=100000").json()["results"]) == 3
    assert api.get("/api/v1/needs/?page=99999999").status_code == 404


def test_offer_filters(client_for, broker, taxonomy, wards):
    client = client_for(broker)
    anywhere = factories.OfferFactory(skills=[taxonomy["hr-policy"]], leave_type="unpaid")
    foleshill_only = factories.OfferFactory(skills=[taxonomy["it-support"]])
    foleshill_only.wards.set([wards["foleshill"]])
    later = factories.OfferFactory(
        available_from=TODAY + dt.timedelta(days=100),
        available_until=TODAY + dt.timedelta(days=200),
    )

    assert _ids(client.get("/api/v1/offers/?ward=E05001223")) == {anywhere.pk, later.pk}
    assert _ids(client.get("/api/v1/offers/?ward=E05001222")) == {
        anywhere.pk, foleshill_only.pk, later.pk,
    }  # fmt: skip
    soon = TODAY + dt.timedelta(days=10)
    assert _ids(client.get(f"/api/v1/offers/?available_on={soon}")) == {
        anywhere.pk, foleshill_only.pk,
    }  # fmt: skip
    assert _ids(client.get("/api/v1/offers/?leave_type=unpaid")) == {anywhere.pk}
    assert _ids(client.get("/api/v1/offers/?category=it-digital")) == {foleshill_only.pk}


def test_draft_without_matches_can_be_deleted_but_a_published_one_is_closed_instead(
    client_for, business, business_member
):
    client = client_for(business_member)
    draft = factories.OfferFactory(organisation=business, status=ListingStatus.DRAFT)
    published = factories.OfferFactory(organisation=business)

    assert client.delete(f"/api/v1/offers/{draft.pk}/").status_code == 204
    response = client.delete(f"/api/v1/offers/{published.pk}/")
    assert response.status_code == 409
    assert "close it instead" in response.json()["detail"]
    assert not Offer.objects.filter(pk=draft.pk).exists()
    assert Offer.objects.filter(pk=published.pk).exists()


def test_publishing_an_unverified_charitys_need_is_a_conflict(client_for):
    charity = factories.VcsFactory(pending=True)
    member = factories.MembershipFactory(organisation=charity).user
    need = factories.NeedFactory(organisation=charity, status=ListingStatus.DRAFT)

    response = client_for(member).post(f"/api/v1/needs/{need.pk}/publish/")

    assert response.status_code == 409
    assert response.json()["code"] == "organisation_not_verified"
    assert Need.objects.get(pk=need.pk).status == ListingStatus.DRAFT


def test_fast_read_shape_equals_the_documented_serializer(business, vcs):
    """The list and detail JSON is built by api.representations; the schema documents the
    serializers. They must agree field for field."""
    from api.representations import need_json, offer_json
    from api.serializers.listings import NeedSerializer, OfferSerializer
    from api.views.listings import NeedViewSet, OfferViewSet

    ward = factories.WardFactory()
    offer = factories.OfferFactory(
        organisation=business, skills=factories.SkillFactory.create_batch(2)
    )
    offer.wards.set([ward])
    need = factories.NeedFactory(organisation=vcs, ward=ward)
    need.themes.set([factories.ThemeFactory()])

    member = factories.MembershipFactory(organisation=business).user

    for viewset, represent, serializer, obj in [
        (NeedViewSet, need_json, NeedSerializer, need),
        (OfferViewSet, offer_json, OfferSerializer, offer),
    ]:
        view = viewset()
        view.request = type(
            "Request", (), {"user": member, "auth": None}
        )()  # querysets ask who is asking
        loaded = view.get_queryset().get(pk=obj.pk)  # as the views load it
        assert represent(loaded) == dict(serializer(loaded).data)
