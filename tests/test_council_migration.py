"""Data from the single-council days moves into Coventry unchanged (migrations 0016, 0017)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from brokerage.models import AllocationPlan, Contract, Council, Organisation, Ward, WardSet

BEFORE = [("brokerage", "0015_broker_queue_indexes")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_coventry_installation_migrates_into_coventry_unchanged():
    old = _migrate(BEFORE)
    WardSet_ = old.get_model("brokerage", "WardSet")
    Ward_ = old.get_model("brokerage", "Ward")
    Organisation_ = old.get_model("brokerage", "Organisation")
    Plan_ = old.get_model("brokerage", "AllocationPlan")
    wards = WardSet_.objects.create(
        slug="coventry-2004", name="Coventry", lad_code="E08000026", valid_from=dt.date(2004, 6, 10)
    )
    # By id: in the migration state, Ward's self-relation (neighbours) gets a reverse accessor
    # named `ward_set` that hides the foreign key of that name.
    foleshill = Ward_.objects.create(
        ward_set_id=wards.pk, gss_code="E05001222", name="Foleshill", lad_code="E08000026",
        centroid_lat=52.42, centroid_lon=-1.49, imd_score=44.6,
    )  # fmt: skip
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    based = Organisation_.objects.create(
        kind="vcs", name="Food bank", slug="food-bank", contact_email="f@example.org",
        home_ward=foleshill, verification_status="verified", verified_at=now,
    )  # fmt: skip
    homeless = Organisation_.objects.create(
        kind="business", name="Lighting", slug="lighting", contact_email="l@example.org"
    )
    team = Organisation_.objects.create(
        kind="council", name="Brokers", slug="coventry-city-council", contact_email="c@example.org",
        verification_status="verified", verified_at=now,
    )  # fmt: skip
    old.get_model("brokerage", "Contract").objects.create(
        organisation=homeless, title="Street lighting", starts_on=dt.date(2025, 4, 1),
        ends_on=dt.date(2035, 3, 31), committed_hours=500,
    )  # fmt: skip
    Plan_.objects.create(
        objective=1.0, days_placed=1, need_days=1, needs_considered=1, needs_served=1,
        needs_fully_covered=1, seconds=0.1,
    )  # fmt: skip

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    coventry = Council.objects.get(gss_code="E08000026")
    assert coventry.name == "Coventry"
    assert coventry.combined_authority.gss_code == "E47000007"
    assert Ward.objects.get(gss_code="E05001222").council == coventry
    assert WardSet.objects.get(slug="coventry-2004").council == coventry
    moved = Organisation.objects.filter(pk__in=[based.pk, homeless.pk, team.pk])
    assert {organisation.council_id for organisation in moved} == {"E08000026"}
    assert Ward.objects.get(gss_code="E05001222").imd_score == 44.6  # figures untouched
    assert AllocationPlan.objects.get().council == coventry
    assert Contract.objects.get().council == coventry  # let by the council it was made with
