"""Loading wards, skills and themes; the ward loader computes geography from boundary files."""

import csv
import datetime as dt
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from brokerage import selectors
from brokerage.datasets import geo, reference_data
from brokerage.errors import InvalidInput
from brokerage.models import Council, Skill, SkillCategory, Theme, Ward, WardSet
from tests import factories

pytestmark = pytest.mark.django_db
COVENTRY_DIR = reference_data.DATA_DIR / "coventry"
COVENTRY = "E08000026"


def _pairs(wards) -> set[tuple[str, str]]:
    return {
        tuple(sorted((ward.gss_code, other.gss_code)))
        for ward in wards
        for other in ward.neighbours.all()
    }


@pytest.fixture
def loaded():
    call_command("load_reference_data", verbosity=0)


def test_coventry_has_18_wards_with_unique_codes_and_neighbours(loaded):
    wards = Ward.objects.filter(council_id=COVENTRY).prefetch_related("neighbours")

    assert wards.count() == 18
    assert len({w.gss_code for w in wards}) == 18
    assert all(ward.neighbours.exists() for ward in wards)
    pairs = _pairs(wards)
    within = {pair for pair in pairs if all(code in {w.gss_code for w in wards} for code in pair)}
    assert len(within) == 39
    assert len(pairs - within) == 3  # Bablake, Westwood and Woodlands border Solihull's Meriden


def test_neighbours_are_symmetric(loaded):
    for ward in Ward.objects.prefetch_related("neighbours"):
        for other in ward.neighbours.all():
            assert ward in other.neighbours.all()


def test_ward_figures_come_from_the_data_file(loaded):
    foleshill = Ward.objects.get(name="Foleshill")

    assert foleshill.gss_code == "E05001222"
    assert foleshill.boundary.geometry["type"] in {"Polygon", "MultiPolygon"}
    assert foleshill.imd_lsoas_in_decile_1 > 0
    # Foleshill is among the most deprived wards of Coventry, Wainbody among the least.
    assert foleshill.imd_score > Ward.objects.get(name="Wainbody").imd_score


def test_ward_deprivation_agrees_with_the_lsoa_file(loaded):
    with (COVENTRY_DIR / "coventry_lsoa11_imd2019.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    per_ward = Counter(row["ward_gss_code"] for row in rows)
    decile_1 = Counter(row["ward_gss_code"] for row in rows if row["imd_decile"] == "1")

    for ward in Ward.objects.filter(council_id=COVENTRY):
        assert ward.imd_lsoa_count == per_ward[ward.gss_code]
        assert ward.imd_lsoas_in_decile_1 == decile_1[ward.gss_code]


def test_loading_twice_changes_nothing(loaded):
    before = list(Ward.objects.values().order_by("pk"))
    pairs = _pairs(Ward.objects.prefetch_related("neighbours"))

    call_command("load_reference_data", verbosity=0)

    assert list(Ward.objects.values().order_by("pk")) == before
    assert _pairs(Ward.objects.prefetch_related("neighbours")) == pairs
    assert (SkillCategory.objects.count(), Theme.objects.count()) == (14, 10)


def test_taxonomy_is_two_levels_with_at_least_12_categories_and_60_skills(loaded):
    assert SkillCategory.objects.count() >= 12
    assert Skill.objects.count() >= 60
    assert all(category.skills.count() >= 4 for category in SkillCategory.objects.all())
    payroll = Skill.objects.get(slug="payroll")
    assert payroll.category.slug == "hr-people"
    assert "paye" in payroll.synonyms


def test_reload_keeps_a_broker_edit_of_a_skill(loaded):
    Skill.objects.filter(slug="payroll").update(name="Payroll and pensions")

    call_command("load_reference_data", verbosity=0)

    assert Skill.objects.get(slug="payroll").name == "Payroll and pensions"


# --- any ONS boundary file --------------------------------------------------------------------


def test_adjacency_computed_from_the_shipped_geojson_reproduces_the_shipped_pairs():
    records = reference_data.boundary_file_records(
        COVENTRY_DIR / "coventry_wards.geojson", lad_code="E08000026"
    )
    shipped = json.loads((COVENTRY_DIR / "coventry_wards.json").read_text())["wards"]

    computed = {tuple(sorted((r.gss_code, n))) for r in records for n in r.neighbours}
    expected = {tuple(sorted((w["gss_code"], n))) for w in shipped for n in w["neighbours"]}
    assert len(computed) == 39
    assert computed == expected


def test_centroids_computed_from_the_geojson_are_within_50_m_of_the_shipped_ones():
    records = reference_data.boundary_file_records(
        COVENTRY_DIR / "coventry_wards.geojson", lad_code="E08000026"
    )
    shipped = {
        w["gss_code"]: w
        for w in json.loads((COVENTRY_DIR / "coventry_wards.json").read_text())["wards"]
    }
    for record in records:
        # ~0.00045° of latitude and ~0.00075° of longitude are 50 m at Coventry's latitude.
        assert abs(record.centroid_lat - shipped[record.gss_code]["centroid_lat"]) < 0.00045
        assert abs(record.centroid_lon - shipped[record.gss_code]["centroid_lon"]) < 0.00075
        assert record.area_km2 == pytest.approx(shipped[record.gss_code]["area_km2"], rel=0.02)


def _ons_style_file(tmp_path, *, prefix="WD26", lad="E08000026"):
    """The shipped geometry relabelled as an ONS release with new codes (WDyyCD/WDyyNM)."""
    data = json.loads((COVENTRY_DIR / "coventry_wards.geojson").read_text())
    for number, feature in enumerate(data["features"]):
        feature["properties"] = {
            f"{prefix}CD": f"E05{16398 + number:06d}",
            f"{prefix}NM": feature["properties"]["name"],
            f"LAD{prefix[2:]}CD": lad,
        }
    path = tmp_path / "wards.geojson"
    path.write_text(json.dumps(data))
    return path


def test_new_ward_set_from_an_ons_file_closes_the_old_set_and_keeps_old_wards(loaded, tmp_path):
    need = factories.NeedFactory(ward=Ward.objects.get(name="Foleshill"))

    call_command(
        "load_reference_data",
        boundaries=_ons_style_file(tmp_path),
        ward_set="coventry-2026",
        ward_set_name="Coventry wards from May 2026",
        valid_from=dt.date(2026, 5, 7),
        verbosity=0,
    )

    old, new = WardSet.objects.get(slug="coventry-2004"), WardSet.objects.get(slug="coventry-2026")
    assert old.valid_until == dt.date(2026, 5, 6)
    assert new.valid_until is None
    assert new.wards.count() == 18
    assert len(_pairs(new.wards.prefetch_related("neighbours"))) == 39
    need.refresh_from_db()
    assert need.ward.ward_set == old  # posted in the old ward, stays there
    assert set(selectors.current_wards(COVENTRY)) == set(new.wards.all())


def test_boundary_file_keeps_only_the_requested_authority(tmp_path):
    path = _ons_style_file(tmp_path, lad="E08000025")

    with pytest.raises(InvalidInput, match="no wards of local authority E08000026"):
        reference_data.boundary_file_records(path, lad_code="E08000026")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "Cannot read"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "no features"),
        (
            '{"type": "FeatureCollection", "features": [{"properties": {"x": 1}, "geometry": {}}]}',
            "no ward code",
        ),
    ],
)
def test_bad_boundary_files_are_refused_with_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.geojson"
    path.write_text(content)

    with pytest.raises(CommandError, match=message):
        call_command(
            "load_reference_data",
            boundaries=path,
            ward_set="x",
            ward_set_name="X",
            valid_from=dt.date(2026, 5, 7),
            verbosity=0,
        )
    assert not WardSet.objects.exists()


def test_boundary_option_needs_the_ward_set_details(tmp_path):
    with pytest.raises(CommandError, match="--ward-set, --ward-set-name, --valid-from"):
        call_command("load_reference_data", boundaries=_ons_style_file(tmp_path), verbosity=0)


def test_a_ward_code_cannot_move_between_ward_sets(loaded, tmp_path):
    path = COVENTRY_DIR / "coventry_wards.geojson"

    with pytest.raises(CommandError, match="already belongs to ward set 'coventry-2004'"):
        call_command(
            "load_reference_data",
            boundaries=path,
            ward_set="copy",
            ward_set_name="Copy",
            valid_from=dt.date(2026, 5, 7),
            verbosity=0,
        )
    assert not WardSet.objects.filter(slug="copy").exists()


def test_wards_touching_at_a_corner_are_not_neighbours():
    square = lambda x: geo.to_bng(  # noqa: E731
        {
            "type": "Polygon",
            "coordinates": [
                [[x, 52.4], [x + 0.01, 52.4], [x + 0.01, 52.41], [x, 52.41], [x, 52.4]]
            ],
        }
    )
    diagonal = geo.to_bng(
        {
            "type": "Polygon",
            "coordinates": [
                [[-1.49, 52.41], [-1.48, 52.41], [-1.48, 52.42], [-1.49, 52.42], [-1.49, 52.41]]
            ],
        }
    )
    pairs = geo.adjacency({"A": square(-1.51), "B": square(-1.50), "C": diagonal})

    assert pairs == {("A", "B")}


def test_a_ward_set_loaded_ahead_of_its_start_is_not_current_until_then(loaded, tmp_path):
    call_command(
        "load_reference_data",
        boundaries=_ons_style_file(tmp_path),
        ward_set="future",
        ward_set_name="Future wards",
        valid_from=dt.date.today() + dt.timedelta(days=30),
        verbosity=0,
    )

    today_wards = set(selectors.current_wards(COVENTRY))
    later_wards = set(selectors.current_wards(COVENTRY, on=dt.date.today() + dt.timedelta(days=30)))
    assert today_wards == set(WardSet.objects.get(slug="coventry-2004").wards.all())
    assert later_wards == set(WardSet.objects.get(slug="future").wards.all())


def test_the_region_loads_seven_councils_and_192_wards_neighbouring_across_borders(loaded):
    """The West Midlands file: 499 neighbouring pairs, 77 of them across a council border (its
    SOURCES.md); Meriden in Solihull borders three Coventry wards."""
    region = Council.objects.get(gss_code="E47000007")
    assert region.is_combined
    assert sorted(region.constituents.values_list("name", flat=True)) == [
        "Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton",
    ]  # fmt: skip
    wards = Ward.objects.prefetch_related("neighbours")
    assert wards.count() == 192
    pairs = _pairs(wards)
    council = dict(Ward.objects.values_list("gss_code", "council_id"))
    assert len(pairs) == 499
    assert sum(council[a] != council[b] for a, b in pairs) == 77
    meriden = Ward.objects.get(name="Meriden")
    assert meriden.council_id == "E08000029"
    coventry_side = meriden.neighbours.filter(council_id=COVENTRY)
    assert {ward.name for ward in coventry_side} == {"Bablake", "Westwood", "Woodlands"}


def test_coventry_keeps_its_own_figures_and_gains_imd_2025(loaded):
    """Coventry's file wins for what it holds more exactly (IMD 2019 with two LSOAs placed by
    hand, mid-2020 population); IMD 2025 comes from the region's file for every ward."""
    shipped = {
        ward["gss_code"]: ward
        for ward in json.loads((COVENTRY_DIR / "coventry_wards.json").read_text())["wards"]
    }
    region = {
        ward["gss_code"]: ward
        for ward in json.loads(
            (reference_data.DATA_DIR / "west-midlands" / "west_midlands_wards.json").read_text()
        )["wards"]
    }
    for ward in Ward.objects.filter(council_id=COVENTRY):
        imd = shipped[ward.gss_code]["imd2019"]
        assert ward.imd_rank == imd["pop_weighted_mean_lsoa_imd_rank"]
        assert ward.imd2025_score == region[ward.gss_code]["imd2025"]["mean_lsoa_imd_score"]
    assert Ward.objects.filter(imd2025_score__isnull=True).count() == 0
    assert WardSet.objects.filter(council_id=COVENTRY).count() == 1  # the same wards, one set


def test_loading_the_region_twice_creates_nothing(loaded):
    councils, wards = Council.objects.count(), list(Ward.objects.values().order_by("pk"))
    call_command("load_reference_data", verbosity=0)
    assert Council.objects.count() == councils
    assert list(Ward.objects.values().order_by("pk")) == wards


def test_a_ward_file_of_a_council_not_loaded_is_refused_with_its_code(tmp_path):
    path = _ons_style_file(tmp_path, lad="E08000099")
    with pytest.raises(CommandError, match="Council E08000099 is not loaded"):
        call_command(
            "load_reference_data",
            boundaries=path,
            ward_set="elsewhere",
            ward_set_name="Elsewhere",
            valid_from=dt.date(2026, 5, 7),
            lad_code="E08000099",
            verbosity=0,
        )
    assert not WardSet.objects.exists()
