from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brokerage.datasets import backups


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The backup file to restore.")

    def handle(self, *args, file: str, **options) -> None:
        try:
            backups.restore(Path(file))
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {file}.")
