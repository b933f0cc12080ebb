"""Common actors: a broker, a business member and a VCS member, each in a verified organisation."""

import pytest
from django.db import connection
from huey.contrib.djhuey import HUEY

from tests import factories

# Tasks run inline where they are enqueued (a delayed one waits in memory): no worker needed.
HUEY.immediate = True


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, saying so in the summary."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); running on SQLite")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def server_url(django_db_setup, django_db_blocker):
    """The app served by uvicorn on loopback for the whole session (tests/live_server.py).
    Tests that use it need `transactional_db`: the server's thread sees only committed rows."""
    from tests import live_server

    with django_db_blocker.unblock():
        server, thread, url = live_server.start()
        yield url
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def council(db):
    return factories.CouncilFactory(name="Coventry City Council", slug="coventry-city-council")


@pytest.fixture
def broker(council):
    return factories.MembershipFactory(organisation=council, user__username="broker").user


@pytest.fixture
def business(db):
    return factories.BusinessFactory(name="Midlands Lighting PFI")


@pytest.fixture
def vcs(db):
    return factories.VcsFactory(name="Foleshill Food Bank")


@pytest.fixture
def business_member(business):
    return factories.MembershipFactory(organisation=business, user__username="hr.lead").user


@pytest.fixture
def vcs_member(vcs):
    return factories.MembershipFactory(organisation=vcs, user__username="coordinator").user


@pytest.fixture
def outsider(db):
    """Signed in, but a member of neither side and not a broker."""
    return factories.MembershipFactory(
        organisation=factories.BusinessFactory(), user__username="outsider"
    ).user


@pytest.fixture
def offer(business):
    return factories.OfferFactory(organisation=business, days_offered=10)


@pytest.fixture
def need(vcs):
    return factories.NeedFactory(organisation=vcs, days_needed=5)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: no throttle counts, cached pages or markets
    (nor this process's engine market: the database it was built from was rolled back)."""
    from django.core.cache import cache

    from brokerage import matchmaking

    cache.clear()
    matchmaking.forget_market()


@pytest.fixture(autouse=True)
def deliver_inline(settings):
    """Notifications are placed and pushed in the test's own thread: a delivery thread
    left writing would race the next test's table reset. The servers the production-shape
    tests start use the thread, as production does."""
    settings.NOTIFICATION_DELIVERY = "inline"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
