"""The product served by a real ASGI server (uvicorn), as `make run` serves it."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'db.sqlite3'}",
        "DEBUG": "1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    uvicorn = Path(sys.executable).parent / "uvicorn"
    process = subprocess.Popen(
        [
            str(uvicorn),
            "brokerage.config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers, response.read()


def test_health_endpoint_reports_the_database_reachable(server):
    status, _, body = _get(f"{server}/healthz")

    assert status == 200
    assert json.loads(body)["status"] == json.loads(body)["database"] == "ok"


def test_home_page_shows_live_figures(server):
    status, _, body = _get(f"{server}/")

    assert status == 200
    assert b"open requests for help" in body


def test_admin_sign_in_page_and_its_styles_are_served(server):
    status, _, body = _get(f"{server}/admin/login/")
    assert status == 200
    assert b"csrfmiddlewaretoken" in body

    status, headers, _ = _get(f"{server}/static/admin/css/base.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
