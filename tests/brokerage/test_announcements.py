"""A newly published listing is announced to the other side's owners it fits (once per
organisation, after the commit, never twice)."""

import datetime as dt

import pytest
from django.utils import timezone

from brokerage.messaging import links
from brokerage.messaging.announcements import announce_fits, announce_missed
from brokerage.models import ListingStatus, Notification
from brokerage.services.listings import publish_listing
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return factories.SkillFactory(name="HR policy")


@pytest.fixture
def hr_offers(hr, business, business_member):
    """Two open offers of HR help by one business, one of plumbing by another."""
    plumbing = factories.OfferFactory(skills=[factories.SkillFactory(name="Plumbing")])
    factories.MembershipFactory(organisation=plumbing.organisation, user__username="plumber")
    return [
        factories.OfferFactory(organisation=business, skills=[hr], title="HR advice"),
        factories.OfferFactory(organisation=business, skills=[hr], title="HR clinic"),
    ]


def publish_draft_need(vcs, vcs_member, skill, capture):
    need = factories.NeedFactory(
        organisation=vcs, skills=[skill], status=ListingStatus.DRAFT, published_at=None
    )
    with capture(execute=True):
        publish_listing(listing=need, by=vcs_member)
    return need


def test_publishing_a_need_tells_businesses_whose_offers_fit(
    hr, hr_offers, vcs, vcs_member, business_member, django_capture_on_commit_callbacks
):
    need = publish_draft_need(vcs, vcs_member, hr, django_capture_on_commit_callbacks)

    told = Notification.objects.filter(kind=Notification.Kind.NEED_FITS_OFFER)
    assert [n.recipient.username for n in told] == [business_member.username]  # once, not twice
    assert links.for_notification(told[0]).page == f"/needs/{need.pk}/"
    assert (told[0].subject_type, told[0].subject_id) == ("need", need.pk)
    assert "fits your offer 'HR" in told[0].text and f"'{need}'" in told[0].text
    need.refresh_from_db()
    assert need.fits_announced_at is not None


def test_an_announcement_is_made_once(
    hr, hr_offers, vcs, vcs_member, django_capture_on_commit_callbacks
):
    need = publish_draft_need(vcs, vcs_member, hr, django_capture_on_commit_callbacks)

    assert announce_fits(need) == 0  # a retried task
    assert Notification.objects.filter(kind=Notification.Kind.NEED_FITS_OFFER).count() == 1


def test_nothing_is_announced_below_the_threshold(
    hr, hr_offers, vcs, vcs_member, settings, django_capture_on_commit_callbacks
):
    settings.FIT_NOTIFY_THRESHOLD = 0.999
    publish_draft_need(vcs, vcs_member, hr, django_capture_on_commit_callbacks)

    assert not Notification.objects.filter(kind=Notification.Kind.NEED_FITS_OFFER).exists()


def test_publishing_an_offer_tells_charities_whose_needs_fit(
    hr, business, business_member, vcs, vcs_member, django_capture_on_commit_callbacks
):
    factories.NeedFactory(organisation=vcs, skills=[hr], title="Volunteer policy")
    offer = factories.OfferFactory(
        organisation=business, skills=[hr], status=ListingStatus.DRAFT, published_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish_listing(listing=offer, by=business_member)

    told = Notification.objects.get(kind=Notification.Kind.OFFER_FITS_NEED)
    assert told.recipient == vcs_member
    assert "fits your need 'Volunteer policy'" in told.text
    assert links.for_notification(told).api == f"/api/v1/offers/{offer.pk}/"


def test_a_lost_announcement_is_made_by_the_next_sweep(hr, hr_offers, vcs, business_member):
    """The queue was down at the commit: the periodic sweep announces it later, once."""
    need = factories.NeedFactory(
        organisation=vcs,
        skills=[hr],
        published_at=timezone.now() - dt.timedelta(minutes=30),
    )
    stale = factories.NeedFactory(
        organisation=vcs, skills=[hr], published_at=timezone.now() - dt.timedelta(days=3)
    )

    assert announce_missed() == 1
    assert announce_missed() == 0
    told = Notification.objects.get(kind=Notification.Kind.NEED_FITS_OFFER)
    assert told.subject_id == need.pk != stale.pk
