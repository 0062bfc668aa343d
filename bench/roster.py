"""Time a roster import of any size and record its peak memory (docs/benchmarks.md).

    python -m bench.roster generate --rows 100000 --out /tmp/roster-100k.xlsx
    python -m bench.roster import /tmp/roster-100k.xlsx [--tracemalloc] [--json FILE]

``generate`` writes an office's roster as an .xlsx file laid out as Excel saves one: 72 units per building (2 entrances × 18 floors × 2 rooms), one owner per unit
with a unique mobile number, every fifth unit a tenant as well, every seventh owner with two
numbers; areas and flags as an office's spreadsheet has them.

``import`` runs ``customers.roster.roster_import`` on the file into a new community of the office
``bench-roster`` (created with its director on first use) in the database named by
``DATABASE_URL``, inside a transaction that is rolled back afterwards, so every round starts from
the same database. It prints one JSON line: rows, seconds for the import, and memory: the
process's peak resident set (``ru_maxrss``) before and after the import and, with
``--tracemalloc``, the peak of Python's allocations during the import (tracemalloc slows Python
down, so its rounds are not timed against those without it).
"""

import argparse
import json
import random
import resource
import sys
import time
import tracemalloc

from django.db import transaction

from propdesk.customers.roster import roster_import
from propdesk.org.models import Company, Office, Role, User

ENTRANCES, FLOORS, ROOMS = 2, 18, 2
MOBILE_PREFIXES = ["135", "136", "137", "138", "139", "150", "151", "158", "186", "188"]
HEADER = ["楼栋", "单元", "房号", "面积", "姓名", "身份", "手机", "重要客户", "业委会", "客户代表"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


class Rollback(Exception):
    pass


def roster_rows(rows: int, seed: int = 1):
    """``rows`` roster rows, as an office's spreadsheet lists them: unit by unit."""
    rng = random.Random(seed)
    serial = 0
    unit = 0
    written = 0
    while written < rows:
        per_building = ENTRANCES * FLOORS * ROOMS
        building, rest = divmod(unit, per_building)
        entrance, rest = divmod(rest, FLOORS * ROOMS)
        floor, room = divmod(rest, ROOMS)
        address = (f"{building + 1}栋", f"{entrance + 1}单元", f"{floor + 1}{room + 1:02d}")
        area = round(rng.uniform(45, 180), 2)
        people = [("业主", "是" if rng.random() < 0.05 else "否")]
        if unit % 5 == 4:
            people.append(("租户", "否"))
        for kind, important in people:
            if written >= rows:
                break
            serial += 1
            phones = [f"{MOBILE_PREFIXES[serial % 10]}{serial:08d}"]
            if serial % 7 == 0:
                phones.append(f"{MOBILE_PREFIXES[(serial + 3) % 10]}{serial + 50_000_000:08d}")
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            yield [*address, area, f"{name}{serial}", kind, "; ".join(phones), important, "否", ""]
            written += 1
        unit += 1


def generate(rows: int, out: str, seed: int = 1) -> None:
    from openpyxl import Workbook

    # A normal workbook, not write-only: its file is laid out as Excel saves one (the sheet's
    # dimension first, texts in the shared-strings table), which is what the import reads.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in roster_rows(rows, seed):
        sheet.append(row)
    workbook.save(out)


def _office():
    company, _ = Company.objects.get_or_create(code="bench-roster", defaults={"name": "Bench"})
    office, _ = Office.objects.get_or_create(
        code="bench-roster", defaults={"company": company, "name": "Bench roster office"}
    )
    director, _ = User.objects.get_or_create(
        username="bench-roster-director", defaults={"role": Role.DIRECTOR, "office": office}
    )
    return office, director


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_import(path: str, *, trace: bool) -> dict:
    office, director = _office()
    rss_before = _maxrss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        with transaction.atomic(), open(path, "rb") as file:
            result = roster_import(
                actor=director, office=office, new_community=f"bench {time.time()}", file=file
            )
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    figures = {
        "rows": result.rows,
        "customers_created": result.customers_created,
        "seconds": round(seconds, 2),
        "maxrss_before_mb": round(rss_before, 1),
        "maxrss_after_mb": round(_maxrss_mb(), 1),
    }
    if trace:
        figures["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.roster", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write a roster .xlsx")
    gen.add_argument("--rows", type=int, required=True)
    gen.add_argument("--out", required=True)
    gen.add_argument("--seed", type=int, default=1)
    imp = commands.add_parser("import", help="import a roster and roll it back")
    imp.add_argument("file")
    imp.add_argument("--tracemalloc", action="store_true")
    imp.add_argument("--json", help="append the figures to this file as a JSON line")
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(args.rows, args.out, args.seed)
        return 0
    figures = run_import(args.file, trace=args.tracemalloc)
    line = json.dumps(figures)
    print(line)
    if args.json:
        with open(args.json, "a") as out:
            out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
