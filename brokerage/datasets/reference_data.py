"""Loading reference data (wards, skills, themes) from data files.

Every loader is idempotent and never deletes. Wards are updated from their files; skills and
themes are only created when missing, so a broker's edits in the admin survive a reload.
"""

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from brokerage.datasets import geo
from brokerage.errors import InvalidInput
from brokerage.models import (
    Council,
    Skill,
    SkillCategory,
    SocialValueMeasure,
    Theme,
    Ward,
    WardBoundary,
    WardSet,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
COVENTRY_WARDS_JSON = DATA_DIR / "coventry" / "coventry_wards.json"
COVENTRY_WARDS_GEOJSON = DATA_DIR / "coventry" / "coventry_wards.geojson"
COVENTRY = "E08000026"
SKILLS_JSON = DATA_DIR / "skills.json"
THEMES_JSON = DATA_DIR / "themes.json"
SOCIAL_VALUE_JSON = DATA_DIR / "social_value.json"

COVENTRY_2004 = {
    "slug": "coventry-2004",
    "name": "Coventry wards (boundaries of 2004 to May 2026)",
    "valid_from": dt.date(2004, 6, 10),  # first all-out election on these boundaries
}
ATTRIBUTION = (
    "Contains National Statistics data © Crown copyright and database right. Contains OS data "
    "© Crown copyright and database right. Contains public sector information licensed under "
    "the Open Government Licence v3.0. IMD 2019: Ministry of Housing, Communities & Local "
    "Government, English Indices of Deprivation 2019, OGL v3.0."
)


@dataclass
class WardRecord:
    gss_code: str
    name: str
    lad_code: str
    centroid_lat: float
    centroid_lon: float
    area_km2: float | None = None
    population: int | None = None
    boundary: dict[str, Any] | None = None
    imd: dict[str, Any] = field(default_factory=dict)
    imd2025: dict[str, Any] = field(default_factory=dict)
    neighbours: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class WardSetResult:
    ward_set: WardSet
    created: int
    updated: int
    neighbour_pairs: int
    closed_previous: list[WardSet]


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InvalidInput(f"Cannot read {path}: {error}") from error


def boundary_shapes(boundaries: Path) -> dict[str, dict]:
    """Each ward's outline in a boundary file, by GSS code."""
    return {
        ward.gss_code: ward.geometry for ward in geo.read_ward_boundaries(read_json(boundaries))
    }


def coventry_ward_records(
    wards_json: Path = COVENTRY_WARDS_JSON, boundaries: Path = COVENTRY_WARDS_GEOJSON
) -> list[WardRecord]:
    """The shipped Coventry wards: centroids, adjacency, population and IMD 2019 as published
    in the data file (see data/coventry/SOURCES.md), with the generalised boundaries."""
    data, shapes = read_json(wards_json), boundary_shapes(boundaries)
    records = []
    for ward in data["wards"]:
        imd = ward.get("imd2019") or {}
        records.append(
            WardRecord(
                gss_code=ward["gss_code"],
                name=ward["name"],
                lad_code=ward["lad_code"],
                centroid_lat=ward["centroid_lat"],
                centroid_lon=ward["centroid_lon"],
                area_km2=ward.get("area_km2"),
                population=ward.get("population_mid2020") or ward.get("population_mid2019"),
                boundary=shapes.get(ward["gss_code"]),
                imd={
                    "imd_score": imd.get("pop_weighted_avg_imd_score"),
                    "imd_rank": imd.get("pop_weighted_mean_lsoa_imd_rank"),
                    "imd_median_decile": imd.get("median_lsoa_imd_decile"),
                    "imd_lsoa_count": imd.get("lsoa_count"),
                    "imd_lsoas_in_decile_1": imd.get("lsoas_in_national_decile_1"),
                },
                neighbours=set(ward["neighbours"]),
            )
        )
    return records


def boundary_file_records(path: Path, *, lad_code: str) -> list[WardRecord]:
    """Wards from any ONS ward-boundary GeoJSON, with centroids and adjacency computed here."""
    try:
        boundaries = geo.read_ward_boundaries(read_json(path), lad_code=lad_code)
    except geo.BoundaryFileError as error:
        raise InvalidInput(f"{path}: {error}") from error
    if not boundaries:
        raise InvalidInput(f"{path} has no wards of local authority {lad_code}.")
    shapes_bng = {ward.gss_code: geo.to_bng(ward.geometry) for ward in boundaries}
    records = {}
    for ward in boundaries:
        measured = geo.measure(shapes_bng[ward.gss_code])
        records[ward.gss_code] = WardRecord(
            gss_code=ward.gss_code,
            name=ward.name,
            lad_code=ward.lad_code or lad_code,
            centroid_lat=measured.centroid_lat,
            centroid_lon=measured.centroid_lon,
            area_km2=round(measured.area_km2, 3),
            boundary=ward.geometry,
        )
    for first, second in geo.adjacency(shapes_bng):
        records[first].neighbours.add(second)
        records[second].neighbours.add(first)
    return list(records.values())


def require_council(code: str) -> Council:
    """A ward file may only name a council that is loaded (`load_councils`)."""
    council = Council.objects.filter(gss_code=code).first()
    if council is None:
        raise InvalidInput(
            f"Council {code} is not loaded: load its region first, or check the code "
            "(wards are kept only for councils this service knows)."
        )
    return council


@transaction.atomic
def store_ward_set(
    records: list[WardRecord],
    *,
    slug: str,
    name: str,
    council_code: str,
    valid_from: dt.date,
    source: str = "",
    attribution: str = ATTRIBUTION,
    link_neighbours: bool = True,
) -> WardSetResult:
    """Create or update a ward set and its wards.

    A newer set closes the open sets of the same authority the day before it starts, so
    offers and needs posted in the old wards keep them. Without `link_neighbours` the caller
    links them (`store_neighbours`), for a region whose wards neighbour across sets.
    """
    council = require_council(council_code)
    foreign = sorted({r.lad_code for r in records} - {council.gss_code})
    if foreign:
        raise InvalidInput(f"The ward set of {council} holds wards of council {foreign[0]}.")
    ward_set, _ = WardSet.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "council": council,
            "valid_from": valid_from,
            "source": source,
            "attribution": attribution,
        },
    )
    clashes = Ward.objects.filter(gss_code__in=[r.gss_code for r in records]).exclude(
        ward_set=ward_set
    )
    if clashes.exists():
        clash = clashes.select_related("ward_set").first()
        raise InvalidInput(
            f"Ward {clash.gss_code} ({clash.name}) already belongs to ward set "
            f"'{clash.ward_set.slug}'; a GSS code names one ward with one boundary."
        )
    created = updated = 0
    for record in records:
        ward, was_created = Ward.objects.update_or_create(
            gss_code=record.gss_code,
            defaults={
                "ward_set": ward_set,
                "name": record.name,
                "council": council,
                "centroid_lat": record.centroid_lat,
                "centroid_lon": record.centroid_lon,
                "area_km2": record.area_km2,
                "population": record.population,
                **record.imd,
                **record.imd2025,
            },
        )
        if record.boundary:
            WardBoundary.objects.update_or_create(ward=ward, defaults={"geometry": record.boundary})
        created += was_created
        updated += not was_created
    pairs = store_neighbours(records) if link_neighbours else 0

    older = WardSet.objects.filter(
        council=council, valid_until__isnull=True, valid_from__lt=valid_from
    ).exclude(pk=ward_set.pk)
    closed = list(older)
    older.update(valid_until=valid_from - dt.timedelta(days=1))
    return WardSetResult(ward_set, created, updated, pairs, closed)


def store_neighbours(records: list[WardRecord]) -> int:
    """Sets each record's ward's neighbours (wards already stored, in any council); returns
    the number of neighbouring pairs among the records."""
    codes = {r.gss_code for r in records} | {c for r in records for c in r.neighbours}
    wards = Ward.objects.in_bulk(codes, field_name="gss_code")
    pairs = set()
    for record in records:
        unknown = record.neighbours - wards.keys()
        if unknown:
            raise InvalidInput(
                f"Ward {record.gss_code} names unknown neighbours {sorted(unknown)}."
            )
        wards[record.gss_code].neighbours.set([wards[code] for code in record.neighbours])
        pairs.update(tuple(sorted((record.gss_code, code))) for code in record.neighbours)
    return len(pairs)


@transaction.atomic
def load_skills(path: Path = SKILLS_JSON) -> tuple[int, int]:
    """Creates missing skill categories and skills; returns how many of each were created."""
    data = read_json(path)
    categories_created = skills_created = 0
    for order, category_data in enumerate(data["categories"]):
        category, created = SkillCategory.objects.get_or_create(
            slug=category_data["slug"],
            defaults={
                "name": category_data["name"],
                "description": category_data.get("description", ""),
                "sort_order": order,
            },
        )
        categories_created += created
        for skill_data in category_data["skills"]:
            skill, created = Skill.objects.get_or_create(
                slug=skill_data["slug"],
                defaults={
                    "category": category,
                    "name": skill_data["name"],
                    "synonyms": [s.lower() for s in skill_data.get("synonyms", [])],
                    "is_expert_advice": skill_data.get(
                        "expert_advice", category_data.get("expert_advice", False)
                    ),
                },
            )
            skills_created += created
            term = skill_data.get("open_data_term", "")
            if term and not skill.open_data_term:  # fill a blank, never overwrite an edit
                skill.open_data_term = term
                skill.save(update_fields=["open_data_term"])
    return categories_created, skills_created


@transaction.atomic
def load_themes(path: Path = THEMES_JSON) -> int:
    """Creates missing council priority themes; returns how many were created."""
    data = read_json(path)
    created_count = 0
    for order, theme in enumerate(data["themes"]):
        _, created = Theme.objects.get_or_create(
            slug=theme["slug"],
            defaults={
                "name": theme["name"],
                "description": theme.get("description", ""),
                "sort_order": order,
            },
        )
        created_count += created
    return created_count


@transaction.atomic
def load_measures(path: Path = SOCIAL_VALUE_JSON) -> int:
    """Creates missing social value measures (code + valid_from); returns how many. Rates a
    broker has edited, or added for later years, are left alone."""
    data = read_json(path)
    created_count = 0
    for measure in data["measures"]:
        theme = Theme.objects.filter(slug=measure["theme"]).first() if measure["theme"] else None
        _, created = SocialValueMeasure.objects.get_or_create(
            code=measure["code"],
            valid_from=dt.date.fromisoformat(measure["valid_from"]),
            council=None,  # the national rate; a council's own rates are its brokers' rows
            defaults={
                "name": measure["name"],
                "unit": measure["unit"],
                "kind": measure["kind"],
                "rate": measure["rate"],
                "theme": theme,
                "source": f"{data['source']} {data['licence_note']}",
            },
        )
        created_count += created
    return created_count
