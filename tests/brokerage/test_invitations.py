"""Invitations: an organisation's admins bring colleagues in by e-mail; each link works once,
for its invitee only, until it expires or a newer link replaces it."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from brokerage.errors import InvalidInput, InvalidTransition, NotAllowed
from brokerage.messaging import emails
from brokerage.models import Invitation, Membership, Notification
from brokerage.services import invitations
from brokerage.tokens import invitation_token
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(vcs):
    return factories.MembershipFactory(organisation=vcs, role=Membership.Role.ADMIN).user


def link_in(message) -> str:
    return re.search(r"/invitations/(\S+)/", message.body).group(1)


def send(vcs, admin, email="sam@example.org", **kwargs) -> Invitation:
    return invitations.invite(organisation=vcs, by=admin, email=email, **kwargs)


def test_an_admin_invites_and_the_invitee_gets_a_working_link(
    vcs, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = send(vcs, admin, role=Membership.Role.ADMIN)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.org"]
    assert str(vcs) in message.subject
    sam = factories.UserFactory(email="Sam@Example.org")  # addresses match case-insensitively
    membership = invitations.accept(token=link_in(message), user=sam)

    assert (membership.organisation, membership.role) == (vcs, Membership.Role.ADMIN)
    invitation.refresh_from_db()
    assert invitation.accepted_by == sam
    assert not invitation.is_open


def test_colleagues_are_told_when_someone_joins(vcs, admin, vcs_member):
    invitation = send(vcs, admin)
    sam = factories.UserFactory(email="sam@example.org", first_name="Sam", last_name="Okoro")

    invitations.accept(token=invitation_token(invitation), user=sam)

    told = Notification.objects.filter(kind=Notification.Kind.MEMBER_JOINED)
    assert set(told.values_list("recipient", flat=True)) == {admin.pk, vcs_member.pk}
    assert told.first().text == f"Sam Okoro joined {vcs}."


def test_a_newcomer_creates_an_account_with_the_invited_address(vcs, admin):
    invitation = send(vcs, admin)

    membership = invitations.accept_as_new_user(
        token=invitation_token(invitation),
        account={"username": "sam", "password": "a long enough passphrase"},
    )

    assert membership.user.email == "sam@example.org"
    assert membership.user.check_password("a long enough passphrase")


def test_a_newcomer_with_a_weak_password_gets_no_account_and_the_link_still_works(vcs, admin):
    invitation = send(vcs, admin)
    token = invitation_token(invitation)

    with pytest.raises(InvalidInput) as refused:
        invitations.accept_as_new_user(token=token, account={"username": "sam", "password": "1"})

    assert "password" in refused.value.fields
    assert not Membership.objects.filter(user__username="sam").exists()
    assert Invitation.objects.get(pk=invitation.pk).is_open


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("not an address", "member", "email"),
        ("", "member", "email"),
        ("sam@example.org", "owner", "role"),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_sent(vcs, admin, email, role, field):
    with pytest.raises(InvalidInput) as refused:
        send(vcs, admin, email=email, role=role)

    assert field in refused.value.fields
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_existing_member_is_refused(vcs, admin, vcs_member):
    with pytest.raises(InvalidInput, match="already a member"):
        send(vcs, admin, email=vcs_member.email.upper())


def test_only_admins_and_brokers_invite(vcs, broker, business_member):
    plain = factories.MembershipFactory(organisation=vcs, role=Membership.Role.MEMBER).user
    for outsider in (plain, business_member):  # a plain member; another organisation's admin
        with pytest.raises(NotAllowed):
            send(vcs, outsider)

    assert send(vcs, broker).invited_by == broker


def test_sending_again_replaces_the_link(vcs, admin):
    first = send(vcs, admin)
    old_token = invitation_token(first)

    second = send(vcs, admin, email="SAM@example.org")

    assert second.pk == first.pk  # one open invitation per address
    assert Invitation.objects.count() == 1
    sam = factories.UserFactory(email="sam@example.org")
    with pytest.raises(InvalidInput, match="replaced by a newer one"):
        invitations.accept(token=old_token, user=sam)
    invitations.accept(token=invitation_token(second), user=sam)


@pytest.mark.parametrize(
    "mangle",
    [lambda token: token[:-2], lambda token: "x" + token, lambda token: "", lambda token: "a:b"],
)
def test_forged_or_mangled_links_are_refused(vcs, admin, mangle):
    token = invitation_token(send(vcs, admin))
    sam = factories.UserFactory(email="sam@example.org")

    with pytest.raises(InvalidInput, match="not valid"):
        invitations.accept(token=mangle(token), user=sam)

    assert not Membership.objects.filter(user=sam).exists()


def test_a_link_works_once(vcs, admin):
    token = invitation_token(send(vcs, admin))
    sam = factories.UserFactory(email="sam@example.org")
    invitations.accept(token=token, user=sam)

    with pytest.raises(InvalidTransition, match="already been used"):
        invitations.accept(token=token, user=sam)


def test_someone_else_cannot_use_the_link(vcs, admin):
    token = invitation_token(send(vcs, admin))
    eve = factories.UserFactory(email="eve@example.org")

    with pytest.raises(NotAllowed, match=re.escape("sent to sam@example.org")):
        invitations.accept(token=token, user=eve)

    assert not Membership.objects.filter(user=eve).exists()


def test_an_expired_link_is_refused(vcs, admin, time_machine):
    token = invitation_token(send(vcs, admin))
    time_machine.move_to(timezone.now() + invitations.INVITATION_LIFETIME + dt.timedelta(1))
    sam = factories.UserFactory(email="sam@example.org")

    with pytest.raises(InvalidTransition, match="expired"):
        invitations.accept(token=token, user=sam)


def test_a_withdrawn_invitation_cannot_be_used_or_withdrawn_again(vcs, admin):
    invitation = send(vcs, admin)
    invitations.revoke(invitation=invitation, by=admin)
    sam = factories.UserFactory(email="sam@example.org")

    with pytest.raises(InvalidTransition, match="withdrawn"):
        invitations.accept(token=invitation_token(invitation), user=sam)
    with pytest.raises(InvalidTransition):
        invitations.revoke(invitation=invitation, by=admin)


def test_a_withdrawn_invitation_is_not_emailed(vcs, admin, django_capture_on_commit_callbacks):
    invitation = send(vcs, admin)  # its e-mail is queued on commit, which has not happened
    invitations.revoke(invitation=invitation, by=admin)

    assert emails.send_invitation_email(invitation.pk) is False
    assert mail.outbox == []


def test_the_database_allows_one_open_invitation_per_address(vcs, admin):
    send(vcs, admin)
    duplicate = Invitation(
        organisation=vcs,
        email="SAM@EXAMPLE.ORG",
        nonce="x",
        sent_at=timezone.now(),
        expires_at=timezone.now(),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
