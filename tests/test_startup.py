"""A serving process settles once its application is loaded: what it loaded at start-up is out
of the garbage collector's reach, so a full collection does not walk it mid-request."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("entry_point", ["brokerage.config.wsgi", "brokerage.config.asgi"])
def test_the_servers_entry_points_freeze_what_start_up_loaded(entry_point):
    probe = f"import gc, {entry_point}; print(gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "brokerage.config.settings"}
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert int(found) > 50_000  # Django, the apps, the engine's libraries
