"""A broker downloads a dataset from the export page: the file arrives whole, and the
download is in the audit log."""

import csv
import io
from pathlib import Path

import pytest

from brokerage.models import AuditEntry, Need
from tests import factories
from tests.browser.conftest import problems, serious_accessibility_violations, sign_in


@pytest.fixture
def market(transactional_db):
    council = factories.CouncilFactory(name="Coventry City Council")
    factories.MembershipFactory(organisation=council, user__username="priya")
    for _ in range(3):
        factories.NeedFactory()


def test_a_broker_downloads_the_needs_as_csv(page, market):
    sign_in(page, "priya")
    page.get_by_role("link", name="Export data (CSV, JSON)").click()
    row = page.locator("[data-dataset=needs]")
    with page.expect_download() as download:
        row.get_by_role("link", name="CSV of needs").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(int(r["id"]) for r in rows) == sorted(Need.objects.values_list("pk", flat=True))
    with page.expect_download() as download:
        row.get_by_role("link", name="JSON of needs").click()
    assert download.value.suggested_filename == "needs.json"
    files = AuditEntry.objects.filter(action="data_exported").values_list("changes", flat=True)
    assert sorted(c["file"][1] for c in files) == ["needs.csv", "needs.json"]
    assert serious_accessibility_violations(page) == []
    assert problems(page) == []
