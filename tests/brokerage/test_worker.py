"""The real worker: `manage.py run_huey` in its own process, queue in Redis, data in
PostgreSQL, sends the e-mail for a proposal nobody has read."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection
from huey.contrib.djhuey import HUEY

from brokerage.models import Notification
from brokerage.services.matches import propose_match

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture
def worker(tmp_path, settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the worker's queue)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASK_QUEUE": queue,
        "TASKS_IMMEDIATE": "0",
        "EMAIL_GRACE_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    log = (tmp_path / "worker.log").open("w")  # shown if the test fails
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "1", "--no-periodic"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    settings.EMAIL_GRACE_SECONDS = 0  # the proposing side schedules the e-mail
    HUEY.name, HUEY.immediate = queue, False  # enqueue into the worker's Redis queue
    HUEY.storage = HUEY.create_storage()
    try:
        yield tmp_path
    finally:
        log.close()
        HUEY.flush()
        HUEY.name, HUEY.immediate = "brokerage", True
        process.terminate()
        process.wait(timeout=20)


def test_the_worker_emails_an_unread_proposal(worker, offer, need, business_member, vcs_member):
    propose_match(offer=offer, need=need, days=2, by=business_member)  # commits: queued

    mail = worker / "mail"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (mail.exists() and list(mail.iterdir())):
        time.sleep(0.2)
    sent = "".join(path.read_text() for path in mail.iterdir()) if mail.exists() else ""
    assert f"To: {vcs_member.email}" in sent, (worker / "worker.log").read_text()
    assert "proposed" in sent
    # The message is written inside the worker's transaction, so the mark may commit a
    # moment after the file appears.
    notification = Notification.objects.get(recipient=vcs_member, kind="match_proposed")
    while time.monotonic() < deadline and notification.emailed_at is None:
        time.sleep(0.1)
        notification.refresh_from_db()
    assert notification.emailed_at is not None
