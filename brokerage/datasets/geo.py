"""Ward geometry: read ONS ward-boundary GeoJSON, compute centroids and adjacency.

Adjacency is measured in metres in the British National Grid (EPSG:27700): two wards are
neighbours when they share at least `MIN_SHARED_BOUNDARY_M` of boundary, so wards that only
touch at a corner are not neighbours (rook, not queen, contiguity).
"""

import re
from dataclasses import dataclass
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

MIN_SHARED_BOUNDARY_M = 10.0
# Boundaries of neighbouring polygons rarely coincide exactly once generalised.
BOUNDARY_TOLERANCE_M = 1.0

_TO_BNG = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
_TO_WGS84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

_CODE_KEY = re.compile(r"^WD\d{2}CD$", re.IGNORECASE)
_NAME_KEY = re.compile(r"^WD\d{2}NM$", re.IGNORECASE)
_LAD_KEY = re.compile(r"^LAD\d{2}CD$", re.IGNORECASE)


class BoundaryFileError(ValueError):
    """The GeoJSON is not a ward-boundary file this loader understands."""


@dataclass(frozen=True)
class WardBoundary:
    gss_code: str
    name: str
    lad_code: str | None
    geometry: dict[str, Any]  # GeoJSON geometry, WGS84 lon/lat


@dataclass(frozen=True)
class WardGeometry:
    centroid_lat: float
    centroid_lon: float
    area_km2: float


def _property_key(properties: dict[str, Any], pattern: re.Pattern, fallback: str) -> str | None:
    for key in properties:
        if pattern.match(key):
            return key
    return fallback if fallback in properties else None


def read_ward_boundaries(
    feature_collection: dict[str, Any], *, lad_code: str | None = None
) -> list[WardBoundary]:
    """The wards in an ONS boundary file (`WDyyCD`/`WDyyNM`, or `gss_code`/`name`).

    With `lad_code`, keeps only that authority's wards (files that carry `LADyyCD`).
    """
    if feature_collection.get("type") != "FeatureCollection":
        raise BoundaryFileError("Expected a GeoJSON FeatureCollection.")
    features = feature_collection.get("features") or []
    if not features:
        raise BoundaryFileError("The file has no features.")
    wards = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code_key = _property_key(properties, _CODE_KEY, "gss_code")
        name_key = _property_key(properties, _NAME_KEY, "name")
        if not code_key or not name_key:
            raise BoundaryFileError(
                f"Feature {number} has no ward code and name (WDyyCD/WDyyNM or gss_code/name)."
            )
        if not feature.get("geometry"):
            raise BoundaryFileError(f"Feature {number} ({properties[code_key]}) has no geometry.")
        lad_key = _property_key(properties, _LAD_KEY, "lad_code")
        feature_lad = properties.get(lad_key) if lad_key else None
        if lad_code and feature_lad and feature_lad != lad_code:
            continue
        wards.append(
            WardBoundary(
                gss_code=str(properties[code_key]).strip(),
                name=str(properties[name_key]).strip(),
                lad_code=feature_lad,
                geometry=feature["geometry"],
            )
        )
    codes = [ward.gss_code for ward in wards]
    if len(set(codes)) != len(codes):
        raise BoundaryFileError("The file lists a ward code more than once.")
    return wards


def to_bng(geometry: dict[str, Any]) -> BaseGeometry:
    """A GeoJSON geometry (WGS84) as a shapely geometry in British National Grid metres."""
    return shapely.transform(
        shape(geometry), lambda x, y: _TO_BNG.transform(x, y), interleaved=False
    )


def measure(geometry_bng: BaseGeometry) -> WardGeometry:
    """Centroid (back in WGS84) and area of a ward in British National Grid."""
    centroid = geometry_bng.centroid
    lon, lat = _TO_WGS84.transform(centroid.x, centroid.y)
    return WardGeometry(
        centroid_lat=round(lat, 6), centroid_lon=round(lon, 6), area_km2=geometry_bng.area / 1e6
    )


def adjacency(
    geometries_bng: dict[str, BaseGeometry],
    *,
    min_shared_m: float = MIN_SHARED_BOUNDARY_M,
    tolerance_m: float = BOUNDARY_TOLERANCE_M,
) -> set[tuple[str, str]]:
    """Pairs of ward codes (sorted within the pair) sharing at least `min_shared_m` of boundary."""
    codes = list(geometries_bng)
    geometries = [geometries_bng[code] for code in codes]
    tree = shapely.STRtree(geometries)
    pairs = set()
    for i, geometry in enumerate(geometries):
        near = geometry.buffer(tolerance_m)
        for j in tree.query(near):
            if j <= i:
                continue
            shared = geometries[j].boundary.intersection(near).length
            if shared >= min_shared_m:
                pairs.add(tuple(sorted((codes[i], codes[j]))))
    return pairs


def outline(geometries: list[dict[str, Any]]) -> dict[str, Any]:
    """The outer boundary of several ward polygons together (a council's, from its wards),
    as GeoJSON. Wards that leave hairline gaps between them once generalised are closed up
    by a buffer of about a metre (in degrees: these outlines are drawn, not measured)."""
    merged = shapely.union_all([shape(g).buffer(0.00001) for g in geometries]).buffer(-0.00001)
    return shapely.geometry.mapping(shapely.set_precision(merged, 0.00001))
