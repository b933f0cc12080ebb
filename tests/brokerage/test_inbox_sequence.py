"""Each recipient's notifications get places 1, 2, 3… after they commit, with no gap and no
repeat, in the order they become visible: what a client resumes from. On PostgreSQL, with
transactions that commit in another order than they insert."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from brokerage.messaging.outbox import notify
from brokerage.messaging.sequencing import sequence
from brokerage.models import InboxSequence, Notification
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _notify(user, text: str, subject) -> Notification:
    return notify(recipients=[user], kind="offer_published", text=text, subject=subject)[0]


def test_a_slow_transaction_gets_the_place_after_those_that_committed_first():
    """The id order (slow first) is not the commit order (fast first): a client that saw
    the fast one's place and resumes after it still gets the slow one."""
    user, offer = factories.UserFactory(), factories.OfferFactory()
    inserted, release = threading.Event(), threading.Event()
    found = {}

    def slow() -> None:
        try:
            with transaction.atomic():
                found["slow"] = _notify(user, "slow", offer)
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=slow)
    thread.start()
    inserted.wait(10)
    fast = _notify(user, "fast", offer)  # commits while the slow one waits
    sequence([user.pk])  # placed (by its deliverer, or here: whichever comes first)
    seen = Notification.objects.get(pk=fast.pk).seq
    release.set()
    thread.join()
    close_old_connections()
    sequence([user.pk])

    slow_row = Notification.objects.get(pk=found["slow"].pk)
    assert found["slow"].pk < fast.pk  # inserted first…
    assert (seen, slow_row.seq) == (1, 2)  # …placed after the one that committed first
    after_seen = Notification.objects.filter(recipient=user, seq__gt=seen)
    assert list(after_seen.values_list("text", flat=True)) == ["slow"]


def test_concurrent_writers_give_every_recipient_gap_free_places():
    brokers = [factories.UserFactory() for _ in range(2)]
    offer = factories.OfferFactory()
    barrier = threading.Barrier(8)

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    notify(
                        recipients=brokers, kind="offer_published", text=f"{worker}-{i}",
                        subject=offer,
                    )  # fmt: skip
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    sequence([broker.pk for broker in brokers])  # racing the deliverer thread, if any

    for broker in brokers:
        places = sorted(Notification.objects.filter(recipient=broker).values_list("seq", flat=True))
        assert places == list(range(1, 8 * 15 + 1))
        assert InboxSequence.objects.get(user=broker).last_seq == 8 * 15


def test_a_row_whose_place_was_never_given_gets_the_next_one():
    """The process died between the commit and the placing: the next `sequence` of that
    recipient (a resume, the socket watcher, the next notification) places it."""
    user, offer = factories.UserFactory(), factories.OfferFactory()

    def committed(text: str) -> Notification:  # as `notify` writes it, without delivering
        return Notification.objects.create(
            recipient=user, kind="offer_published", text=text, subject_type="offer",
            subject_id=offer.pk,
        )  # fmt: skip

    placed = committed("placed")
    sequence([user.pk])
    orphan = committed("orphan")

    assert [row.pk for row in sequence([user.pk])] == [orphan.pk]
    assert sequence([user.pk]) == []  # placed once
    assert Notification.objects.get(pk=placed.pk).seq == 1
    assert Notification.objects.get(pk=orphan.pk).seq == 2
