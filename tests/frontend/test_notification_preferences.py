"""Notification preferences: per kind, on the site and by e-mail at once, in the daily
digest, site only, or off; safe defaults (what needs an answer soon is e-mailed at once);
every notification e-mail links to the choices, which open without signing in."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brokerage.messaging import emails, outbox, preferences
from brokerage.models import Delivery, Notification, NotificationPreference
from brokerage.services import matches
from brokerage.services.notification_preferences import set_preferences
from tests import factories

pytestmark = pytest.mark.django_db
PROPOSED = Notification.Kind.MATCH_PROPOSED


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def queued(monkeypatch):
    """The e-mails queued to go at once (the worker would send them after the grace)."""
    calls = []
    monkeypatch.setattr(
        emails.email_notification, "schedule", lambda args, delay: calls.append(args[0])
    )
    return calls


def _propose(offer, need, by):
    return matches.propose_match(offer=offer, need=need, by=by)


def test_the_defaults_are_safe():
    assert preferences.default_for(PROPOSED) == Delivery.INSTANT
    assert preferences.default_for(Notification.Kind.MATCH_MESSAGE) == Delivery.INSTANT
    assert preferences.default_for(Notification.Kind.NEED_PUBLISHED) == Delivery.DIGEST


def test_the_page_shows_each_kind_with_the_current_choice(vcs_member):
    set_preferences(user=vcs_member, choices={"need_published": Delivery.OFF})
    page = _client(vcs_member).get("/account/notifications/").content.decode()
    assert page.count("<select") == len(Notification.Kind.values)
    chosen = re.search(r'name="need_published".*?</select>', page, re.S).group(0)
    assert re.search(r'value="off"\s+selected', chosen)
    proposed = re.search(r'name="match_proposed".*?</select>', page, re.S).group(0)
    assert re.search(r'value="instant"\s+selected', proposed)


def test_off_writes_nothing(vcs_member, business_member, offer, need, queued):
    _client(vcs_member).post(
        "/account/notifications/",
        {kind: preferences.default_for(kind) for kind in Notification.Kind.values}
        | {"match_proposed": "off"},
    )
    _propose(offer, need, business_member)
    assert not Notification.objects.filter(recipient=vcs_member).exists()


def test_site_only_is_never_emailed(
    vcs_member, business_member, offer, need, queued, django_capture_on_commit_callbacks
):
    set_preferences(user=vcs_member, choices={"match_proposed": Delivery.SITE})
    with django_capture_on_commit_callbacks(execute=True):
        _propose(offer, need, business_member)
    row = Notification.objects.get(recipient=vcs_member)
    assert row.pk not in queued  # not at once
    emails.send_digests()
    assert not [m for m in mail.outbox if vcs_member.email in m.to]  # nor in the digest


def test_digest_instead_of_at_once(
    vcs_member, business_member, offer, need, queued, django_capture_on_commit_callbacks
):
    set_preferences(user=vcs_member, choices={"match_proposed": Delivery.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        _propose(offer, need, business_member)
    row = Notification.objects.get(recipient=vcs_member)
    assert row.pk not in queued
    assert emails.send_notification_email(row.pk) is False  # a queued one re-checks
    emails.send_digests()
    (digest,) = [m for m in mail.outbox if vcs_member.email in m.to]
    assert "proposed" in digest.body


def test_the_default_emails_a_proposal_at_once_with_a_link_to_the_choices(
    vcs_member, business_member, offer, need, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _propose(offer, need, business_member)
    row = Notification.objects.get(recipient=vcs_member)
    assert queued == [row.pk]
    assert emails.send_notification_email(row.pk) is True
    body = mail.outbox[-1].body
    link = re.search(r"Choose what we e-mail you, and when: https?://[^/]+(\S+)", body).group(1)

    anonymous = Client()  # one click from the e-mail, not signed in
    page = anonymous.get(link)
    assert page.status_code == 200 and "How you hear from us" in page.content.decode()
    saved = anonymous.post(
        link,
        {kind: preferences.default_for(kind) for kind in Notification.Kind.values}
        | {"match_proposed": "digest"},
    )
    assert saved.status_code == 302
    assert NotificationPreference.objects.get(user=vcs_member, kind=PROPOSED).delivery == "digest"
    assert anonymous.get(link[:-4] + "xxx/").status_code == 404  # a mangled link


def test_a_bad_choice_is_refused_and_nothing_is_saved(vcs_member):
    response = _client(vcs_member).post(
        "/account/notifications/",
        {kind: preferences.default_for(kind) for kind in Notification.Kind.values}
        | {"match_proposed": "sometimes", "need_published": "off"},
    )
    assert response.status_code == 200
    assert "Choose one of the options listed" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_notifying_more_people_reads_no_more_choices(vcs, need, django_capture_on_commit_callbacks):
    """No query per recipient: the choices of everyone told are read together."""

    def queries_to_tell(count: int) -> int:
        people = [factories.MembershipFactory(organisation=vcs).user for _ in range(count)]
        match = factories.MatchFactory()
        with CaptureQueriesContext(connection) as queries:
            rows = outbox.notify(recipients=people, kind=PROPOSED, text="Hello", subject=match)
            emails.email_soon(rows)
        return len(queries)

    assert queries_to_tell(2) == queries_to_tell(12)
