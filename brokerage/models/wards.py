from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

gss_code_validator = RegexValidator(
    r"^[EWSN]\d{8}$", "A GSS code is a country letter followed by 8 digits, e.g. E05001218."
)


def deprivation(path: str = "") -> Coalesce:
    """How deprived a ward is, as matching, allocation and the broker's queue weigh it: its
    IMD 2025 score where it has one, else its IMD 2019 score (higher is more deprived in
    both). `path` reaches the ward from another model, e.g. "ward__"."""
    return Coalesce(f"{path}imd2025_score", f"{path}imd_score")


class WardSet(models.Model):
    """One version of a local authority's wards, in force from `valid_from` to `valid_until`.

    Boundaries change (Coventry's did at the May 2026 election); offers and needs keep the
    ward they were posted in, so an old set is closed rather than replaced.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    council = models.ForeignKey(
        "brokerage.Council",
        on_delete=models.PROTECT,
        db_column="lad_code",
        related_name="ward_sets",
    )
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True, help_text="Where the boundaries and figures come from.")
    attribution = models.TextField(blank=True, help_text="Licence lines to show wherever used.")

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="wardset_valid_until_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward with its centroid, neighbours (across council borders) and deprivation:
    IMD 2025, which weights matching and allocation, and IMD 2019, kept for history."""

    ward_set = models.ForeignKey(WardSet, on_delete=models.PROTECT, related_name="wards")
    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[gss_code_validator]
    )
    name = models.CharField(max_length=100)
    # The council's GSS code is the column (`council_id`), as in ONS files: a ward never moves.
    council = models.ForeignKey(
        "brokerage.Council",
        on_delete=models.PROTECT,
        db_column="lad_code",
        related_name="wards",
    )
    centroid_lat = models.FloatField()
    centroid_lon = models.FloatField()
    area_km2 = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True)

    # IMD 2019: higher score = more deprived; rank 1 = most deprived of England's 32,844 LSOAs.
    imd_score = models.FloatField("IMD 2019 score (population-weighted)", null=True, blank=True)
    imd_rank = models.FloatField(
        "IMD 2019 mean LSOA rank (population-weighted)", null=True, blank=True
    )
    imd_median_decile = models.FloatField("IMD 2019 median LSOA decile", null=True, blank=True)
    imd_lsoa_count = models.PositiveSmallIntegerField(null=True, blank=True)
    imd_lsoas_in_decile_1 = models.PositiveSmallIntegerField(
        "LSOAs in the most deprived 10% nationally", null=True, blank=True
    )
    # IMD 2025 (on 2021 LSOAs; means are unweighted, no 2021 denominators were published with it).
    imd2025_score = models.FloatField("IMD 2025 mean LSOA score", null=True, blank=True)
    imd2025_rank = models.FloatField("IMD 2025 mean LSOA rank", null=True, blank=True)
    imd2025_median_decile = models.FloatField("IMD 2025 median LSOA decile", null=True, blank=True)
    imd2025_lsoa_count = models.PositiveSmallIntegerField(null=True, blank=True)
    imd2025_lsoas_in_decile_1 = models.PositiveSmallIntegerField(
        "LSOAs in the most deprived 10% nationally (IMD 2025)", null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(centroid_lat__gte=-90, centroid_lat__lte=90)
                & Q(centroid_lon__gte=-180, centroid_lon__lte=180),
                name="ward_centroid_in_range",
            ),
            models.UniqueConstraint(fields=["ward_set", "name"], name="ward_name_unique_in_set"),
        ]

    def __str__(self) -> str:
        return self.name


class WardBoundary(models.Model):
    """A ward's outline for maps, kept apart so that reading wards never loads polygons."""

    ward = models.OneToOneField(Ward, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField(help_text="GeoJSON geometry, WGS84.")

    class Meta:
        verbose_name_plural = "ward boundaries"

    def __str__(self) -> str:
        return f"Boundary of {self.ward}"
