"""Load the intake side by side: propdesk's ``POST /api/v1/tickets/``, a bare DRF endpoint that
inserts one row of the same width (the framework floor, ``bench/floor/``) and, with
``--helpdesk VENV``, django-helpdesk's ticket creation (docs/benchmarks.md, "Intake").

    python -m bench.intake [--clients 50] [--rounds 5] [--requests 500] [--single 50]
                           [--workers 2] [--threads 4] [--helpdesk VENV] [--sqlite]
                           [--keep] [--json FILE]

Each contender gets its own new database (on PostgreSQL ``propdesk_bench_intake_<contender>``,
made here and dropped at the end unless ``--keep``; ``--sqlite`` uses files in a temporary
directory), its setup in a process of its own (propdesk: one generated office of
``bench.generate``, an agent's API token, the body of ``tests/tickets/test_intake_queries.py``;
the floor and helpdesk: their tables, a staff user with a DRF token, one queue for helpdesk), and
its own gunicorn, started once with the same settings for all (``--workers`` × ``--threads``
gthread, as ``propdesk serve``; no access log), and warmed up. Then the rounds run interleaved
(floor, helpdesk, propdesk, floor, …): in each, ``--clients`` threads, each with one keep-alive
connection and token authentication, send ``--requests`` POSTs between them as fast as the
answers come. Per contender it prints the throughput (answers per second of wall time), the p50
and p95 latency over every round, the CPU its gunicorn workers spent per request (``/proc``), the
CPU of its database's backends per request (PostgreSQL: the backends of ``pg_stat_activity``,
through ``/proc``; a backend that ends during a round is not counted), and the non-201 answers;
then the ratios against the floor (and helpdesk), the median of the rounds' own ratios, so that
what the machine was doing meanwhile weighs on both sides alike. Last, ``--single`` requests per
contender from one client, interleaved the same way: the single-client p50. The load generator
runs on the same machine and takes CPU of its own; the machine's load average
(``os.getloadavg``) before and after is printed with the figures. With ``--json`` they are
appended to FILE as one JSON line.

django-helpdesk is never part of this repository. Make its virtualenv once (Python ≥ 3.10)::

    python3 -m venv /tmp/helpdesk-venv
    /tmp/helpdesk-venv/bin/pip install "django-helpdesk[teams]" gunicorn "psycopg[binary]"

and pass ``--helpdesk /tmp/helpdesk-venv``; ``bench/helpdesk_site`` is the project around it,
its ticket creation is ``POST /helpdesk/api/tickets/`` (the API's ``TicketViewSet``: its form,
the ticket, the first follow-up and the mails to the submitter and the queue).

``DATABASE_URL`` is ignored: the benchmark never writes into a database it did not make.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432"
PREFIX = "propdesk_bench_intake"
TICK = os.sysconf("SC_CLK_TCK")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


# --- the contenders -------------------------------------------------------------------------------


@dataclass
class Contender:
    name: str
    python: str  # the interpreter of its virtualenv
    settings: str  # DJANGO_SETTINGS_MODULE
    wsgi: str
    prepare: list  # arguments after ``python``: the setup, printing the client's JSON
    url_variable: str  # the environment variable its settings read the database from
    database: str = ""  # the URL of its database
    db_name: str = ""  # PostgreSQL: its name, for pg_stat_activity
    port: int = 0
    path: str = ""
    authorization: str = ""
    body: bytes = b""
    server: subprocess.Popen | None = None
    log: Path | None = None
    rounds: list = field(default_factory=list)  # one Round per round
    single: list = field(default_factory=list)  # latencies (s) of the single client's 201s
    single_errors: dict = field(default_factory=dict)

    def env(self) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings,
            PYTHONPATH=str(ROOT),
            PYTHONDONTWRITEBYTECODE="1",
        )
        env[self.url_variable] = self.database
        return env


def contenders(helpdesk: str | None) -> list[Contender]:
    """In the order each round runs them: the floor first, propdesk last."""
    here = sys.executable
    found = [
        Contender(
            name="floor",
            python=here,
            settings="bench.floor.settings",
            wsgi="bench.floor.wsgi:application",
            prepare=["-m", "bench.floor.prepare"],
            url_variable="FLOOR_DATABASE_URL",
        )
    ]
    if helpdesk:
        python = str(Path(helpdesk) / "bin" / "python")
        if not Path(python).exists():
            raise SystemExit(
                f"--helpdesk {helpdesk}: no bin/python there (see python -m bench.intake -h)"
            )
        found.append(
            Contender(
                name="helpdesk",
                python=python,
                settings="bench.helpdesk_site.settings",
                wsgi="bench.helpdesk_site.wsgi:application",
                prepare=["-m", "bench.helpdesk_site.prepare"],
                url_variable="HELPDESK_DATABASE_URL",
            )
        )
    found.append(
        Contender(
            name="propdesk",
            python=here,
            settings="propdesk.settings",
            wsgi="propdesk.wsgi:application",
            prepare=["-m", "bench.intake", "--prepare-propdesk"],
            url_variable="DATABASE_URL",
        )
    )
    return found


def prepare_propdesk(households: int = 50) -> dict:
    """In a process of its own, with ``DATABASE_URL`` at a new database: its tables, one generated
    office, an agent's token; what a client needs (as the floor's and helpdesk's setups)."""
    from django.core.management import call_command

    from bench.generate import generate
    from propdesk.catalog.models import ServiceItem
    from propdesk.core.newdb import build_new
    from propdesk.customers.models import Residence
    from propdesk.org.models import Role, User
    from propdesk.org.tokens import token_issue

    build_new()
    call_command("migrate", interactive=False, verbosity=0)
    generate(
        offices=1,
        households_per_office=households,
        tickets_per_household=0,
        analyze=False,
        out=lambda *args: None,
    )
    agent = User.objects.filter(role=Role.AGENT, office__isnull=False).order_by("pk").first()
    residence = Residence.objects.filter(customer__office=agent.office).order_by("pk").first()
    item = (
        ServiceItem.objects.filter(is_active=True, pricing=ServiceItem.Pricing.FREE)
        .order_by("pk")
        .first()
    )
    _token, raw = token_issue(user=agent)
    body = {
        "customer": residence.customer_id,
        "household": residence.household_id,
        "kind": "repair",
        "channel": "hotline",
        "description": "厨房水管漏水",
        "item": item.pk,
    }
    return {"path": "/api/v1/tickets/", "authorization": f"Token {raw}", "body": body}


# --- databases ------------------------------------------------------------------------------------


def _admin(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def make_database(contender: Contender, *, server: str | None, prefix: str, tmp: Path) -> None:
    if server is None:
        contender.database = f"sqlite:///{tmp / (contender.name + '.sqlite3')}"
        return
    contender.db_name = f"{prefix}_{contender.name}"
    with closing(_admin(server)) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{contender.db_name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{contender.db_name}"')
    contender.database = f"{server}/{contender.db_name}"


def drop_database(contender: Contender, *, server: str | None) -> None:
    if server and contender.db_name:
        with closing(_admin(server)) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{contender.db_name}" WITH (FORCE)')


# --- processes ------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User and system CPU of one process, 0 when it is gone (or not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_setup(contender: Contender) -> None:
    done = subprocess.run(
        [contender.python, *contender.prepare],
        cwd=ROOT,
        env=contender.env(),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{contender.name}: the setup failed\n{done.stderr[-3000:]}")
    client = json.loads(done.stdout.strip().splitlines()[-1])
    contender.path = client["path"]
    contender.authorization = client["authorization"]
    contender.body = json.dumps(client["body"]).encode()


def start_server(contender: Contender, *, workers: int, threads: int, tmp: Path) -> None:
    contender.port = _free_port()
    contender.log = tmp / f"{contender.name}.log"
    options = [
        f"--bind=127.0.0.1:{contender.port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--no-control-socket",
        f"--error-logfile={contender.log}",
    ]
    with open(contender.log, "ab") as log:
        contender.server = subprocess.Popen(
            [contender.python, "-m", "gunicorn", *options, contender.wsgi],
            cwd=ROOT,
            env=contender.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if contender.server.poll() is not None:
            raise SystemExit(
                f"{contender.name}: gunicorn ended\n{contender.log.read_text()[-3000:]}"
            )
        try:
            with closing(socket.create_connection(("127.0.0.1", contender.port), timeout=1)):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{contender.name}: gunicorn did not listen within a minute")


def stop_server(contender: Contender) -> None:
    if contender.server and contender.server.poll() is None:
        contender.server.terminate()
        try:
            contender.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            contender.server.kill()
            contender.server.wait()


def workers_cpu(contender: Contender) -> float:
    return sum(cpu_seconds(pid) for pid in children(contender.server.pid))


# --- the load -------------------------------------------------------------------------------------


@dataclass
class Round:
    seconds: float
    latencies: list  # seconds, of the 201 answers
    errors: dict  # status (or exception name) → count
    app_cpu: float
    db_cpu: float | None

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def _client(contender, left: list, lock, latencies: list, errors: dict, connection=None) -> None:
    headers = {
        "Authorization": contender.authorization,
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Accept-Language": "zh-hans",
    }
    own = connection is None
    if own:
        connection = http.client.HTTPConnection("127.0.0.1", contender.port, timeout=120)
    try:
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("POST", contender.path, contender.body, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                if status == 201:
                    latencies.append(elapsed)
                else:
                    errors[status] = errors.get(status, 0) + 1
    finally:
        if own:
            connection.close()


def load(contender: Contender, *, clients: int, requests: int) -> tuple[float, list, dict]:
    """``requests`` POSTs from ``clients`` threads, each on a keep-alive connection of its own;
    the wall time, the 201s' latencies, the other answers."""
    left, lock, latencies, errors = [requests], threading.Lock(), [], {}
    threads = [
        threading.Thread(target=_client, args=(contender, left, lock, latencies, errors))
        for _ in range(min(clients, requests))
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, errors


class BackendCpu:
    """The CPU of a database's PostgreSQL backends over a round: every half second the backends
    of ``pg_stat_activity`` and their CPU, so that one closing during the round (a connection
    past its ``CONN_MAX_AGE``) still counts up to its last sample."""

    def __init__(self, server: str, name: str):
        self.admin = _admin(server)
        self.name = name
        self.before = self.sample()
        self.last = dict(self.before)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def sample(self) -> dict:
        rows = self.admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.name]
        ).fetchall()
        return {pid: cpu_seconds(pid) for (pid,) in rows}

    def _watch(self):
        while not self.stopping.wait(0.5):
            self.last.update(self.sample())

    def stop(self) -> float:
        self.stopping.set()
        self.thread.join()
        self.last.update(self.sample())
        self.admin.close()
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.last.items())


def measured_round(contender: Contender, *, clients: int, requests: int, server: str | None):
    app_before = workers_cpu(contender)
    db = BackendCpu(server, contender.db_name) if server else None
    seconds, latencies, errors = load(contender, clients=clients, requests=requests)
    app = workers_cpu(contender) - app_before
    db_cpu = db.stop() if db else None
    return Round(seconds=seconds, latencies=latencies, errors=errors, app_cpu=app, db_cpu=db_cpu)


# --- the figures ----------------------------------------------------------------------------------


def _percentile(values: list, share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(contender: Contender) -> dict:
    latencies = [t for r in contender.rounds for t in r.latencies]
    done = len(latencies)
    seconds = sum(r.seconds for r in contender.rounds)
    errors: dict = {}
    for r in [*contender.rounds, Round(0, [], contender.single_errors, 0, None)]:
        for status, count in r.errors.items():
            errors[str(status)] = errors.get(str(status), 0) + count
    db = [r.db_cpu for r in contender.rounds]

    def ms(value):
        return None if value is None else round(value * 1000, 2)

    return {
        "requests": done,
        "req_s": round(done / seconds, 1) if seconds else 0.0,
        "round_req_s": [round(r.rate, 1) for r in contender.rounds],
        "p50_ms": ms(_percentile(latencies, 0.5)),
        "p95_ms": ms(_percentile(latencies, 0.95)),
        "app_cpu_ms": ms(sum(r.app_cpu for r in contender.rounds) / done) if done else None,
        "db_cpu_ms": ms(sum(db) / done) if done and None not in db else None,
        "errors": errors,
        "single_p50_ms": ms(_percentile(contender.single, 0.5)),
    }


def ratios(subject: Contender, against: Contender) -> dict:
    """The median over the rounds of each round's own ratio: throughput and p50."""
    rates, p50s = [], []
    for mine, theirs in zip(subject.rounds, against.rounds, strict=True):
        if mine.rate and theirs.rate:
            rates.append(mine.rate / theirs.rate)
            p50s.append(_percentile(mine.latencies, 0.5) / _percentile(theirs.latencies, 0.5))
    return {
        "throughput": round(statistics.median(rates), 3) if rates else None,
        "rounds": [round(r, 3) for r in rates],
        "p50": round(statistics.median(p50s), 2) if p50s else None,
    }


def report(figures: dict) -> list[str]:
    """The table the command prints."""
    run = figures["run"]
    lines = [
        f"intake: {run['rounds']} rounds × {run['requests']} requests per contender, "
        f"{run['clients']} clients, gunicorn {run['workers']} workers × {run['threads']} threads, "
        f"{run['database']}"
    ]
    head = ("", "req/s", "p50 ms", "p95 ms", "app CPU ms/req", "DB CPU ms/req", "1-client p50")
    width = max(len(name) for name in figures["contenders"]) + 1
    lines.append(f"{head[0]:<{width}}" + "".join(f"{h:>15}" for h in head[1:]) + "   errors")

    def cell(value, form="{:,.1f}"):
        return f"{'—' if value is None else form.format(value):>15}"

    for name, s in figures["contenders"].items():
        errors = ", ".join(f"{k}: {v}" for k, v in s["errors"].items()) or "none"
        lines.append(
            f"{name:<{width}}"
            + cell(s["req_s"])
            + cell(s["p50_ms"])
            + cell(s["p95_ms"])
            + cell(s["app_cpu_ms"], "{:,.2f}")
            + cell(s["db_cpu_ms"], "{:,.2f}")
            + cell(s["single_p50_ms"])
            + f"   {errors}"
        )
    for label, r in figures["ratios"].items():
        rounds = " ".join(f"{x:.2f}" for x in r["rounds"])
        lines.append(
            f"{label}: throughput {r['throughput']:.2f} (rounds {rounds}), p50 {r['p50']:.2f}×"
            if r["throughput"] is not None
            else f"{label}: —"
        )
    lines.append(
        f"load average before {figures['load_before']}, after {figures['load_after']} "
        f"on {os.cpu_count()} CPUs"
    )
    return lines


# --- the run --------------------------------------------------------------------------------------


def benchmark(
    *,
    clients: int = 50,
    rounds: int = 5,
    requests: int = 500,
    single: int = 50,
    warmup: int | None = None,
    workers: int = 2,
    threads: int = 4,
    helpdesk: str | None = None,
    server: str | None = POSTGRES,
    prefix: str = PREFIX,
    keep: bool = False,
    out=print,
) -> dict:
    """Set up, serve and load every contender; the figures (``report`` prints them)."""
    racers = contenders(helpdesk)
    load_before = _load()
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="propdesk-intake-")))
        for contender in racers:
            out(f"{contender.name}: a new database, its setup, gunicorn…")
            make_database(contender, server=server, prefix=prefix, tmp=tmp)
            if not keep:
                stack.callback(drop_database, contender, server=server)
            run_setup(contender)
            start_server(contender, workers=workers, threads=threads, tmp=tmp)
            stack.callback(stop_server, contender)
        for contender in racers:
            # Every worker's thread up, connected and through its first requests.
            _s, _l, errors = load(
                contender, clients=clients, requests=warmup or max(2 * clients, 20)
            )
            if errors:
                log = contender.log.read_text()[-3000:]
                raise SystemExit(f"{contender.name}: the warm-up was answered {errors}\n{log}")
        for n in range(rounds):
            for contender in racers:
                contender.rounds.append(
                    measured_round(contender, clients=clients, requests=requests, server=server)
                )
            out(
                f"round {n + 1}: "
                + ", ".join(f"{c.name} {c.rounds[-1].rate:,.1f} req/s" for c in racers)
            )
        # One client, one keep-alive connection per contender (http.client opens it again if
        # the server closed it), one request to each in turn.
        kept = {}
        for contender in racers:
            kept[contender.name] = http.client.HTTPConnection(
                "127.0.0.1", contender.port, timeout=120
            )
            stack.callback(kept[contender.name].close)
        for _n in range(single):
            for contender in racers:
                _client(
                    contender,
                    [1],
                    threading.Lock(),
                    contender.single,
                    contender.single_errors,
                    kept[contender.name],
                )
    by_name = {c.name: c for c in racers}
    pairs = [("propdesk / floor", "propdesk", "floor")]
    if "helpdesk" in by_name:
        pairs += [
            ("propdesk / helpdesk", "propdesk", "helpdesk"),
            ("helpdesk / floor", "helpdesk", "floor"),
        ]
    return {
        "run": {
            "clients": clients,
            "rounds": rounds,
            "requests": requests,
            "single": single,
            "workers": workers,
            "threads": threads,
            "database": "PostgreSQL" if server else "SQLite",
        },
        "contenders": {c.name: summary(c) for c in racers},
        "ratios": {label: ratios(by_name[a], by_name[b]) for label, a, b in pairs},
        "load_before": load_before,
        "load_after": _load(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.intake",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per contender (default 5)")
    parser.add_argument(
        "--requests", type=int, default=500, help="requests per round and contender (default 500)"
    )
    parser.add_argument(
        "--single", type=int, default=50, help="single-client requests per contender (default 50)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--helpdesk", metavar="VENV", help="django-helpdesk's virtualenv")
    parser.add_argument("--postgres", default=POSTGRES, help=f"the server (default {POSTGRES})")
    parser.add_argument("--sqlite", action="store_true", help="SQLite files instead")
    parser.add_argument("--prefix", default=PREFIX, help=f"database names (default {PREFIX}_…)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--json", help="append the figures to this file as a JSON line")
    parser.add_argument("--prepare-propdesk", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare_propdesk:
        print(json.dumps(prepare_propdesk()))
        return 0
    figures = benchmark(
        clients=args.clients,
        rounds=args.rounds,
        requests=args.requests,
        single=args.single,
        workers=args.workers,
        threads=args.threads,
        helpdesk=args.helpdesk,
        server=None if args.sqlite else args.postgres.rstrip("/"),
        prefix=args.prefix,
        keep=args.keep,
    )
    for line in report(figures):
        print(line)
    if args.json:
        with open(args.json, "a") as out:
            out.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
