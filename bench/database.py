"""Each benchmark keeps its own PostgreSQL database; a fresh machine has none yet."""

import psycopg


def create_database(url: str) -> None:
    """Create the database `url` names if it is missing (connecting to `postgres` to do so)."""
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def emptied_with_reference_data() -> None:
    """Set Django up on `DATABASE_URL` (created if missing), migrated and emptied, with the
    cache cleared and the reference data (the region's councils and wards, skills) loaded."""
    import os

    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    call_command("load_reference_data", verbosity=0)


def analyze() -> None:
    """Fresh planner statistics after seeding, as autovacuum would give a live database (on
    stale ones PostgreSQL expects one row where there are thousands, and loops)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
