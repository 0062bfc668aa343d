"""Time the demo company's build, stage by stage: what a newcomer waits for on the first
``make run`` (docs/benchmarks.md, "The demo build").

    python -m bench.demo [--scale 1] [--seed 2026] [--keep FILE] [--json FILE]

Makes a new SQLite database in a temporary directory (or ``--keep FILE``, which must not exist
yet), brings it up to date as ``propdesk serve`` does on a fresh clone (``core.newdb``, then
``migrate``), then builds the demo company into it through the services, with the real password
hasher, exactly as ``propdesk demo`` does. Prints the seconds and the number of queries of ``migrate`` and of each
stage of the build, the total, and the machine's load (``os.getloadavg``) before and after, which
the times depend on: the build is one process on one core, and on a shared machine it waits for
the others. With ``--json`` the figures are appended to FILE as one JSON line.

``DATABASE_URL`` is ignored: the benchmark never writes into a database it did not make.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import override_settings

from propdesk.core.newdb import build_new
from propdesk.demo.builder import DEFAULT_SEED, DemoBuilder


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


@contextmanager
def _counting():
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield queries


def build(*, scale: float = 1.0, seed: int = DEFAULT_SEED, out=print) -> dict:
    """Build the demo into the current (empty, migrated) database; returns the figures: each
    stage's seconds and queries, in order, and the total. ``out`` gets the builder's progress."""

    class Lines:
        def write(self, text):
            out(text.rstrip("\n"))

    builder = DemoBuilder(seed=seed, scale=scale, stdout=Lines())
    started = time.monotonic()
    counts = builder.build()
    total = time.monotonic() - started
    return {
        "scale": scale,
        "seed": seed,
        "stages": [
            {
                "stage": name,
                "seconds": round(t.seconds, 2),
                "cpu": round(t.cpu, 2),
                "queries": t.queries,
            }
            for name, t in builder.timings.items()
        ],
        "build_seconds": round(total, 2),
        "build_cpu": round(sum(t.cpu for t in builder.timings.values()), 2),
        "build_queries": sum(t.queries for t in builder.timings.values()),
        "requests": counts["tickets.Ticket"],
        "shifts": counts["hotline.DutyShift"],
    }


def migrate_fresh(path: Path) -> dict:
    """Point the default database at a new SQLite file and bring it up to date as ``propdesk
    serve`` does (its tables created from the models, then ``migrate``); returns its figures."""
    if path.exists():
        raise SystemExit(f"{path} exists already: the demo is built only into a new database.")
    connections["default"].close()
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        settings_dict["OPTIONS"] = {}  # another engine's options mean nothing to SQLite
    settings_dict["ENGINE"] = "django.db.backends.sqlite3"
    settings_dict["NAME"] = str(path)
    started, cpu = time.monotonic(), time.process_time()
    with _counting() as queries:
        build_new()
        call_command("migrate", interactive=False, verbosity=0)
    return {
        "seconds": round(time.monotonic() - started, 2),
        "cpu": round(time.process_time() - cpu, 2),
        "queries": queries[0],
    }


def report(figures: dict) -> list[str]:
    """The table the command prints: migrate, every stage, the total."""
    rows = []
    migrate = figures.get("migrate")
    if migrate:
        rows.append(("migrate", migrate["seconds"], migrate["cpu"], migrate["queries"]))
    rows += [(s["stage"], s["seconds"], s["cpu"], s["queries"]) for s in figures["stages"]]
    build = (figures["build_seconds"], figures["build_cpu"], figures["build_queries"])
    rows.append(("demo build", *build))
    if migrate:
        rows.append(
            (
                "migrate + demo",
                migrate["seconds"] + build[0],
                migrate["cpu"] + build[1],
                migrate["queries"] + build[2],
            )
        )
    width = max(len(row[0]) for row in rows)
    lines = [f"{'stage':<{width}}  {'seconds':>8}  {'CPU s':>8}  {'queries':>8}"]
    for name, seconds, cpu, queries in rows:
        lines.append(f"{name:<{width}}  {seconds:>8.1f}  {cpu:>8.1f}  {queries:>8,}")
    lines.append(
        f"{figures['requests']:,} requests, {figures['shifts']:,} roster shifts; "
        f"load average before {figures.get('load_before', '?')}, "
        f"after {figures.get('load_after', '?')} on {os.cpu_count()} CPUs"
    )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.demo", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", help="build into this new SQLite file and keep it")
    parser.add_argument("--json", help="append the figures to this file as a JSON line")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="propdesk-bench-demo-") as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "demo.sqlite3"
        load_before = _load()
        with override_settings(MEDIA_ROOT=Path(tmp) / "media"):
            migrated = migrate_fresh(path)
            figures = build(scale=args.scale, seed=args.seed)
        connections["default"].close()
    figures = {"migrate": migrated, **figures, "load_before": load_before, "load_after": _load()}
    for line in report(figures):
        print(line)
    if args.json:
        with open(args.json, "a") as out:
            out.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
