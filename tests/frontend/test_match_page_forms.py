"""The match page offers booking a volunteer and logging hours in closed <details>, and
builds those forms only when one is opened (htmx fetches it; without JavaScript a link
opens the page again with it in place). What each person is offered stays exactly as
before; a form someone is not offered is never served; the page's queries do not grow with
its bookings, hours or the business's volunteers."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brokerage.models import Match, MatchStatus
from brokerage.services import assignments, hours
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def delivery(business, vcs, business_member, vcs_member):
    tom = factories.VolunteerFactory(
        organisation=business, user__username="tom", user__first_name="Tom"
    )
    match = factories.AcceptedMatchFactory(
        offer__organisation=business, need__organisation=vcs, days=5
    )
    return {"match": match, "tom": tom, "admin": business_member, "charity": vcs_member}


def _page(client, user, match, query: str = "") -> str:
    client.force_login(user)
    answer = client.get(f"/matches/{match.pk}/{query}")
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_page_offers_the_forms_closed_and_builds_neither(client, delivery):
    match = delivery["match"]
    page = _page(client, delivery["admin"], match)

    for name, summary in (("book", "Book a volunteer"), ("log", "Log hours")):
        assert summary in page
        assert f'hx-get="/matches/{match.pk}/forms/{name}/"' in page
        # The way in without JavaScript: the page's own address, whatever address served it.
        assert f'href="/matches/{match.pk}/?open={name}#{name}"' in page
    assert 'name="book-volunteer"' not in page and 'name="log-volunteer"' not in page
    assert "days left" not in page


def test_opening_one_fetches_that_form_alone(client, delivery):
    match = delivery["match"]
    client.force_login(delivery["admin"])

    book = client.get(f"/matches/{match.pk}/forms/book/", headers=HTMX).content.decode()
    log = client.get(f"/matches/{match.pk}/forms/log/", headers=HTMX).content.decode()

    assert 'name="book-volunteer"' in book and "Tom (paid 2.00 days left" in book
    assert f'action="/matches/{match.pk}/book/"' in book
    assert 'name="csrfmiddlewaretoken"' in book  # it posts like the page's own forms
    assert "<html" not in book and "log-volunteer" not in book
    assert 'name="log-volunteer"' in log and f'action="/matches/{match.pk}/time/"' in log
    assert "book-volunteer" not in log
    # One address answers a fragment or a redirect by the htmx header: caches must keep apart.
    answer = client.get(f"/matches/{match.pk}/forms/log/", headers=HTMX)
    assert "HX-Request" in answer["Vary"]


def test_without_javascript_the_link_opens_the_page_with_the_form_in_place(client, delivery):
    match = delivery["match"]
    page = _page(client, delivery["admin"], match, "?open=book")

    booking = page.split('id="book"')[1].split("</details>")[0]
    assert booking.startswith(" open>") and "hx-get" not in booking.split(">")[0]
    assert 'name="book-volunteer"' in booking and "paid 2.00 days left" in booking
    assert 'name="log-volunteer"' not in page  # only the one asked for

    # The fragment's address, followed without htmx, lands on that page too.
    answer = client.get(f"/matches/{match.pk}/forms/log/")
    assert answer.status_code == 302 and answer.url == f"/matches/{match.pk}/?open=log#log"
    assert "HX-Request" in answer["Vary"]
    assert 'name="log-volunteer"' in _page(client, delivery["admin"], match, "?open=log")


def test_a_refused_booking_comes_back_open_with_what_was_typed(client, delivery):
    match, tom = delivery["match"], delivery["tom"]
    client.force_login(delivery["admin"])
    today = timezone.localdate().isoformat()

    page = client.post(f"/matches/{match.pk}/book/", {
        "book-volunteer": tom.pk, "book-leave_type": "paid", "book-days": "",
        "book-first_day": today, "book-last_day": today,
    }).content.decode()  # fmt: skip

    booking = page.split('id="book"')[1].split("</details>")[0]
    assert booking.startswith(" open>") and "Enter how many days" in booking
    assert 'name="log-volunteer"' not in page
    # The page came back at the form's POST address: its other links still lead somewhere
    # (they resolved against /book/ and answered 405 before).
    for link in re.findall(r'href="([^"#]*\?open=[^"#]*)', page):
        assert link.startswith(f"/matches/{match.pk}/?open="), link
        assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    ("who", "name", "why"),
    [
        ("tom", "book", "a volunteer does not book (their admin does)"),
        ("charity", "book", "the charity does not book the business's volunteers"),
        ("charity", "log", "the charity has no volunteers to log for"),
        ("outsider", "log", "the match is not theirs to see"),
        ("admin", "extend", "not a form fetched on opening"),
        ("admin", "../book", "not a form name at all"),
    ],
)
def test_a_form_not_offered_is_not_served(client, delivery, outsider, who, name, why):
    users = {"tom": delivery["tom"].user, "outsider": outsider}
    client.force_login(users.get(who) or delivery[who])

    answer = client.get(f"/matches/{delivery['match'].pk}/forms/{name}/", headers=HTMX)

    assert answer.status_code == 404, why


def test_nothing_is_served_once_the_match_is_no_longer_delivered(client, delivery):
    match = delivery["match"]
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.COMPLETED)
    client.force_login(delivery["admin"])

    for name in ("book", "log"):
        assert client.get(f"/matches/{match.pk}/forms/{name}/", headers=HTMX).status_code == 404
    assert "Book a volunteer" not in _page(client, delivery["admin"], match)


def test_the_fragment_is_read_only(client, delivery):
    client.force_login(delivery["admin"])
    answer = client.post(f"/matches/{delivery['match'].pk}/forms/book/", headers=HTMX)
    assert answer.status_code == 405


def test_the_page_and_its_forms_cost_the_same_queries_however_much_was_delivered(
    client, delivery, business
):
    match, admin = delivery["match"], delivery["admin"]
    client.force_login(admin)
    paths = [f"/matches/{match.pk}/", *(f"/matches/{match.pk}/forms/{n}/" for n in ("book", "log"))]

    def counts() -> list[int]:
        found = []
        for path in paths:
            client.get(path, headers=HTMX if "forms" in path else {})
            with CaptureQueriesContext(connection) as done:
                assert client.get(path, headers=HTMX if "forms" in path else {}).status_code == 200
            found.append(len(done))
        return found

    before = counts()
    day = match.accepted_at.date() + dt.timedelta(days=1)
    for i in range(4):
        volunteer = factories.VolunteerFactory(organisation=business)
        assignments.book(
            match=match, volunteer=volunteer, first_day=day, last_day=day, days=Decimal(1),
            leave_type="own_time", by=admin,
        )  # fmt: skip
        hours.log_time(
            match=match, volunteer=volunteer, date=day, hours=Decimal(2),
            leave_type="own_time", description=f"Session {i}", by=admin,
        )  # fmt: skip
    assert counts() == before
