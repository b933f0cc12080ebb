"""Changing and closing requests for help and offers from their pages (no JavaScript needed)."""

import datetime as dt

import pytest
from django.utils import timezone

from brokerage.models import ListingStatus, MatchStatus, Need, OfferSkill
from tests import factories

pytestmark = pytest.mark.django_db


def need_form(need: Need, **changes) -> dict:
    """What the browser posts for a need's form, as it stands, with `changes` applied."""
    day = changes.pop("needed_by", need.needed_by)
    data = {
        "title": need.title,
        "description": need.description,
        "ward": need.ward.pk,
        "skills": [row.skill_id for row in need.need_skills.all()],
        "days_needed": need.days_needed,
        "needed_by_0": day.day,
        "needed_by_1": day.month,
        "needed_by_2": day.year,
        "themes": [],
    }
    return data | changes


@pytest.fixture
def signed_in(client, vcs_member):
    client.force_login(vcs_member)
    return client


def test_the_change_page_shows_the_need_as_it_stands(signed_in, need):
    response = signed_in.get(f"/needs/{need.pk}/edit/")

    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{need.title}"' in page
    assert 'value="5"' in page  # days needed
    assert "Save changes" in page


def test_a_member_changes_their_need(signed_in, need):
    response = signed_in.post(
        f"/needs/{need.pk}/edit/", need_form(need, title="HR policy, urgently", days_needed=3)
    )

    assert response.status_code == 302
    assert response.url == f"/needs/{need.pk}/"
    need.refresh_from_db()
    assert (need.title, need.days_needed) == ("HR policy, urgently", 3)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Enter what you need help with"),
        ({"days_needed": "lots"}, "days_needed", "Volunteer-days must be a whole number"),
        ({"days_needed": 0}, "days_needed", "Volunteer-days must be 1 or more"),
        ({"skills": []}, "skills", "Choose at least one skill"),
        ({"needed_by": dt.date(2020, 1, 1)}, "needed_by", "today or in the future"),
    ],
)
def test_bad_changes_are_explained_and_change_nothing(signed_in, need, change, field, message):
    response = signed_in.post(f"/needs/{need.pk}/edit/", need_form(need, **change))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert response.context["form"].errors[field]
    assert Need.objects.get(pk=need.pk).title == need.title
    assert Need.objects.get(pk=need.pk).days_needed == 5


def test_days_cannot_go_below_the_days_already_matched(signed_in, need):
    Need.objects.filter(pk=need.pk).update(days_reserved=4)

    response = signed_in.post(f"/needs/{need.pk}/edit/", need_form(need, days_needed=3))

    assert response.status_code == 200
    assert "4 days are already matched" in response.context["form"].errors["days_needed"][0]
    assert Need.objects.get(pk=need.pk).days_needed == 5


def test_closing_withdraws_waiting_proposals_and_keeps_accepted_matches(signed_in, need):
    waiting = factories.MatchFactory(need=need, status=MatchStatus.PROPOSED)
    accepted = factories.AcceptedMatchFactory(need=need)

    response = signed_in.post(f"/needs/{need.pk}/close/", follow=True)

    assert "is closed" in response.content.decode()
    need.refresh_from_db()
    waiting.refresh_from_db()
    accepted.refresh_from_db()
    assert need.status == ListingStatus.CLOSED
    assert waiting.status == MatchStatus.CANCELLED
    assert accepted.status == MatchStatus.ACCEPTED
    # A closed request offers neither change nor close any more.
    assert "Close this request" not in response.content.decode()
    assert f"/needs/{need.pk}/edit/" not in response.content.decode()


def test_a_closed_need_cannot_be_changed_or_closed_again(signed_in, need):
    Need.objects.filter(pk=need.pk).update(status=ListingStatus.CLOSED, closed_at=timezone.now())

    again = signed_in.post(f"/needs/{need.pk}/close/", follow=True)
    changed = signed_in.post(f"/needs/{need.pk}/edit/", need_form(need, title="New"))

    assert "already closed" in again.content.decode()
    assert changed.status_code == 200
    assert "closed" in changed.content.decode().lower()
    assert Need.objects.get(pk=need.pk).title == need.title


def test_closing_is_a_post_only(signed_in, need):
    assert signed_in.get(f"/needs/{need.pk}/close/").status_code == 405
    assert Need.objects.get(pk=need.pk).status == ListingStatus.OPEN


def test_other_people_cannot_change_or_close_a_need(client, business_member, need):
    client.force_login(business_member)  # can see the open need, but it is not theirs

    assert client.get(f"/needs/{need.pk}/edit/").status_code == 403
    assert client.post(f"/needs/{need.pk}/close/").status_code == 403
    assert Need.objects.get(pk=need.pk).status == ListingStatus.OPEN


def test_someone_elses_draft_is_not_found(client, business_member, vcs):
    draft = factories.NeedFactory(organisation=vcs, status=ListingStatus.DRAFT, published_at=None)
    client.force_login(business_member)

    assert client.get(f"/needs/{draft.pk}/edit/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, need):
    response = client.get(f"/needs/{need.pk}/edit/")

    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


def test_a_broker_can_close_any_need(client, broker, need):
    client.force_login(broker)

    client.post(f"/needs/{need.pk}/close/")

    assert Need.objects.get(pk=need.pk).status == ListingStatus.CLOSED


def test_changing_an_offer_keeps_the_level_of_skills_it_keeps(client, business_member, offer):
    kept = offer.offer_skills.get()
    OfferSkill.objects.filter(pk=kept.pk).update(level=OfferSkill.Level.EXPERT)
    added = factories.SkillFactory()
    client.force_login(business_member)
    data = {
        "title": "Payroll and HR advice",
        "description": "",
        "skills": [kept.skill_id, added.pk],
        "volunteers": 3,
        "days_offered": 12,
        "available_from_0": offer.available_from.day,
        "available_from_1": offer.available_from.month,
        "available_from_2": offer.available_from.year,
        "available_until_0": offer.available_until.day,
        "available_until_1": offer.available_until.month,
        "available_until_2": offer.available_until.year,
        "wards": [],
    }

    response = client.post(f"/offers/{offer.pk}/edit/", data)

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.volunteers, offer.days_offered) == ("Payroll and HR advice", 3, 12)
    levels = dict(offer.offer_skills.values_list("skill_id", "level"))
    assert levels == {kept.skill_id: "expert", added.pk: "experienced"}


def test_an_offer_whose_end_is_before_its_start_is_refused(client, business_member, offer):
    client.force_login(business_member)
    start = offer.available_from
    data = {
        "title": offer.title,
        "skills": [offer.offer_skills.get().skill_id],
        "volunteers": 2,
        "days_offered": 10,
        "available_from_0": start.day,
        "available_from_1": start.month,
        "available_from_2": start.year,
        "available_until_0": start.day,
        "available_until_1": start.month,
        "available_until_2": start.year - 1,
    }

    response = client.post(f"/offers/{offer.pk}/edit/", data)

    assert response.status_code == 200
    assert "on or after the start date" in response.content.decode()
    offer.refresh_from_db()
    assert offer.available_until > start


def test_a_broker_sees_propose_match_on_a_need(client, broker, need, offer):
    offer.offer_skills.update(skill=need.need_skills.get().skill)
    client.force_login(broker)

    page = client.get(f"/needs/{need.pk}/").content.decode()

    assert "Propose match" in page
    assert "Ask for help" not in page


def test_the_charity_sees_ask_for_help_on_its_need(signed_in, need, offer):
    offer.offer_skills.update(skill=need.need_skills.get().skill)

    page = signed_in.get(f"/needs/{need.pk}/").content.decode()

    assert "Ask for help" in page
    assert "Propose match" not in page


def test_each_skill_is_essential_or_nice_to_have_without_javascript(signed_in, need):
    people = factories.SkillCategoryFactory(name="People")
    hr, social, law = (factories.SkillFactory(category=people) for _ in range(3))
    form = need_form(need, skills=[hr.pk, social.pk], nice_to_have=[social.pk, law.pk])

    assert signed_in.post(f"/needs/{need.pk}/edit/", form).status_code == 302

    saved = {row.skill: row.must_have for row in need.need_skills.all()}
    # A "nice to have" tick on a skill not chosen (law) chooses nothing.
    assert saved == {hr: True, social: False}
    page = signed_in.get(f"/needs/{need.pk}/edit/").content.decode()
    assert page.count("data-skill-group") >= 1 and "(2 chosen)" in page  # its group opens
    assert 'id="id_nice_to_have_' in page and "Find a skill" in page


def test_a_draft_is_discarded_not_closed(client, vcs, vcs_member):
    draft = factories.NeedFactory(organisation=vcs, status=ListingStatus.DRAFT)
    client.force_login(vcs_member)

    page = client.get(f"/needs/{draft.pk}/").content.decode()
    assert "Discard this draft" in page and "Close this request" not in page
    assert "govuk-button--warning" not in page  # nothing red for what nobody else has seen

    done = client.post(f"/needs/{draft.pk}/close/", follow=True).content.decode()
    assert "Draft discarded: nobody else saw it." in done
    draft.refresh_from_db()
    assert draft.status == ListingStatus.CLOSED
