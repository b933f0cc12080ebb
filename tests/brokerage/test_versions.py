"""Version tokens and the two ways of keeping things under them (`brokerage.infra.versions`):
one rule for both, including while Redis is down (no version: nothing kept, nothing reused)."""

import pytest

from brokerage.infra import versions
from tests import factories


class Builds:
    """A builder that counts how often it ran."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def test_a_memo_keeps_a_value_while_its_version_holds():
    memo, build = versions.ProcessMemo(), Builds()

    assert memo.get_or_build("market", "v1", build) == 1
    assert memo.get_or_build("market", "v1", build) == 1
    assert memo.get_or_build("market", "v2", build) == 2  # a new version builds again
    assert build.count == 2


def test_a_memo_keeps_nothing_without_a_version():
    memo, build = versions.ProcessMemo(), Builds()

    memo.get_or_build("market", None, build)
    memo.get_or_build("market", None, build)

    assert build.count == 2
    assert memo.recall("market", None) is None


def test_a_memo_entry_lapses_after_its_time_and_past_the_limit_it_starts_again():
    lapsed = versions.ProcessMemo(seconds=-1)
    lapsed.keep("token", "v1", "who")
    assert lapsed.recall("token", "v1") is None

    small = versions.ProcessMemo(limit=2)
    small.keep("a", "v1", 1)
    small.keep("b", "v1", 2)
    small.keep("c", "v1", 3)
    assert small.recall("a", "v1") is None
    assert small.recall("c", "v1") == 3


@pytest.mark.django_db
def test_shared_reads_follow_the_market_version():
    build = Builds()

    first = versions.cached("sums", build, 60, versions.MARKET)
    assert versions.cached("sums", build, 60, versions.MARKET) == first
    factories.NeedFactory()  # a change to the market moves its version
    assert versions.cached("sums", build, 60, versions.MARKET) == first + 1


def test_shared_reads_are_built_afresh_while_a_version_is_unknown(monkeypatch):
    monkeypatch.setattr(versions.MARKET, "current", lambda: None)
    build = Builds()

    versions.cached("sums", build, 60, versions.MARKET)
    versions.cached("sums", build, 60, versions.MARKET)

    assert build.count == 2
