from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brokerage.datasets import backups


class Command(BaseCommand):
    help = "Back up the database (pg_dump on PostgreSQL, a file copy on SQLite)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", help="Where to write it (default: backups/…).")

    def handle(self, *args, file: str | None = None, **options) -> None:
        try:
            written = backups.backup(Path(file) if file else None)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(written))
