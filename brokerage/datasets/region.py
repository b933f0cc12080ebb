"""Loading a region: its councils under their combined authority and all their wards, with
neighbours across council borders (the West Midlands: data/west-midlands/SOURCES.md).

A council whose wards came from its own file first (Coventry's) keeps that file's figures
(`COUNCIL_FILE_WINS`) and gains what only the region's file has: IMD 2025 and the neighbours
over its border.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from brokerage.datasets.reference_data import (
    DATA_DIR,
    WardRecord,
    WardSetResult,
    boundary_shapes,
    read_json,
    require_council,
    store_neighbours,
    store_ward_set,
)
from brokerage.models import Council, Ward, WardSet

REGION_WARDS_JSON = DATA_DIR / "west-midlands" / "west_midlands_wards.json"
REGION_WARDS_GEOJSON = DATA_DIR / "west-midlands" / "west_midlands_wards.geojson"
# The region's combined authority, which the ward file names in its description only.
WEST_MIDLANDS = {"gss_code": "E47000007", "name": "West Midlands"}
# A region ward set per council, named for the ONS edition the boundaries come from.
REGION_EDITION = {
    "suffix": "wd25",
    "label": "ONS December 2025",
    "valid_from": dt.date(2025, 12, 1),
}
ATTRIBUTION_2025 = (
    "Contains National Statistics data © Crown copyright and database right 2025; Contains OS "
    "data © Crown copyright and database right 2025; Contains public sector information "
    "licensed under the Open Government Licence v3.0. IMD 2019 and IMD 2025: Ministry of "
    "Housing, Communities & Local Government, English Indices of Deprivation 2019 / 2025, "
    "OGL v3.0."
)


@dataclass(frozen=True)
class RegionResult:
    ward_sets: list[WardSetResult]
    neighbour_pairs: int
    cross_border_pairs: int


@transaction.atomic
def load_councils(path: Path = REGION_WARDS_JSON) -> int:
    """The region's councils under their combined authority, from the ward file's metadata;
    returns how many were created (names are updated from the file)."""
    metadata = read_json(path)["metadata"]
    region, created = Council.objects.update_or_create(
        gss_code=WEST_MIDLANDS["gss_code"],
        defaults={"name": WEST_MIDLANDS["name"], "kind": Council.Kind.COMBINED},
    )
    for code, council in metadata["councils"].items():
        _, was_created = Council.objects.update_or_create(
            gss_code=code,
            defaults={
                "name": council["name"],
                "kind": Council.Kind.LOCAL,
                "combined_authority": region,
            },
        )
        created += was_created
    return created


def region_ward_records(
    wards_json: Path = REGION_WARDS_JSON, boundaries: Path = REGION_WARDS_GEOJSON
) -> list[WardRecord]:
    """The region's 192 wards (ONS December 2025) with neighbours across council borders,
    IMD 2019 and IMD 2025 as published in the data file (data/west-midlands/SOURCES.md)."""
    data, shapes = read_json(wards_json), boundary_shapes(boundaries)
    records = []
    for ward in data["wards"]:
        imd2019, imd2025 = ward.get("imd2019") or {}, ward.get("imd2025") or {}
        records.append(
            WardRecord(
                gss_code=ward["gss_code"],
                name=ward["name"],
                lad_code=ward["lad_code"],
                centroid_lat=ward["centroid_lat"],
                centroid_lon=ward["centroid_lon"],
                area_km2=ward.get("area_km2"),
                population=ward.get("population_mid2015"),
                boundary=shapes.get(ward["gss_code"]),
                imd={
                    # Null for the 44 wards created after 2020 (the score is a WD20 aggregate).
                    "imd_score": imd2019.get("humaniverse_wd20_pop_weighted_avg_imd_score"),
                    "imd_rank": imd2019.get("pop_weighted_mean_lsoa_imd_rank"),
                    "imd_median_decile": imd2019.get("median_lsoa_imd_decile"),
                    "imd_lsoa_count": imd2019.get("lsoa_count"),
                    "imd_lsoas_in_decile_1": imd2019.get("lsoas_in_national_decile_1"),
                },
                imd2025={
                    "imd2025_score": imd2025.get("mean_lsoa_imd_score"),
                    "imd2025_rank": imd2025.get("mean_lsoa_imd_rank"),
                    "imd2025_median_decile": imd2025.get("median_lsoa_imd_decile"),
                    "imd2025_lsoa_count": imd2025.get("lsoa21_count"),
                    "imd2025_lsoas_in_decile_1": imd2025.get("lsoas_in_national_decile_1"),
                },
                neighbours=set(ward["neighbours"]),
            )
        )
    return records


# Figures a council's own file may hold more exactly than the region's (Coventry's: full
# resolution boundaries, mid-2020 population, two LSOAs placed by hand): a region load fills
# them only where blank.
COUNCIL_FILE_WINS = (
    "centroid_lat",
    "centroid_lon",
    "area_km2",
    "population",
    "imd_score",
    "imd_rank",
    "imd_median_decile",
    "imd_lsoa_count",
    "imd_lsoas_in_decile_1",
)


def store_region(records: list[WardRecord], *, source: str = "") -> "RegionResult":
    """Stores a region's wards, one ward set per council, then their neighbours across
    borders. A council whose wards are already loaded (Coventry's, from its own file) keeps
    its ward set and its own figures (`COUNCIL_FILE_WINS`), and gains IMD 2025 and its
    cross-border neighbours."""
    by_council: dict[str, list[WardRecord]] = {}
    codes_by_council = {r.gss_code: r.lad_code for r in records}
    for record in records:
        by_council.setdefault(record.lad_code, []).append(record)
    results = []
    with transaction.atomic():
        for code, council_records in sorted(by_council.items()):
            council = require_council(code)
            existing = Ward.objects.in_bulk(
                [r.gss_code for r in council_records], field_name="gss_code"
            )
            for record in council_records:
                if record.gss_code in existing:
                    _keep_council_figures(record, existing[record.gss_code])
            sets = WardSet.objects.filter(wards__in=existing.values()).distinct()
            if len(sets) == 1:
                ward_set = sets[0]
                naming = {
                    "slug": ward_set.slug,
                    "name": ward_set.name,
                    "valid_from": ward_set.valid_from,
                    "source": _with(ward_set.source, source),
                    "attribution": ATTRIBUTION_2025,
                }
            else:
                naming = {
                    "slug": f"{council.name.lower().replace(' ', '-')}-{REGION_EDITION['suffix']}",
                    "name": f"{council.name} wards ({REGION_EDITION['label']})",
                    "valid_from": REGION_EDITION["valid_from"],
                    "source": source,
                    "attribution": ATTRIBUTION_2025,
                }
            results.append(
                store_ward_set(council_records, council_code=code, link_neighbours=False, **naming)
            )
        pairs = store_neighbours(records)
    cross = {
        tuple(sorted((r.gss_code, code)))
        for r in records
        for code in r.neighbours
        if code in codes_by_council and codes_by_council[code] != r.lad_code
    }
    return RegionResult(results, pairs, len(cross))


def _with(source: str, addition: str) -> str:
    return source if not addition or addition in source else f"{source}; {addition}".strip("; ")


def _keep_council_figures(record: WardRecord, ward: Ward) -> None:
    for name in COUNCIL_FILE_WINS:
        kept = getattr(ward, name)
        if kept is None:
            continue
        if name.startswith("imd_"):
            record.imd[name] = kept
        else:
            setattr(record, name, kept)
