"""What probing found answering 500, leaking or redirecting off-site now answers the right
4xx in the one error shape, and changes nothing."""

import datetime as dt

import pytest
from django.test import Client

from brokerage.models import ListingStatus, Match, Need, NeedSkill
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(db):
    return factories.SkillFactory(slug="hr-policy")


# --- partial updates of nested skills ---------------------------------------------------------


@pytest.mark.parametrize("skills", [[{}], [{"must_have": True}], [{"must_have": False}]])
def test_a_need_skill_without_its_skill_is_a_400_and_changes_nothing(
    client_for, vcs, vcs_member, hr, skills
):
    need = factories.NeedFactory(organisation=vcs, skills=[hr])
    before = list(need.need_skills.values_list("skill__slug", "must_have"))

    answer = client_for(vcs_member).patch(
        f"/api/v1/needs/{need.pk}/", {"skills": skills}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid" and "skills.0.skill" in answer.json()["fields"]
    assert list(need.need_skills.values_list("skill__slug", "must_have")) == before


def test_an_offer_skill_without_its_skill_is_a_400(client_for, business, business_member, hr):
    offer = factories.OfferFactory(organisation=business)

    answer = client_for(business_member).patch(
        f"/api/v1/offers/{offer.pk}/", {"skills": [{}]}, format="json"
    )

    assert answer.status_code == 400 and "skills.0.skill" in answer.json()["fields"]


def test_a_partial_update_of_skills_keeps_their_defaults(client_for, vcs, vcs_member, hr):
    need = factories.NeedFactory(organisation=vcs)

    answer = client_for(vcs_member).patch(
        f"/api/v1/needs/{need.pk}/", {"skills": [{"skill": "hr-policy"}]}, format="json"
    )

    assert answer.status_code == 200
    assert NeedSkill.objects.get(need=need).must_have is True  # essential unless said


# --- the signed-in user, with a session -------------------------------------------------------


def test_me_answers_a_session_as_it_answers_a_token(vcs_member):
    client = Client()
    client.force_login(vcs_member)

    answer = client.get("/api/v1/me/")

    assert answer.status_code == 200 and answer.json()["username"] == vcs_member.username


# --- the propose form -------------------------------------------------------------------------


@pytest.mark.parametrize("offer", ["abc", "\x00", "", "1e9"])
def test_proposing_with_an_id_that_is_not_one_is_a_404(client, business_member, need, offer):
    client.force_login(business_member)

    answer = client.post("/matches/propose/", {"offer": offer, "need": need.pk})

    assert answer.status_code == 404
    assert not Match.objects.exists()


@pytest.mark.parametrize(
    "back", ["https://evil.example/phish", "//evil.example/phish", "javascript:alert(1)"]
)
def test_a_failed_proposal_never_sends_the_user_off_the_site(client, business_member, offer, back):
    draft = factories.NeedFactory(status=ListingStatus.DRAFT)  # cannot be proposed for
    client.force_login(business_member)

    answer = client.post("/matches/propose/", {"offer": offer.pk, "need": draft.pk, "back": back})

    assert answer.status_code in (302, 404)
    assert "evil.example" not in answer.get("Location", "")
    assert not answer.get("Location", "").startswith("javascript")


def test_a_failed_proposal_goes_back_to_a_page_on_this_site(client, vcs_member, offer, vcs):
    need = factories.NeedFactory(organisation=vcs, needed_by=dt.date.today() - dt.timedelta(1))
    client.force_login(vcs_member)

    answer = client.post(
        "/matches/propose/", {"offer": offer.pk, "need": need.pk, "back": f"/needs/{need.pk}/"}
    )

    assert (answer.status_code, answer["Location"]) in ((302, f"/needs/{need.pk}/"), (404, None))


# --- what others' drafts tell ------------------------------------------------------------------


def test_another_organisations_draft_reads_like_nothing_at_all(client_for, vcs, vcs_member):
    secret = factories.OfferFactory(title="Secret draft offer ZQY", status=ListingStatus.DRAFT)
    need = factories.NeedFactory(organisation=vcs)
    client = client_for(vcs_member)

    def propose(offer_id: int):
        return client.post(
            "/api/v1/matches/", {"offer": offer_id, "need": need.pk, "days": 1}, format="json"
        )

    draft, missing = propose(secret.pk), propose(secret.pk + 10_000)

    assert draft.status_code == missing.status_code
    assert draft.json()["detail"].replace(str(secret.pk), "N") == missing.json()["detail"].replace(
        str(secret.pk + 10_000), "N"
    )
    assert "Secret" not in draft.content.decode()


# --- the edges of the API ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/v2/needs/", "/api/"])
def test_unknown_api_paths_answer_the_json_error_shape(api, path):
    answer = api.get(path)

    assert answer.status_code == 404
    assert answer.json() == {"code": "not_found", "detail": "Not found.", "fields": {}}


def test_a_missing_object_has_the_code_not_found(client_for, vcs_member):
    answer = client_for(vcs_member).get("/api/v1/matches/987654/")

    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("path", "signed_in"), [("/api/v1/needs/", True), ("/api/v1/auth/token/", False)]
)
def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client_for, vcs_member, settings, path, signed_in
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b'{"title": "' + b"x" * 4096 + b'"}'

    answer = client_for(vcs_member if signed_in else None).post(
        path, body, content_type="application/json"
    )

    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"
    assert not Need.objects.exists()
