"""``propdesk runjob <name> [--at TIME]``: run one periodic job of the schedule now, by hand."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from propdesk.core import jobs


class Command(BaseCommand):
    help = (
        "Run one periodic job of propdesk/schedule.py and print what it did. A job kept once per "
        "period does nothing if its period is already done."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the job's name in the schedule")
        parser.add_argument(
            "--at",
            help="run as of this time instead of now: ISO 8601, e.g. 2026-06-08T00:30; "
            "without an offset, Asia/Shanghai",
        )

    def handle(self, *args, name, at, **options):
        try:
            jobs.get_job(name)
            now = jobs.parse_at(at) if at is not None else timezone.now()
        except (jobs.UnknownJob, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(jobs.run_job(name, now=now)))
