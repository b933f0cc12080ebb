"""Brokers take every dataset of their area out, whole, as CSV and JSON, streamed; each
download is in the audit log; nobody else can; the README names every personal-data column."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brokerage import access
from brokerage.datasets import exports
from brokerage.datasets.demo import seed_demo
from brokerage.models import AuditEntry, MatchEvent, Need, User
from tests.reference import load_reference_data

pytestmark = pytest.mark.django_db
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    load_reference_data()
    seed_demo(password="x")
    return {u.username: u for u in User.objects.all()}


def _body(response) -> str:
    assert response.streaming  # rows are written as they are read, never held whole
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("name", list(exports.DATASETS))
def test_every_dataset_comes_out_whole_as_csv_and_json(demo, client_for, name):
    api = client_for(demo["broker"])
    dataset = exports.DATASETS[name]
    rows = dataset.rows()  # the broker's area's (Coventry's): Solihull's are not theirs
    expected = rows.filter(access.in_areas(rows.model, access.broker_areas(demo["broker"]))).count()

    as_csv = api.get(f"/api/v1/exports/{name}/?format=csv")
    as_json = api.get(f"/api/v1/exports/{name}/?format=json")

    assert as_csv["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    rows = list(csv.DictReader(io.StringIO(_body(as_csv))))
    objects = json.loads(_body(as_json))
    assert len(rows) == len(objects) == expected
    assert list(rows[0] if rows else [c.name for c in dataset.columns]) == [
        c.name for c in dataset.columns
    ]
    assert all(set(o) == {c.name for c in dataset.columns} for o in objects)
    exported = AuditEntry.objects.filter(action="data_exported", actor=demo["broker"])
    assert sorted(e.changes["file"][1] for e in exported) == [f"{name}.csv", f"{name}.json"]


def test_the_rows_match_the_database(demo, client_for):
    rows = json.loads(_body(client_for(demo["broker"]).get("/api/v1/exports/needs/?format=json")))
    need = Need.objects.order_by("pk").first()
    assert rows[0]["id"] == need.pk and rows[0]["title"] == need.title
    assert rows[0]["ward"] == need.ward.gss_code
    events = json.loads(
        _body(client_for(demo["broker"]).get("/api/v1/exports/match_events/?format=json"))
    )
    assert len(events) == MatchEvent.objects.count()


def test_an_export_reads_in_chunks_whatever_its_size(demo, client_for):
    api = client_for(demo["broker"])
    with CaptureQueriesContext(connection) as queries:
        _body(api.get("/api/v1/exports/time_entries/?format=csv"))
    selects = [q for q in queries if '"brokerage_timeentry"' in q["sql"]]
    assert len(selects) == 1  # one cursor, fetched CHUNK rows at a time


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/exports/nonsense/", 404),
        ("/api/v1/exports/needs/?format=xml", 404),  # no such format: DRF's negotiation
        ("/api/v1/exports/needs/?format=", 400),
    ],
)
def test_bad_export_requests_are_refused_and_recorded_nowhere(demo, client_for, path, status):
    answer = client_for(demo["broker"]).get(path)
    assert answer.status_code == status
    assert not AuditEntry.objects.filter(action="data_exported").exists()


def test_only_brokers_export(demo, client_for):
    for username in ("charity", "business", "volunteer"):
        api = client_for(demo[username])
        assert api.get("/api/v1/exports/").status_code == 403
        assert api.get("/api/v1/exports/needs/?format=csv").status_code == 403
    listed = client_for(demo["broker"]).get("/api/v1/exports/").json()
    assert [d["name"] for d in listed] == list(exports.DATASETS)


def test_the_readme_names_every_personal_data_column():
    text = README.read_text()
    for dataset in exports.DATASETS.values():
        for column in dataset.personal_columns:
            assert f"`{dataset.name}.{column}`" in text, (dataset.name, column)
