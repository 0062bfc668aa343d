"""The compliance board at scale (M25): the company's board and an office's, from the rollups and
counted live from the records, the drill-downs, and the refresh that writes the rollups
(docs/benchmarks.md).

    python -m bench.board [--rounds 5] [--json FILE] [--plans]

Runs on a database filled by ``python -m bench.generate`` (named by ``DATABASE_URL``). It first
refreshes every rollup (``board.rollups.refresh_all``, timed measure by measure), checks that the
rollups read equal the live counts for the current month and week, then times in interleaved
rounds, so that a noisy machine weighs on both alike:

- the company's board and the busiest office's, as the selectors build them for the page, from
  the rollups and live (as if the job had never run: every rollup taken for stale);
- the same two pages rendered by the console (request to HTML) from the rollups;
- the drill-down behind the company's and the office's deadline figure (M09): its first page of
  cases and their count.

It prints one JSON line: the sizes (offices, requests, complaints, charges), the refresh's seconds
per measure, and for each timing the median, fastest and slowest seconds and the number of
queries. ``--plans`` adds the PostgreSQL query plans (``EXPLAIN (ANALYZE, BUFFERS)``) of the
rollup reads, the live deadline count and the drill-down's page.
"""

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from contextlib import contextmanager

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.board import rollups, selectors
from propdesk.complaints.models import Complaint
from propdesk.core.measures import MONTH, TREND_LENGTH, WEEK, last_periods, measures, period_of
from propdesk.core.measures import measure as find_measure
from propdesk.org.models import Office, Role, User
from propdesk.tickets.models import Charge, Ticket

PAGE = 50  # the drill-down's page


@contextmanager
def live():
    """Every rollup taken for stale: the boards count from the records, as before the job ran."""
    saved = rollups.MAX_AGE_OPEN, rollups.MAX_AGE_SETTLED
    rollups.MAX_AGE_OPEN = rollups.MAX_AGE_SETTLED = dt.timedelta(days=-1)
    try:
        yield
    finally:
        rollups.MAX_AGE_OPEN, rollups.MAX_AGE_SETTLED = saved


def _user(role, office=None) -> User:
    qs = User.objects.filter(role=role, is_active=True)
    if office is not None:
        qs = qs.filter(office=office)
    user = qs.order_by("pk").first()
    if user is None:
        raise SystemExit(f"No active {role} user: generate the company first (bench.generate).")
    return user


def _busiest_office() -> Office:
    row = (
        Ticket.objects.values("office_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "office_id")
        .first()
    )
    return Office.objects.get(pk=row["office_id"])


def _refresh(now) -> dict:
    seconds = {}
    for m in measures():
        started = time.perf_counter()
        for kind in (WEEK, MONTH):
            rollups.refresh_measure(m, kind, last_periods(kind, now, TREND_LENGTH), now=now)
        seconds[m.key] = round(time.perf_counter() - started, 2)
    return seconds


def _same(now, office) -> bool:
    """The rollups read equal the live counts: the company's and the office's, this week and
    this month, every measure and every office's figure."""
    for kind in (WEEK, MONTH):
        periods = last_periods(kind, now, TREND_LENGTH)
        rolled = rollups.read(periods, now=now, with_offices=True)
        rolled_office = rollups.read(periods, now=now, office_id=office.pk)
        with live():
            counted = rollups.read(periods, now=now, with_offices=True)
            counted_office = rollups.read(periods, now=now, office_id=office.pk)
        for key, r in rolled.items():
            c = counted[key]
            if r.trend != c.trend or rolled_office[key].trend != counted_office[key].trend:
                return False
            if {o: f for o, f in r.offices.items() if f.numerator or f.denominator} != {
                o: f for o, f in c.offices.items() if f.numerator or f.denominator
            }:
                return False
    return True


def _stats(seconds: list[float], queries: int) -> dict:
    return {
        "median_s": round(statistics.median(seconds), 4),
        "min_s": round(min(seconds), 4),
        "max_s": round(max(seconds), 4),
        "queries": queries,
    }


def _rounds(timings: dict, rounds: int) -> dict:
    """Each timing once to warm up and count its queries, then ``rounds`` interleaved rounds."""
    queries = {}
    for name, fn in timings.items():
        fn()
        with CaptureQueriesContext(connection) as q:
            fn()
        queries[name] = len(q)
    seconds = {name: [] for name in timings}
    for _ in range(rounds):
        for name, fn in timings.items():
            started = time.perf_counter()
            fn()
            seconds[name].append(time.perf_counter() - started)
    return {name: _stats(seconds[name], queries[name]) for name in timings}


def _explain(sql_of, label: str, table: str = "") -> str:
    """The plan of the longest query ``sql_of`` runs (of those reading ``table``)."""
    with CaptureQueriesContext(connection) as q:
        sql_of()
    reads = [x for x in q.captured_queries if table in x["sql"]]
    sql = max(reads, key=lambda x: len(x["sql"]))["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return f"-- {label}\n{plan}"


def measure(*, rounds: int = 5, plans: bool = False) -> dict:
    now = timezone.now()
    office = _busiest_office()
    quality = _user(Role.QUALITY)
    # The busiest office's director, or the first office with one.
    if not User.objects.filter(role=Role.DIRECTOR, office=office, is_active=True).exists():
        office = Office.objects.get(pk=_user(Role.DIRECTOR).office_id)
    director = _user(Role.DIRECTOR, office)
    week = period_of(WEEK, now)
    month = period_of(MONTH, now)

    result = {
        "vendor": connection.vendor,
        "offices": Office.objects.count(),
        "requests": Ticket.objects.count(),
        "complaints": Complaint.objects.count(),
        "charges": Charge.objects.count(),
        "office": office.code,
        "office_requests": Ticket.objects.filter(office=office).count(),
    }
    started = time.perf_counter()
    result["refresh_s"] = _refresh(now)
    result["refresh_total_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    rollups.refresh_recent(now=now)
    result["refresh_recent_s"] = round(time.perf_counter() - started, 1)
    result["rollups_equal_live"] = _same(now, office)

    def company():
        return selectors.company_board(quality, period=month, now=now)

    def office_board():
        return selectors.office_board(director, office.pk, period=week, now=now)

    def company_live():
        with live():
            return company()

    def office_live():
        with live():
            return office_board()

    quality_client, director_client = Client(), Client()
    quality_client.force_login(quality)
    director_client.force_login(director)

    def company_page():
        assert quality_client.get("/console/board/company/?period=month").status_code == 200

    def office_page():
        assert director_client.get(f"/console/board/offices/{office.pk}/").status_code == 200

    def _drill(office_id, user):
        found = selectors.cases(
            user, "m09_deadline_kept", office_id=office_id, period=month, missed=True, now=now
        )
        page = Paginator(found.records, PAGE).page(1)
        return [found.measure.case(r) for r in page.object_list]

    timings = {
        "company_board": company,
        "company_board_live": company_live,
        "office_board": office_board,
        "office_board_live": office_live,
        "company_page": company_page,
        "office_page": office_page,
        "company_cases": lambda: _drill(None, quality),
        "office_cases": lambda: _drill(office.pk, director),
    }
    result["timings"] = _rounds(timings, rounds)
    if plans and connection.vendor == "postgresql":
        result["plans"] = [
            _explain(company, "company board: the rollups read", "board_rollup"),
            _explain(office_board, "office board: the rollups read", "board_rollup"),
            _explain(
                lambda: find_measure("m09_deadline_kept").compute([month], now=now),
                "the deadline measure (M09) counted live for the company, one month",
            ),
            _explain(lambda: _drill(None, quality), "the company's M09 cases, first page"),
        ]
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.board", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print PostgreSQL's query plans")
    parser.add_argument("--json", help="append the figures to this file as a JSON line")
    args = parser.parse_args(argv)
    result = measure(rounds=args.rounds, plans=args.plans)
    plans = result.pop("plans", [])
    line = json.dumps(result, ensure_ascii=False)
    print(line)
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    for plan in plans:
        print(plan, end="\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
