"""Seed the demo market (embedded mode only). Safe to run again: an existing demo is kept."""

import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from brokerage.datasets.demo import seed_demo
from brokerage.errors import DomainError


class Command(BaseCommand):
    help = "Create demo organisations, people, offers, needs and matches (DEBUG mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_PASSWORD", "coventry-demo"),
            help="Password of every demo login (default: $DEMO_PASSWORD or coventry-demo).",
        )

    def handle(self, *args, password: str, **options) -> None:
        self.verbosity = options["verbosity"]
        try:
            summary = seed_demo(password=password)
        except DomainError as error:
            raise CommandError(error.message) from error
        if summary is None:
            self._say("Demo data already present; nothing changed.")
            return
        self._say(
            f"Demo data: {summary.organisations} organisations, {summary.users} people, "
            f"{summary.offers} offers, {summary.needs} needs, {summary.matches} matches."
        )

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message)
