"""``propdesk serve``: run propdesk on one machine with no other setup.

Creates the tables of a new database (``core.newdb``), brings the database up to date, loads the demo company into an empty database, collects static
files for WhiteNoise, prints the demo logins and serves HTTP with gunicorn. With no Celery broker,
it also runs the periodic schedule in-process.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication

from propdesk.core.newdb import build_new
from propdesk.core.startup import registered_demo

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def prepare(stdout, *, demo: bool = True) -> None:
    """Everything ``serve`` does before it listens; safe to run on every start."""
    # serve stays in the kernel: it reaches the demo by command name and a hook (core.startup).
    demo_hook = registered_demo() if demo else None

    # A new database gets its tables in a second or two, not the minute that replaying every
    # migration takes (core.newdb); migrate then applies nothing and creates permissions.
    if build_new():
        stdout.write("A new database: its tables are created.")
    stdout.write("Bringing the database up to date…")
    call_command("migrate", interactive=False, verbosity=0, stdout=stdout)

    if demo_hook is not None and demo_hook.database_is_empty():
        stdout.write("The database is empty: loading the demo company…")
        try:
            call_command("demo", stdout=stdout)
        except CommandError as exc:
            # The server is still useful without the demo data, so say why and carry on.
            stdout.write(f"Warning: the demo company was not loaded ({exc}).")

    # WhiteNoise serves what is in STATIC_ROOT; copying is incremental, so this is quick after
    # the first start.
    call_command("collectstatic", interactive=False, verbosity=0, stdout=stdout)

    if demo_hook is not None:
        demo_hook.print_logins(stdout)


def start_in_process_scheduler(*, tick: float | None = None):
    """With no Celery broker, run the periodic schedule (propdesk/schedule.py) in this process, in
    a daemon thread; return it. With a broker, Celery beat runs the schedule: return None.

    gunicorn calls this in its master process once it listens (``when_ready``), so one
    ``propdesk serve`` runs one schedule however many workers it forks."""
    if settings.CELERY_BROKER_URL:
        return None
    from propdesk.core.jobs import Scheduler

    scheduler = Scheduler(tick=settings.PROPDESK_SCHEDULER_TICK if tick is None else tick)
    scheduler.start()
    return scheduler


def _when_ready(server) -> None:
    start_in_process_scheduler()


class GunicornApplication(BaseApplication):
    """gunicorn configured from a dict, serving propdesk's WSGI application."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn ≥ 24 opens a control socket in the home directory; one-machine use needs none,
        # and two servers on one machine would fight over it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self):
        # Imported in the worker, after collectstatic, so WhiteNoise sees every file.
        from propdesk.wsgi import application

        return application

    def run(self):
        # The workers are forked from this process: they must not share its database connections.
        connections.close_all()
        super().run()


def gunicorn_options(*, host: str, port: int) -> dict:
    return {
        "bind": f"{host}:{port}",
        "workers": 2,
        "threads": 4,
        "accesslog": "-",
        "errorlog": "-",
        "when_ready": _when_ready,
    }


def default_port() -> int:
    value = os.environ.get("PORT", "")
    if not value:
        return DEFAULT_PORT
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"PORT must be a whole number, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Run propdesk on this machine: migrate, load the demo company into an empty database, "
        "and serve HTTP (default http://127.0.0.1:8000; PORT overrides)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
        parser.add_argument("--port", type=int, default=None, help="port (default: $PORT or 8000)")
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="do not load the demo company into an empty database",
        )

    def handle(self, *args, host, port, no_demo, **options):
        port = port if port is not None else default_port()
        prepare(self.stdout, demo=not no_demo)
        if settings.CELERY_BROKER_URL:
            self.stdout.write("Periodic jobs are left to Celery beat (CELERY_BROKER_URL is set).")
        else:
            self.stdout.write("Periodic jobs run in this process (no CELERY_BROKER_URL).")
        self.stdout.write(f"propdesk is serving at http://{host}:{port}/ (Ctrl+C stops it)")
        GunicornApplication(gunicorn_options(host=host, port=port)).run()
