"""`make backup` and `make restore`: a backup restored gives back the same rows and the same
£ totals, on PostgreSQL (pg_dump / pg_restore) and on SQLite (a file copy); a file that is
not a backup is refused and the database is left as it was."""

import io
import json
import os
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from brokerage import models
from brokerage.datasets.demo import seed_demo

COUNTED = [
    models.Organisation, models.User, models.Need, models.Offer, models.Match,
    models.MatchEvent, models.TimeEntry, models.CreditEntry, models.Notification,
    models.AuditEntry,
]  # fmt: skip


def _state() -> dict:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["£ delivered"] = models.TimeEntry.objects.aggregate(v=Sum("value"))["v"]
    counts["credits"] = models.CreditEntry.objects.aggregate(c=Sum("credits"))["c"]
    return counts


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True  # the demo is for the embedded mode only
    call_command("load_reference_data", verbosity=0)
    seed_demo(password="correct horse battery staple")
    settings.DEBUG = False


@pytest.mark.postgres
def test_a_postgres_backup_restores_the_same_rows_and_totals(demo, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tools")
    before = _state()
    assert before["£ delivered"] > Decimal(0) and before["Match"] > 0
    call_command("backup", str(tmp_path / "demo.dump"), stdout=io.StringIO())

    models.Notification.objects.all().delete()  # a bad day: rows lost, rows added
    models.Need.objects.filter(status="draft").delete()
    models.Organisation.objects.create(
        kind="vcs", name="Added later", slug="added-later", council_id="E08000026"
    )
    assert _state() != before

    call_command("restore", str(tmp_path / "demo.dump"), stdout=io.StringIO())
    assert _state() == before


STATE_SCRIPT = (
    "import json; from tests.brokerage.test_backups import _state; "
    "print(json.dumps(_state(), default=str))"
)


@pytest.mark.postgres
def test_a_postgres_backup_restores_into_a_fresh_database(demo, tmp_path):
    """What a new server does after losing the old one: an empty database, then restore."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tools")
    before = json.loads(json.dumps(_state(), default=str))
    call_command("backup", str(tmp_path / "demo.dump"), stdout=io.StringIO())
    db = connection.settings_dict
    fresh = f"brokerage_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{fresh}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    try:
        for args in (["restore", str(tmp_path / "demo.dump")], ["shell", "-c", STATE_SCRIPT]):
            done = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == before, done.stdout
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(demo, tmp_path):
    before = _state()
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup")
    with pytest.raises(CommandError):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"))
    assert _state() == before


def test_a_sqlite_backup_restores_the_same_rows_and_totals(tmp_path):
    """The embedded database, through the commands `make backup` and `make restore` run."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
        "DEBUG": "1",
        "REDIS_URL": "",
    }

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    count = (
        "from brokerage.models import Match, Notification, TimeEntry; "
        "from django.db.models import Sum; print(Match.objects.count(), "
        "Notification.objects.count(), TimeEntry.objects.aggregate(v=Sum('value'))['v'])"
    )
    manage("migrate", "--verbosity", "0")
    manage("load_reference_data", "--verbosity", "0")
    manage("seed_demo")
    before = manage("shell", "-c", count)
    written = manage("backup", str(tmp_path / "copy.sqlite3"))
    manage(
        "shell", "-c", "from brokerage.models import Notification as N; N.objects.all().delete()"
    )
    assert manage("shell", "-c", count) != before
    manage("restore", written)
    assert manage("shell", "-c", count) == before
    # And into a fresh file, as on a new machine.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    manage("restore", written)
    assert manage("shell", "-c", count) == before
