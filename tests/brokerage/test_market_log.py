"""The market change log and each process's market kept up to date from it
(`brokerage.infra.market_log`, `brokerage.matchmaking.MarketKeeper`).

These tests commit (transaction=True): the log's positions are given at commit, and a process
keeps as its base only what is committed."""

import datetime as dt
import os
import pickle
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from brokerage import matchmaking
from brokerage.infra import market_log, versions
from brokerage.models import ListingStatus, MarketChange, Organisation
from matching import Market
from tests import factories
from tests.matching.conftest import assert_same_market

pytestmark = pytest.mark.django_db(transaction=True)
LOAD_EVERYTHING = matchmaking._inputs


def fresh() -> Market:
    today = timezone.localdate()
    return Market(today=today, settings=matchmaking.SETTINGS, **LOAD_EVERYTHING(today))


@pytest.fixture
def builds(monkeypatch) -> list:
    """The whole-market builds this process makes from here on."""
    made = []

    def counted(today, councils=None):
        made.append(today)
        return LOAD_EVERYTHING(today, councils)

    monkeypatch.setattr(matchmaking, "_inputs", counted)
    return made


@pytest.fixture
def market():
    """A small committed market, already built in this process."""
    skill = factories.SkillFactory()
    ward = factories.WardFactory()
    charity, business = factories.VcsFactory(), factories.BusinessFactory(home_ward=ward)
    needs = [
        factories.NeedFactory(organisation=charity, ward=ward, skills=[skill]) for _ in range(3)
    ]
    offers = [factories.OfferFactory(organisation=business, skills=[skill]) for _ in range(2)]
    matchmaking.current_market()
    return {"skill": skill, "ward": ward, "charity": charity, "business": business,
            "needs": needs, "offers": offers}  # fmt: skip


def _positions() -> list[int]:
    return list(MarketChange.objects.order_by("position").values_list("position", flat=True))


def test_each_committed_change_takes_the_next_position_with_no_gap():
    need = factories.NeedFactory()
    need.days_needed = 3
    need.save()

    positions = _positions()
    assert positions == list(range(positions[0], positions[0] + len(positions)))
    assert MarketChange.objects.filter(kind="need", item_id=need.pk).count() >= 2
    assert not MarketChange.objects.filter(position=None).exists()


def test_a_process_applies_only_what_changed_and_ends_where_a_fresh_build_would(market, builds):
    first, second, third = market["needs"]
    new_need = factories.NeedFactory(
        organisation=market["charity"], ward=market["ward"], skills=[market["skill"]]
    )
    first.days_needed = 9
    first.save()
    second.status = ListingStatus.CLOSED
    second.save()
    third.delete()
    market["offers"][0].wards.add(market["ward"])
    new_offer = factories.OfferFactory(organisation=market["business"], skills=[market["skill"]])

    current = matchmaking.current_market()

    assert builds == []
    assert new_need.pk in current.need_index and new_offer.pk in current.offer_index
    assert second.pk not in current.need_index and third.pk not in current.need_index
    assert current.needs[current.need_index[first.pk]].days_remaining == 9
    assert_same_market(current, fresh())


def test_an_organisation_that_loses_its_verification_takes_its_listings_out(market, builds):
    charity = market["charity"]
    charity.verification_status = Organisation.Verification.PENDING
    charity.save()

    current = matchmaking.current_market()

    assert builds == []
    assert not {n.pk for n in market["needs"]} & set(current.need_index)
    assert {o.pk for o in market["offers"]} <= set(current.offer_index)
    assert_same_market(current, fresh())


def test_a_change_the_log_cannot_describe_listing_by_listing_rebuilds_the_market(market, builds):
    factories.SkillFactory()  # a new skill: every skill's similarity may move

    current = matchmaking.current_market()

    assert len(builds) == 1
    assert_same_market(current, fresh())


def test_a_pruned_log_rebuilds_a_process_that_had_not_caught_up_and_keeps_the_newest(
    market, builds
):
    factories.NeedFactory(organisation=market["charity"], ward=market["ward"])
    MarketChange.objects.update(at=timezone.now() - dt.timedelta(days=3))
    newest = MarketChange.objects.order_by("position").last()

    dropped = market_log.prune(keep_days=2)

    assert dropped > 0 and list(MarketChange.objects.all()) == [newest]
    matchmaking.current_market()
    assert len(builds) == 1  # its last position was pruned: it cannot tell what changed
    factories.NeedFactory(
        organisation=market["charity"], ward=market["ward"], skills=[market["skill"]]
    )
    matchmaking.current_market()
    assert len(builds) == 1  # from the newest on, the log tells again


def test_nothing_changed_nothing_is_read_again(market, django_assert_num_queries):
    matchmaking.current_market()
    with django_assert_num_queries(0):
        assert matchmaking.current_market() is matchmaking.current_market()


def test_a_transactions_own_changes_are_seen_inside_it_and_gone_if_it_rolls_back(market, builds):
    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        need = factories.NeedFactory(
            organisation=market["charity"], ward=market["ward"], skills=[market["skill"]]
        )
        assert need.pk in matchmaking.current_market().need_index
        raise RolledBack

    current = matchmaking.current_market()

    assert need.pk not in current.need_index
    assert builds == []
    assert_same_market(current, fresh())


def test_with_redis_down_the_market_is_still_kept_and_each_read_asks_the_log(
    market, builds, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(versions.MARKET, "current", lambda: None)  # the cache holds nothing
    kept = matchmaking.current_market()
    with django_assert_num_queries(1):  # what changed since? nothing
        assert matchmaking.current_market() is kept

    need = factories.NeedFactory(
        organisation=market["charity"], ward=market["ward"], skills=[market["skill"]]
    )

    assert need.pk in matchmaking.current_market().need_index
    assert builds == []


@pytest.mark.postgres
def test_positions_follow_the_commits_so_a_reader_never_skips_a_slow_writers_change():
    """Writer A logs first but commits last: its change still comes after every change a
    reader saw before A committed (an id from a sequence would put it before them)."""
    slow_logged, fast_done = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                market_log.changed(MarketChange.Kind.NEED, [1])
                slow_logged.set()
                fast_done.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    slow_logged.wait(10)
    market_log.changed(MarketChange.Kind.NEED, [2])  # commits at once
    fast_done.set()
    seen = max(_positions())
    writer.join(10)

    slow = MarketChange.objects.get(item_id=1).position
    assert slow > seen
    assert _positions() == [seen, slow]


@pytest.mark.postgres
def test_two_processes_publishing_at_once_end_with_the_market_a_fresh_build_gives(tmp_path):
    from tests.realtime.servers import PrivateRedis, database_url

    skill, ward = factories.SkillFactory(), factories.WardFactory()
    charity, business = factories.VcsFactory(), factories.BusinessFactory(home_ward=ward)
    redis = PrivateRedis()
    redis.start()
    env = os.environ | {"DATABASE_URL": database_url(), "REDIS_URL": redis.url}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.brokerage.market_writer", str(charity.pk),
             str(business.pk), str(ward.pk), str(skill.pk), "40", str(seed),
             str(tmp_path / f"{seed}.pickle")],
            cwd=settings.BASE_DIR, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        for seed in (1, 2)
    ]  # fmt: skip
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "written"
        for writer in writers:
            writer.stdin.write("report\n")
            writer.stdin.flush()
            assert writer.wait(60) == 0
    finally:
        for writer in writers:
            writer.kill() if writer.poll() is None else None
        redis.stop()

    expected = fresh()
    assert len(expected.needs) + len(expected.offers) > 20  # both wrote, and much stayed open
    for seed in (1, 2):
        with open(tmp_path / f"{seed}.pickle", "rb") as file:
            assert_same_market(pickle.load(file), expected)
