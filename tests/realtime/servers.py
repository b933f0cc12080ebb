"""Real servers for realtime tests: a private redis-server on a free port (stopping it never
touches the shared Redis), and the production shape's gunicorn and uvicorn processes."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class PrivateRedis:
    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.skip("needs the redis-server program")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextlib.contextmanager
def production_shape(redis_url: str, **environment: str) -> Iterator[tuple[str, str]]:
    """gunicorn (HTTP, 2 workers) and uvicorn (WebSockets) on free loopback ports against
    the test database and `redis_url`; yields their base addresses (http://…, ws://…)."""
    http_port, ws_port = free_port(), free_port()
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        **environment,
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "brokerage.config.wsgi:application", "--bind",
             f"127.0.0.1:{http_port}", "--workers", "2", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "brokerage.config.asgi:application", "--port",
             str(ws_port), "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env,
        ),
    ]  # fmt: skip
    try:
        wait_for_port(http_port)
        wait_for_port(ws_port)
        yield f"http://127.0.0.1:{http_port}", f"ws://127.0.0.1:{ws_port}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
