"""Backing up and restoring the database the settings name, with each engine's own tool:
PostgreSQL's pg_dump / pg_restore (custom format: compressed, restorable table by table),
SQLite's online backup API (a consistent copy even while the server writes).

Files go to BACKUP_DIR (default `backups/`), named by engine and time. Restoring replaces
what the database holds with the file's contents.
"""

import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

from brokerage.infra import market_log


class BackupError(RuntimeError):
    """A backup or restore tool failed; the message says what it printed."""


def _database() -> dict:
    return connections["default"].settings_dict


def _pg_env(db: dict) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict) -> list[str]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup(target: Path | None = None) -> Path:
    """Write a backup of the default database; returns its path."""
    db = _database()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "backups"))
    if db["ENGINE"].endswith("postgresql"):
        target = target or folder / f"brokerage-{stamp}.dump"
        target.parent.mkdir(parents=True, exist_ok=True)
        _run(
            ["pg_dump", "--format=custom", "--no-owner", *_pg_args(db), "--file", str(target),
             db["NAME"]],
            _pg_env(db),
        )  # fmt: skip
    elif db["ENGINE"].endswith("sqlite3"):
        target = target or folder / f"brokerage-{stamp}.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    else:
        raise BackupError(f"No backup method for {db['ENGINE']}.")
    return target


def restore(source: Path) -> None:
    """Replace the default database's contents with the backup at `source`."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    db = _database()
    connections.close_all()  # nothing of ours holds the database while it is replaced
    if db["ENGINE"].endswith("postgresql"):
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *_pg_args(db), "--dbname", db["NAME"], str(source)],
            _pg_env(db),
        )  # fmt: skip
    elif db["ENGINE"].endswith("sqlite3"):
        try:
            with sqlite3.connect(source) as backup_file:
                sound = backup_file.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                tables = backup_file.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
                ).fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite database: {error}") from error
        if not (sound and tables):
            raise BackupError(f"{source} is not a backup of this service's database.")
        with sqlite3.connect(source) as backup_file, sqlite3.connect(db["NAME"]) as live:
            backup_file.backup(live)
    else:
        raise BackupError(f"No restore method for {db['ENGINE']}.")
    market_log.everything_changed()  # every process rebuilds its market from the restored data
