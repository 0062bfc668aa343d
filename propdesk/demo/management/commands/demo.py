"""``propdesk demo``: load the demo company "K物业公司" into an empty database."""

import time

from django.core.management.base import BaseCommand, CommandError

from propdesk.demo.builder import DEFAULT_SEED, build_demo
from propdesk.demo.logins import DEMO_USERNAMES
from propdesk.org.models import Office, User


class Command(BaseCommand):
    help = (
        "Load the demo company (three offices, ~360 households, ~600 customers, a catalogue "
        "and a year of requests, calls, contacts and duty roster) into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"random seed: the same seed builds the same company (default {DEFAULT_SEED})",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size of the history and customer base relative to the full demo (default 1)",
        )

    def handle(self, *args, seed, scale, **options):
        # Demo data mixed into real data would be wrong data: only an empty database will do.
        if Office.objects.exists():
            raise CommandError(
                "The database already has management offices: the demo company is loaded only "
                "into an empty database. Point DATABASE_URL at a new database, or delete "
                "var/propdesk.sqlite3 and run `propdesk migrate` first."
            )
        taken = sorted(
            User.objects.filter(username__in=DEMO_USERNAMES.values()).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise CommandError(
                f"The demo logins {', '.join(taken)} already exist: the demo company is loaded "
                "only into an empty database."
            )
        if scale <= 0:
            raise CommandError("--scale must be more than zero.")

        started = time.monotonic()
        self.stdout.write(f"Building the demo company (seed {seed})…")
        counts = build_demo(seed=seed, scale=scale, stdout=self.stdout)
        self.stdout.write(f"Demo company built in {time.monotonic() - started:.0f}s:")
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>7,}")
