"""Each benchmark keeps its own PostgreSQL database; a fresh machine has none yet."""

import psycopg


def create_database(url: str) -> None:
    """Create the database `url` names if it is missing (connecting to `postgres` to do so)."""
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
