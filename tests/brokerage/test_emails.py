"""E-mail for people who are not looking: proposals and reminders soon after (unless read
meanwhile), everything else in a daily digest; nothing is e-mailed twice."""

import pytest
from django.core import mail
from huey.contrib.djhuey import HUEY

from brokerage import tasks
from brokerage.messaging import emails
from brokerage.models import Notification
from brokerage.services.matches import accept_match, propose_match
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_queue():
    HUEY.flush()
    yield
    HUEY.flush()


def notification_for(user, **fields) -> Notification:
    defaults = {
        "kind": Notification.Kind.MATCH_ACCEPTED,
        "text": "Agreed: 2 days of 'HR advice' for 'Volunteer policy'.",
        "subject_type": "match",
        "subject_id": 1,
    }
    return Notification.objects.create(recipient=user, **{**defaults, **fields})


def test_a_proposal_queues_an_email_after_the_grace_period(
    offer, need, business_member, vcs_member, broker, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_GRACE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        propose_match(offer=offer, need=need, days=2, by=business_member)

    queued = HUEY.scheduled()
    assert {task.name for task in queued} == {"email_notification"}
    notified = Notification.objects.filter(kind=Notification.Kind.MATCH_PROPOSED)
    assert sorted(task.args[0] for task in queued) == sorted(notified.values_list("pk", flat=True))
    assert {n.recipient for n in notified} == {vcs_member, broker}  # not the proposer
    assert all(task.eta is not None for task in queued)  # delayed, not sent yet
    assert mail.outbox == []


def test_other_notifications_wait_for_the_digest(
    offer, need, vcs_member, business_member, django_capture_on_commit_callbacks
):
    match = factories.MatchFactory(offer=offer, need=need, proposed_by=business_member)
    with django_capture_on_commit_callbacks(execute=True):
        accept_match(match=match, by=vcs_member)

    assert Notification.objects.filter(kind=Notification.Kind.MATCH_ACCEPTED).exists()
    assert HUEY.scheduled() == []


def test_unread_notification_is_emailed_once(vcs_member, settings):
    settings.SITE_URL = "https://volunteering.coventry.example"
    notification = notification_for(vcs_member, kind=Notification.Kind.MATCH_PROPOSED)

    assert emails.email_notification.call_local(notification.pk) is True
    assert emails.email_notification.call_local(notification.pk) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [vcs_member.email]
    assert message.subject == "Coventry volunteering: Match proposed"
    assert notification.text in message.body
    assert "https://volunteering.coventry.example/matches/1/" in message.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.parametrize(
    "case", ["read while online", "no e-mail address", "inactive account", "deleted"]
)
def test_no_email_when_there_is_nobody_to_tell(vcs_member, case):
    notification = notification_for(vcs_member)
    if case == "read while online":
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.created_at)
    elif case == "no e-mail address":
        vcs_member.email = ""
        vcs_member.save()
    elif case == "inactive account":
        vcs_member.is_active = False
        vcs_member.save()
    else:
        notification.delete()

    assert emails.send_notification_email(notification.pk) is False
    assert mail.outbox == []


def test_digest_sends_each_user_their_unread_unmailed_notifications(
    vcs_member, business_member, broker
):
    fresh = [notification_for(vcs_member, text=f"Update {i}") for i in range(3)]
    notification_for(vcs_member, text="Already read", read_at=fresh[0].created_at)
    notification_for(vcs_member, text="Already e-mailed", emailed_at=fresh[0].created_at)
    notification_for(business_member, text="For the business")

    assert tasks.daily_digest.call_local() == 2
    assert tasks.daily_digest.call_local() == 0  # nothing left to send

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {vcs_member.email, business_member.email}
    digest = by_recipient[vcs_member.email]
    assert digest.subject == "Coventry volunteering: 3 updates"
    assert all(f"Update {i}" in digest.body for i in range(3))
    assert "Already read" not in digest.body and "Already e-mailed" not in digest.body
    assert Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True).count() == 0


def test_long_digest_lists_the_newest_and_counts_the_rest(vcs_member):
    for i in range(emails.DIGEST_MAX_ITEMS + 5):
        notification_for(vcs_member, text=f"Update number {i}.")

    emails.send_digests()

    body = mail.outbox[0].body
    assert f"Update number {emails.DIGEST_MAX_ITEMS + 4}." in body  # newest first
    assert "Update number 0." not in body
    assert "…and 5 more" in body
