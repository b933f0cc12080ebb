"""The demo market that `make run` serves."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.db.models import Sum
from django.test import RequestFactory

from brokerage import access
from brokerage.datasets.demo import DemoRefused, seed_demo
from brokerage.models import ListingStatus, Match, MatchStatus, Need, Offer, Organisation, User
from tests.reference import load_reference_data

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_reference_data()
    return seed_demo(password="s3cret-demo", today=DAY)


def test_demo_has_the_market_the_issue_describes(demo):
    businesses = Organisation.objects.filter(kind="business", verification_status="verified")
    vcs = Organisation.objects.filter(kind="vcs", verification_status="verified")

    assert businesses.count() >= 3
    assert vcs.count() == 9
    assert len({org.home_ward_id for org in vcs}) >= 6  # spread over the city
    # Two councils at work: each with its own broker, Solihull's charity on the border.
    assert set(vcs.values_list("council_id", flat=True)) == {"E08000026", "E08000029"}
    assert set(access.broker_areas(User.objects.get(username="solihull"))) == {"E08000029"}
    assert len(access.broker_areas(User.objects.get(username="region"))) == 8  # WMCA and 7
    assert Offer.objects.filter(status__in=["open", "fully_matched"]).count() >= 10
    assert Need.objects.filter(status__in=["open", "fully_matched"]).count() >= 15
    assert Organisation.objects.filter(verification_status="pending").exists()  # a queue
    assert set(Match.objects.values_list("status", flat=True)) >= {
        MatchStatus.PROPOSED,
        MatchStatus.ACCEPTED,
        MatchStatus.DECLINED,
    }


@pytest.mark.parametrize(
    "username", ["broker", "solihull", "region", "business", "charity", "meriden", "volunteer"]
)
def test_demo_logins_use_the_demo_password(demo, username):
    # Signing in goes through a request (the lockout counts per address): as the page does.
    request = RequestFactory().post("/sign-in/")
    assert authenticate(request, username=username, password="s3cret-demo") is not None
    assert authenticate(request, username=username, password="wrong") is None


def test_demo_roles(demo):
    from brokerage.models import User

    broker = User.objects.get(username="broker")
    assert access.is_broker(broker)
    assert broker.is_staff  # can open the admin
    pfi = Organisation.objects.get(name="Mercia Street Lighting Services")
    assert access.is_admin_of(User.objects.get(username="business"), pfi)
    assert access.is_member(User.objects.get(username="volunteer"), pfi)
    assert not access.is_admin_of(User.objects.get(username="volunteer"), pfi)
    food_bank = Organisation.objects.get(name="Foleshill Community Food Bank")
    assert access.is_admin_of(User.objects.get(username="charity"), food_bank)


def test_demo_dates_are_offsets_from_the_seeding_day(demo):
    offer = Offer.objects.get(title="Electricians to make community buildings safe")

    assert (offer.available_from, offer.available_until) == (
        DAY + dt.timedelta(days=7),
        DAY + dt.timedelta(days=120),
    )


def test_demo_capacity_agrees_with_its_matches(demo):
    for listing in [*Offer.objects.all(), *Need.objects.all()]:
        reserved = listing.matches.filter(status__in=["accepted", "in_progress", "completed"])
        assert listing.days_reserved == (reserved.aggregate(days=Sum("days"))["days"] or 0)
    assert Need.objects.filter(status=ListingStatus.FULLY_MATCHED).exists()


def test_seeding_again_changes_nothing(demo):
    counts = (Organisation.objects.count(), Offer.objects.count(), Match.objects.count())

    assert seed_demo(password="s3cret-demo") is None
    assert (Organisation.objects.count(), Offer.objects.count(), Match.objects.count()) == counts


def test_demo_is_refused_in_production_mode(settings):
    settings.DEBUG = False
    load_reference_data()

    with pytest.raises(DemoRefused, match="never production"):
        seed_demo(password="x")
    assert not Organisation.objects.exists()


def test_demo_needs_reference_data_first(settings):
    settings.DEBUG = True

    with pytest.raises(DemoRefused, match="load_reference_data"):
        seed_demo(password="x")


def test_demo_shows_delivery_and_social_value(demo):
    """A volunteer booked on leave, time confirmed and valued, one entry for the charity to
    confirm, and the PFI contractor's contract."""
    from brokerage.models import Contract, CreditEntry, LeaveBalance, TimeEntry, Volunteer

    assert Volunteer.objects.count() == 2
    confirmed = TimeEntry.objects.get(status="confirmed")
    assert confirmed.value == confirmed.hours * 101  # bookkeeping is expert advice (NT15)
    assert TimeEntry.objects.filter(status="pending").count() == 1
    assert CreditEntry.objects.filter(time_entry=confirmed).exists()
    balance = LeaveBalance.objects.get(volunteer__user__username="accountant", leave_type="paid")
    assert balance.booked_hours + balance.used_hours == 15  # 2 days booked, 7.5 h used so far
    assert Contract.objects.get().organisation.slug.startswith("mercia-street-lighting")


def test_demo_matches_are_agreed_after_their_listings_were_published(demo):
    """Reports count the days from a need's publication to its first agreed match: the
    demo's history must not make that negative (it showed -4.6 days for a charity)."""
    from brokerage import reports

    for match in Match.objects.filter(accepted_at__isnull=False).select_related("need", "offer"):
        assert match.need.published_at <= match.accepted_at
        assert match.offer.published_at <= match.accepted_at
    for dimension in reports.DIMENSIONS:
        medians = [row["median_days_to_match"] for row in reports.summary(dimension)]
        assert all(m is None or m >= 0 for m in medians), (dimension, medians)
        assert any(m is not None for m in medians)


def test_the_demo_shows_a_conversation_and_a_reasoned_decline(demo):
    from brokerage.models import Match, MatchMessage

    thread = MatchMessage.objects.select_related("author").order_by("at", "id")
    assert [m.author.username for m in thread] == ["charity", "business"]
    declined = Match.objects.get(status="declined")
    assert declined.decline_reason == "met_elsewhere"
