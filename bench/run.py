"""Time the reads the console makes most, through the real selectors, and check their plans.

    python -m bench.run [--repeat 5] [--office CODE] [--analyze] [--plans] [--json FILE] [--strict]

Each named query runs as a company-role user and as an office agent (the technician's "my work"
as a technician, "my measures" as the office director too), fetching the first page the way the
console does (its lists with their views' ``CappedPaginator`` and page size: a count that stops
at the cap, then the page's rows; the customer page's contacts with ``Paginator``). One warm-up run records the SQL and the query
count; then ``--repeat`` timed runs give the median and the 95th percentile. Every SELECT of the
warm-up is explained: ``EXPLAIN`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite, and a plan that
reads the requests, customers, phone numbers, calls, contacts, complaints or activity
registrations tables from end to end is flagged (with ``--analyze`` on PostgreSQL also an index
walk that throws thousands of rows away). Plans only mean something on a database
of realistic size (``python -m bench.generate``; see docs/benchmarks.md).
"""

import argparse
import dataclasses
import datetime as dt
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.community import selectors as activity_selectors
from propdesk.community.models import Activity, Registration
from propdesk.complaints import selectors as complaint_selectors
from propdesk.complaints.models import Complaint
from propdesk.complaints.views import DESK_OWNER
from propdesk.complaints.views import PAGE_SIZE as COMPLAINT_PAGE
from propdesk.core.pagination import CappedPaginator
from propdesk.core.phones import normalize_phone
from propdesk.core.scoping import scope_for
from propdesk.customers import selectors as customer_selectors
from propdesk.customers.models import Customer, CustomerPhone
from propdesk.history import selectors as history_selectors
from propdesk.hotline import selectors as hotline_selectors
from propdesk.org.models import COMPANY_ROLES, Office, Role, User
from propdesk.tickets import selectors as ticket_selectors
from propdesk.tickets.models import OPEN_STATUSES, Channel, Kind, Status, Ticket

PAGE = 50
REQUEST_PAGE = 25  # the request list's default page size
# The tables that grow with the company: reading one of them whole must never happen on the way
# to a page.
WATCHED = (
    "tickets_ticket",
    "customers_customerphone",
    "customers_customer",
    "hotline_call",
    "tickets_contact",
    "complaints_complaint",
    "community_registration",
)
# A valid mobile number the generator never gives a customer (it does not use 147).
UNKNOWN_PHONE = "14712345678"


class Skip(Exception):
    """The selector this query needs does not exist (yet)."""


@dataclass
class Sample:
    """Values the queries look for, taken from one request in the agent's office."""

    office_id: int
    number: str
    phone: str  # as an agent types it: 13912345678
    name: str
    address: str  # building-room, e.g. 3栋-1802
    room: str
    customer_id: int
    technician: User
    date_from: dt.date
    date_to: dt.date
    # From the newest complaint of the office the agent may see, and the office's latest activity
    # held (or due) with registrations; empty when the database has none (an older generation).
    complaint_number: str = ""
    complaint_name: str = ""
    activity_id: int | None = None
    activity_prefix: str = ""  # the first characters of its title, as one types a search


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable  # (user, sample, now) → number of rows read
    users: tuple = ("company", "agent")


@dataclass
class Result:
    name: str
    user: str
    rows: int = 0
    queries: int = 0
    times_ms: list = field(default_factory=list)
    # One per offending statement: {"table", "problem", "sql"}; problem: "full scan",
    # "N rows filtered" or "whole index read (N rows)"
    scans: list = field(default_factory=list)
    plans: list = field(default_factory=list)  # {"sql": …, "plan": …} per distinct SELECT
    db_ms: float | None = None  # EXPLAIN ANALYZE: the server's time for the warm-up statements
    error: str = ""
    skipped: str = ""

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95_ms(self) -> float | None:
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]  # nearest rank

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.skipped:
            return "skipped"
        if self.scans:
            # "SCAN ticket,customer": short table names, so the table stays readable.
            tables = dict.fromkeys(s["table"].split("_", 1)[1] for s in self.scans)
            return "SCAN " + ",".join(tables)
        return "ok"


@dataclass
class Report:
    vendor: str
    database: str
    sizes: dict
    repeat: int
    results: list


# --- the queries ------------------------------------------------------------------------------


def _selector(module, name: str):
    fn = getattr(module, name, None)
    if fn is None:
        raise Skip(f"{module.__name__}.{name} does not exist")
    return fn


def _page(qs) -> int:
    """The first page as the customer page reads its contacts: a COUNT for the pager, then the
    rows."""
    return len(Paginator(qs, PAGE).get_page(1).object_list)


def _capped_page(qs, per_page: int = PAGE) -> int:
    """The first page as the console's lists read it (requests, customers, calls, complaints,
    activities): a count that stops at the cap (``core.pagination``), then the rows."""
    return len(CappedPaginator(qs, per_page).get_page(1).object_list)


def _values(filters: dict, sample: Sample) -> dict:
    values = {k: v(sample) if callable(v) else v for k, v in filters.items()}
    if any(v in ("", None) for v in values.values()):
        raise Skip("no sample value: the database has no generated complaint or activity")
    return values


def _requests(**filters) -> Callable:
    def run(user, sample, now):
        values = {k: v(sample) if callable(v) else v for k, v in filters.items()}
        qs = ticket_selectors.ticket_list(user, ticket_selectors.TicketFilters(**values), now=now)
        return _capped_page(qs, REQUEST_PAGE)

    return run


def _my_work(user, sample, now):
    work = _selector(ticket_selectors, "my_work")(user, now=now)
    return sum(len(getattr(work, f.name)) for f in dataclasses.fields(work))


def _caller_by_phone(user, sample, now):
    """Recognition through the customers app: its selector if it has one, else the lookup it
    would make (the normalised number through the CustomerPhone index, office-scoped)."""
    if by_phone := getattr(customer_selectors, "customers_by_phone", None):
        return len(by_phone(number=sample.phone, user=user))
    phones = CustomerPhone.objects.filter(number=normalize_phone(sample.phone))
    customers = scope_for(Customer.objects.filter(pk__in=phones.values("customer_id")), user)
    return len(customers.select_related("office").order_by("name", "pk")[:20])


def _hotline_recognise(user, sample, now):
    return len(_selector(hotline_selectors, "recognise")(user, sample.phone))


def _customer_360(user, sample, now):
    customer = _selector(customer_selectors, "customer_get")(user, sample.customer_id)
    history = _selector(history_selectors, "customer_history")(customer)
    rows = _page(history.contacts)
    for name in ("tickets", "calls", "quotes", "charges", "complaints", "after_service"):
        rows += len(getattr(history, name, []))
    return rows + len(getattr(history, "unused_services", []))


def _customers(text: Callable) -> Callable:
    def run(user, sample, now):
        return _capped_page(_selector(customer_selectors, "customer_list")(user, text(sample)))

    return run


def _calls(**filters) -> Callable:
    def run(user, sample, now):
        values = {k: v(sample) if callable(v) else v for k, v in filters.items()}
        qs = _selector(hotline_selectors, "call_list")(
            user, hotline_selectors.CallFilters(**values)
        )
        return _capped_page(qs)

    return run


def _complaints(desk: bool = False, **filters) -> Callable:
    """The complaint desk; ``desk``: its defaults (open ones; Quality and leadership at their own
    level, as ``complaints.views.desk._desk_data``)."""

    def run(user, sample, now):
        values = _values(filters, sample)
        if desk:
            values = {"open": True, "owner": DESK_OWNER.get(user.role, ""), **values}
        qs = complaint_selectors.complaint_list(
            user, complaint_selectors.ComplaintFilters(**values)
        )
        return _capped_page(qs, COMPLAINT_PAGE)

    return run


def _complaint_numbers_over(days: int) -> Callable:
    """The numbers page over the last ``days`` local days, today included."""

    def run(user, sample, now):
        today = timezone.localdate(now)
        start, end = (
            timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            for day in (today - dt.timedelta(days=days - 1), today + dt.timedelta(days=1))
        )
        rows, _total = complaint_selectors.numbers(user, start=start, end=end, now=now)
        return len(rows)

    return run


_complaint_numbers = _complaint_numbers_over(30)  # the page's default period


def _register(q: str = "") -> Callable:
    def run(user, sample, now):
        return _capped_page(complaint_selectors.register(user, q=q), COMPLAINT_PAGE)

    return run


def _measures(user, sample, now):
    return _capped_page(complaint_selectors.measures_of(user), COMPLAINT_PAGE)


def _activities(**filters) -> Callable:
    def run(user, sample, now):
        values = _values(filters, sample)
        qs = activity_selectors.activities_for_user(
            user, activity_selectors.ActivityFilters(**values), now=now
        )
        return _capped_page(qs)

    return run


def _registrations(user, sample, now):
    """One activity's page: the activity with its counts, then all its registrations."""
    if sample.activity_id is None:
        raise Skip("no sample value: the database has no generated activity")
    activity = activity_selectors.activity_get(user, sample.activity_id)
    return len(activity_selectors.registrations_for(activity))


CS, CO = Complaint.State, Complaint.Owner

CASES = [
    Case("requests: first page", _requests()),
    Case("requests: office", _requests(office=lambda s: s.office_id)),
    Case("requests: status", _requests(status=[Status.IN_PROGRESS])),
    Case("requests: open", _requests(status=list(OPEN_STATUSES))),
    Case("requests: kind", _requests(kind=Kind.COMPLAINT)),
    Case("requests: channel", _requests(channel=Channel.WALK_IN)),
    Case("requests: overdue", _requests(overdue=True)),
    Case("requests: technician", _requests(technician=lambda s: s.technician.pk)),
    Case(
        "requests: dates",
        _requests(created_from=lambda s: s.date_from, created_to=lambda s: s.date_to),
    ),
    Case("search: number", _requests(q=lambda s: s.number)),
    Case("search: phone", _requests(q=lambda s: s.phone)),
    Case("search: name", _requests(q=lambda s: s.name)),
    Case("search: address", _requests(q=lambda s: s.address)),
    Case("search: room", _requests(q=lambda s: s.room)),
    Case("search: unknown phone", _requests(q=UNKNOWN_PHONE)),
    Case("my work", _my_work),
    Case("my work (technician)", _my_work, users=("technician",)),
    Case("caller: phone lookup", _caller_by_phone),
    Case("caller: hotline recognise", _hotline_recognise),
    Case("customer 360", _customer_360),
    Case("customers: search phone", _customers(lambda s: s.phone)),
    Case("customers: search name", _customers(lambda s: s.name)),
    Case("calls: log", _calls()),
    Case("calls: by number", _calls(number=lambda s: s.phone)),
    Case("complaints: first page", _complaints()),
    Case("complaints: desk", _complaints(desk=True)),
    Case("complaints: state", _complaints(state=CS.IN_PROGRESS)),
    Case("complaints: owner", _complaints(owner=CO.QUALITY)),
    Case("complaints: severity", _complaints(severity=Complaint.Severity.MAJOR)),
    Case("complaints: category", _complaints(category=Complaint.Category.ATTITUDE)),
    Case("complaints: office", _complaints(office=lambda s: s.office_id)),
    Case("complaints: number", _complaints(q=lambda s: s.complaint_number)),
    Case("complaints: name", _complaints(q=lambda s: s.complaint_name)),
    Case("complaints: numbers", _complaint_numbers),
    Case("complaints: numbers, a year", _complaint_numbers_over(366)),
    Case("complaints: register", _register()),
    Case("complaints: register search", _register(q="设备")),
    Case("my measures", _measures, users=("company", "agent", "director")),
    Case("activities: first page", _activities()),
    Case("activities: state", _activities(state=Activity.State.PUBLISHED)),
    Case("activities: kind", _activities(kind=Activity.Kind.OPEN_DAY)),
    Case("activities: upcoming", _activities(upcoming=True)),
    Case("activities: search", _activities(q=lambda s: s.activity_prefix)),
    Case("activity: registrations", _registrations),
]


# --- users and sample values ------------------------------------------------------------------


class BenchError(Exception):
    """The database holds nothing to measure."""


def _users(office_code: str | None) -> dict:
    company = _first_user(role__in=[r.value for r in COMPANY_ROLES])
    agents = {"role": Role.AGENT, "office__isnull": False}
    if office_code:
        office = Office.objects.filter(code=office_code).first()
        if office is None:
            raise BenchError(f"There is no office with code {office_code!r}.")
        agents["office"] = office
    agent = _first_user(**agents)
    if company is None or agent is None:
        raise BenchError("No company-role user or no agent: run python -m bench.generate first.")
    director = _first_user(role=Role.DIRECTOR, office_id=agent.office_id)
    return {"company": company, "agent": agent, "director": director}


def _first_user(**lookup) -> User | None:
    """The generator's user if there is one (names start with bench-), else anyone fitting."""
    users = User.objects.filter(is_active=True, **lookup).order_by("pk")
    return users.filter(username__startswith="bench-").first() or users.first()


def _sample(agent: User, now: dt.datetime) -> Sample:
    ticket = (
        Ticket.objects.filter(
            office_id=agent.office_id, assignee__isnull=False, household__isnull=False
        )
        .select_related("customer", "household__unit__building", "assignee")
        .order_by("-created_at")
        .first()
    )
    if ticket is None:
        raise BenchError(
            f"No dispatched request in {agent.office}: run python -m bench.generate first."
        )
    phone = (
        CustomerPhone.objects.filter(customer_id=ticket.customer_id)
        .order_by("-is_primary", "pk")
        .values_list("number", flat=True)
        .first()
    ) or "+8613900000000"
    unit = ticket.household.unit
    today = timezone.localdate(now)
    complaint = (
        complaint_selectors.complaints_for(agent)
        .filter(office_id=agent.office_id)
        .select_related("ticket", "customer")
        .order_by("-created_at", "-pk")
        .first()
    )
    activity = (
        Activity.objects.filter(office_id=agent.office_id, starts_at__lte=now)
        .filter(Exists(Registration.objects.filter(activity=OuterRef("pk"))))
        .order_by("-starts_at", "-pk")
        .first()
    )
    return Sample(
        office_id=agent.office_id,
        number=ticket.number,
        phone=phone.removeprefix("+86"),
        name=ticket.customer.name,
        address=f"{unit.building.name}-{unit.number}",
        room=unit.number,
        customer_id=ticket.customer_id,
        technician=ticket.assignee,
        date_from=today - dt.timedelta(days=60),
        date_to=today - dt.timedelta(days=53),
        complaint_number=complaint.ticket.number if complaint else "",
        complaint_name=complaint.customer.name if complaint else "",
        activity_id=activity.pk if activity else None,
        activity_prefix=activity.title[:4] if activity else "",
    )


# --- plans ------------------------------------------------------------------------------------


def explain(sql: str, *, analyze: bool = False) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(("EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN ") + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            depth, lines = {0: -1}, []
            for node, parent, _unused, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return "\n".join(lines)
    return ""


FULL_SCAN = "full scan"
# EXPLAIN ANALYZE: an index read from end to end, or walked while rows are thrown away, is a scan
# too when it touches this many rows.
READ_LIMIT = 5000
_PG_NODE = re.compile(
    r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)(?: Backward)?(?: using \S+)? on (\w+)"
)
_PG_ACTUAL = re.compile(r"actual time=\S+ rows=(\d+) loops=(\d+)")
_PG_FILTERED = re.compile(r"Rows Removed by Filter: (\d+)")
_SQLITE_SCAN = re.compile(r"^(\s*)SCAN (\w+)(.*)$", re.M)
_LIMITED = re.compile(r"\bLIMIT \d+\s*$")
WHOLE_INDEX = "whole index read"
_SQLITE_INDEX = re.compile(r"INDEX (\w+)")


def _sqlite_index_table(index: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND name = %s", [index]
        )
        row = cursor.fetchone()
    return row[0] if row else None


# Django names tables in subqueries and joins by alias: "customers_customerphone" U0.
_ALIAS = re.compile(r'"(\w+)"\s+(?:AS\s+)?"?([A-Z]\d+)"?(?=[\s,)]|$)')


def _pg_nodes(plan: str):
    """Each plan node: its first line and the detail lines under it (before the next node)."""
    node = None
    for line in plan.splitlines():
        if "(cost=" in line or "(actual time=" in line:
            if node:
                yield node
            node = [line]
        elif node:
            node.append(line)
    if node:
        yield node


def _pg_problem(node: list) -> tuple[str, str] | None:
    m = _PG_NODE.search(node[0])
    if not m:
        return None
    kind, table = m.groups()
    if kind == "Seq Scan":
        return table, FULL_SCAN
    actual = _PG_ACTUAL.search(node[0])
    if not actual:  # plain EXPLAIN: nothing measured
        return None
    rows, loops = int(actual.group(1)), int(actual.group(2))
    removed = sum(int(m.group(1)) for line in node[1:] if (m := _PG_FILTERED.search(line)))
    if removed * loops >= READ_LIMIT:
        return table, f"{removed * loops:,} rows filtered"
    bounded = any("Index Cond:" in line for line in node[1:])
    if kind != "Bitmap Heap Scan" and not bounded and rows * loops >= READ_LIMIT:
        return table, f"whole index read ({rows * loops:,} rows)"
    return None


def plan_problems(sql: str, plan: str) -> list[tuple[str, str]]:
    """(table, problem) for each watched table that ``plan`` reads from end to end: a sequential
    scan; with EXPLAIN ANALYZE on PostgreSQL also an index read whole or walked while thousands
    of rows are thrown away; on SQLite also an index walked from end to end (SCAN … USING INDEX)
    where no LIMIT stops it, i.e. anywhere but the outermost loop of a statement with a LIMIT."""
    if connection.vendor == "postgresql":
        found = [p for node in _pg_nodes(plan) if (p := _pg_problem(node))]
    else:
        # Subqueries reuse aliases (U0 in each), so an alias may stand for several tables.
        aliases = {}
        for table, alias in _ALIAS.findall(sql):
            aliases.setdefault(alias, set()).add(table)
        limited = bool(_LIMITED.search(sql))
        found = []
        for indent, name, rest in _SQLITE_SCAN.findall(plan):
            if "USING" not in rest:
                found += [(table, FULL_SCAN) for table in sorted(aliases.get(name, {name}))]
            elif "INDEX" in rest and not (limited and not indent):
                index = _SQLITE_INDEX.search(rest)
                table = index and _sqlite_index_table(index.group(1))
                tables = {table} if table else aliases.get(name, {name})
                found += [(t, WHOLE_INDEX) for t in sorted(tables)]
    return [(table, problem) for table, problem in dict.fromkeys(found) if table in WATCHED]


def _brief(sql: str, width: int = 200) -> str:
    """The statement without its column list, cut to ``width``: enough to tell which one."""
    columns = re.match(r"^SELECT (.*?) FROM ", sql, flags=re.S)
    text = sql
    if columns and len(columns.group(1)) > 40:  # a row fetch: its columns say nothing useful
        text = "SELECT … FROM " + sql[columns.end() :]
    return text if len(text) <= width else text[: width - 1] + "…"


_PG_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def _explain_all(captured: list, analyze: bool) -> tuple[list, list]:
    plans, scans, seen = [], [], set()
    for query in captured:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or sql in seen:
            continue
        seen.add(sql)
        plan = explain(sql, analyze=analyze)
        plans.append({"sql": sql, "plan": plan})
        scans += [
            {"table": table, "problem": problem, "sql": _brief(sql)}
            for table, problem in plan_problems(sql, plan)
        ]
    return plans, scans


# --- the run ----------------------------------------------------------------------------------


def _sizes() -> dict:
    """Rows per main table: the planner's estimate on PostgreSQL (a COUNT would read them all)."""
    models = {
        "offices": Office,
        "customers": Customer,
        "phones": CustomerPhone,
        "tickets": Ticket,
        "complaints": Complaint,
        "registrations": Registration,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
                [[m._meta.db_table for m in models.values()]],
            )
            estimates = dict(cursor.fetchall())
        return {k: max(estimates.get(m._meta.db_table, 0), 0) for k, m in models.items()}
    return {k: m.objects.count() for k, m in models.items()}


def run_benchmark(
    *, repeat: int = 5, office: str | None = None, analyze: bool = False, cases=None, now=None
) -> Report:
    """Run every case as each of its users: one warm-up run (query count, plans), then ``repeat``
    timed runs (0: the warm-up only)."""
    now = now or timezone.now()
    users = _users(office)
    sample = _sample(users["agent"], now)
    users["technician"] = sample.technician
    results = []
    for case in cases or CASES:
        for label in case.users:
            result = Result(case.name, label)
            results.append(result)
            user = users.get(label)
            if user is None:
                result.skipped = f"no {label} user"
                continue
            try:
                with CaptureQueriesContext(connection) as ctx:
                    result.rows = case.run(user, sample, now)
                result.queries = len(ctx.captured_queries)
                for _ in range(repeat):
                    started = time.perf_counter()
                    case.run(user, sample, now)
                    result.times_ms.append((time.perf_counter() - started) * 1000)
                result.plans, result.scans = _explain_all(ctx.captured_queries, analyze)
                server = [_PG_EXECUTION.search(p["plan"]) for p in result.plans]
                if server and all(server):
                    result.db_ms = sum(float(m.group(1)) for m in server)
            except Skip as err:
                result.skipped = str(err)
            except Exception as err:  # reported in the table; the run goes on
                result.error = f"{type(err).__name__}: {err}"
    db = connection.settings_dict
    return Report(connection.vendor, str(db["NAME"]), _sizes(), repeat, results)


def _ms(value) -> str:
    return "" if value is None else f"{value:,.1f}"


def format_report(report: Report, *, plans: bool = False) -> str:
    sizes = ", ".join(f"{v:,} {k}" for k, v in report.sizes.items())
    approx = "≈" if report.vendor == "postgresql" else ""
    head = ("user", "query", "rows", "queries", "median ms", "p95 ms", "db ms", "plan")
    rows = [
        (r.user, r.name, str(r.rows), str(r.queries))
        + (_ms(r.median_ms), _ms(r.p95_ms), _ms(r.db_ms), r.verdict)
        for r in report.results
    ]
    if not any(r.db_ms for r in report.results):  # only EXPLAIN ANALYZE measures it
        head, rows = head[:6] + head[7:], [row[:6] + row[7:] for row in rows]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    right = set(range(2, len(head) - 1))

    def line(row):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    out = [
        f"propdesk benchmark: {report.vendor} {report.database}: {approx}{sizes}",
        f"first page of {PAGE} (complaints, measures, register: {COMPLAINT_PAGE}), "
        f"median and p95 of {report.repeat} runs after one warm-up run",
        *(
            ["db ms: the server's own time for the same statements (EXPLAIN ANALYZE)"]
            * (len(head) == 8)
        ),
        "",
        line(head),
        line(["-" * w for w in widths]),
        *(line(row) for row in rows),
    ]
    notes = []
    for r in report.results:
        if r.error:
            notes.append(f"ERROR   {r.user} / {r.name}: {r.error}")
        if r.skipped:
            notes.append(f"skipped {r.user} / {r.name}: {r.skipped}")
        for scan in r.scans:
            notes.append(
                f"WARNING {r.user} / {r.name}: {scan['table']}: {scan['problem']} in: {scan['sql']}"
            )
    if notes:
        out += ["", *notes]
    offenders = [(r, p) for r in report.results for p in r.plans if r.scans and _offends(p)]
    if offenders and not plans:
        out += ["", "(python -m bench.run --plans prints these plans; --json keeps every plan)"]
    elif offenders:
        out += ["", "Plans that read a whole table:"]
        for r, p in offenders:
            out += ["", f"--- {r.user} / {r.name}", _brief(p["sql"], 10_000), p["plan"]]
    return "\n".join(out)


def _offends(plan: dict) -> bool:
    return bool(plan_problems(plan["sql"], plan["plan"]))


def report_json(report: Report) -> dict:
    return {
        "vendor": report.vendor,
        "database": report.database,
        "sizes": report.sizes,
        "repeat": report.repeat,
        "results": [
            {
                **dataclasses.asdict(r),
                "median_ms": r.median_ms,
                "p95_ms": r.p95_ms,
                "verdict": r.verdict,
            }
            for r in report.results
        ],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Time the console's main reads on the configured database and check plans.",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (default 5)")
    parser.add_argument("--json", metavar="FILE", help="also write the results, with every plan")
    parser.add_argument("--office", metavar="CODE", help="the agent's office (default: the first)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="PostgreSQL: EXPLAIN (ANALYZE, BUFFERS), running each statement once more; "
        f"also flags index reads of {READ_LIMIT:,}+ rows with no bound or thrown away",
    )
    parser.add_argument(
        "--plans", action="store_true", help="print the plans that read a whole table"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 3 when a plan reads a whole table"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    try:
        report = run_benchmark(repeat=args.repeat, office=args.office, analyze=args.analyze)
    except BenchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(format_report(report, plans=args.plans))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report_json(report), fh, ensure_ascii=False, indent=2)
    if any(r.error for r in report.results):
        return 1
    if args.strict and any(r.scans for r in report.results):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
