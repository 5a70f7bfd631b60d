"""`motcua load_rating_criteria [FILE]`: load a (new version of the) criteria file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from motcua.surveys.criteria import CRITERIA_FILE, load_criteria


class Command(BaseCommand):
    help = "Load rating criteria from a JSON file (default: the bundled criteria.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=str(CRITERIA_FILE))

    def handle(self, *args: object, **options: object) -> None:
        count = load_criteria(path=Path(str(options["file"])))
        self.stdout.write(f"{count} criteria loaded from {options['file']}")
