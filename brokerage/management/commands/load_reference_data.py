"""Load wards, the skills taxonomy and council priority themes. Safe to run again.

    manage.py load_reference_data
        The West Midlands' seven councils and 192 wards (ONS December 2025), with neighbours
        across council borders and IMD 2019 and 2025; Coventry's wards from Coventry's own
        file (2004 – May 2026 boundaries); skills, themes and social value measures.
    manage.py load_reference_data --boundaries WD26_BFC.geojson --ward-set coventry-2026 \\
        --ward-set-name "Coventry wards from May 2026" --valid-from 2026-05-07
        A new ward set from any ONS ward-boundary GeoJSON (WDyyCD/WDyyNM), centroids and
        adjacency computed here; the open set of the same authority is closed the day before.
"""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from brokerage.datasets import reference_data, region
from brokerage.errors import InvalidInput
from brokerage.infra import market_log


class Command(BaseCommand):
    help = "Load wards, the skills taxonomy and council priority themes (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--boundaries", type=Path, help="An ONS ward-boundary GeoJSON file.")
        parser.add_argument("--ward-set", help="Slug of the ward set the boundary file holds.")
        parser.add_argument("--ward-set-name", help="Name of that ward set.")
        parser.add_argument(
            "--valid-from", type=dt.date.fromisoformat, help="First day the wards are in force."
        )
        parser.add_argument(
            "--lad-code",
            default=settings.COUNCILS[0],
            help="Council (ONS code, loaded already) whose wards to keep; default %(default)s.",
        )
        parser.add_argument("--source", default="", help="Where the boundary file comes from.")

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        try:
            self._load_wards(options)
            categories, skills = reference_data.load_skills()
            themes = reference_data.load_themes()
            measures = reference_data.load_measures()
            market_log.everything_changed()  # neighbours and boundaries are stored in bulk
        except InvalidInput as error:
            raise CommandError(error.message) from error
        self._say(
            f"Skills: {categories} categories and {skills} skills created; "
            f"themes: {themes} created; social value measures: {measures} created "
            "(existing entries left as edited)."
        )

    def _load_wards(self, options: dict) -> None:
        if options["boundaries"]:
            missing = [o for o in ("ward_set", "ward_set_name", "valid_from") if not options[o]]
            if missing:
                flags = ", ".join("--" + name.replace("_", "-") for name in missing)
                raise CommandError(f"--boundaries also needs {flags}.")
            records = reference_data.boundary_file_records(
                options["boundaries"], lad_code=options["lad_code"]
            )
            result = reference_data.store_ward_set(
                records,
                slug=options["ward_set"],
                name=options["ward_set_name"],
                council_code=options["lad_code"],
                valid_from=options["valid_from"],
                source=options["source"] or str(options["boundaries"]),
            )
        else:
            councils = region.load_councils()
            self._say(f"Councils: {councils} created.")
            result = reference_data.store_ward_set(
                reference_data.coventry_ward_records(),
                council_code=reference_data.COVENTRY,
                source="brokerage/data/coventry/SOURCES.md",
                **reference_data.COVENTRY_2004,
            )
            self._say_ward_set(result)
            loaded = region.store_region(
                region.region_ward_records(),
                source="brokerage/data/west-midlands/SOURCES.md",
            )
            for result in loaded.ward_sets:
                self._say_ward_set(result, neighbours=False)
            self._say(
                f"Region: {loaded.neighbour_pairs} neighbouring pairs, "
                f"{loaded.cross_border_pairs} across council borders."
            )
            return
        self._say_ward_set(result)

    def _say_ward_set(self, result: reference_data.WardSetResult, neighbours: bool = True) -> None:
        pairs = f", {result.neighbour_pairs} neighbouring pairs" if neighbours else ""
        self._say(
            f"Ward set {result.ward_set.slug}: {result.created} wards created, "
            f"{result.updated} updated{pairs}."
        )
        for closed in result.closed_previous:
            self._say(f"Closed ward set {closed.slug} on {closed.valid_until}.")

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)
