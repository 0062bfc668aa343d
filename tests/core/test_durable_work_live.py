"""Durable background work as production runs it: a real Celery worker (a subprocess, killed with
SIGKILL), a real Redis (a private redis-server on a port of its own, stopped and started again),
PostgreSQL, and an SMS gateway (an HTTP server in this process) that takes each message's key.

This process plays the app server: it commits changes whose work goes through Redis to the
worker. The worker's delivery lease is shortened to ``LEASE`` seconds, so the repeat window can
be measured in seconds. Needs PostgreSQL and redis-server: under CI a missing one fails.
"""

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from celery import Celery, _state
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

import propdesk.core.tasks  # noqa: F401 - registers the kernel's tasks on every Celery app
import propdesk.guide.services  # noqa: F401 - and the apps' deferred work
import propdesk.notices.services
from propdesk.celery import _lanes
from propdesk.core import background, delivery
from propdesk.core.models import DeferredTask, Notification
from propdesk.notices.models import Notice
from tests.conftest import IN_CI
from tests.notices.test_m05_fan_out import _residents

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LEASE = 3  # seconds: the worker's PROPDESK_DELIVERY_LEASE here (30 in production)
ROOT = Path(__file__).resolve().parents[2]


def _need(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def wait_for(condition, timeout: float, what: str, poll: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"waited {timeout} s for {what}")


# --- Redis ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs no one else's."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.workdir = workdir
        self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(lambda: _pings(client), 10, "redis-server to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        _need("needs redis-server (apt-get install redis-server)")
    if connection.vendor != "postgresql":
        _need("needs PostgreSQL: a worker in another process cannot see an SQLite test database")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_on_redis(redis_server, settings):
    """This process as an app server of production: Celery sends to the private Redis (broker
    db 0), and the cache (the delivery gates) is on it too (db 1)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url(1),
        }
    }
    app = Celery("propdesk-live", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=redis_server.url(0), task_always_eager=False)
    _lanes(sender=app)
    default, current = _state.default_app, getattr(_state._tls, "current_app", None)
    app.set_current()
    app.set_default()
    try:
        yield app
    finally:
        _state.set_default_app(default)
        _state._set_current_app(current)
        app.close()


# --- the SMS gateway ----------------------------------------------------------------------------


class Gateway(http.server.ThreadingHTTPServer):
    """Takes ``{"to", "text"}`` with an ``Idempotency-Key``, as a real gateway does: it records
    every request it was sent (``requests``: key, time) and sends each key once (``delivered``).
    ``stall_at`` makes its n-th request wait, so that the worker can be killed mid-send."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), GatewayHandler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, float, str]] = []
        self.stall_at = None
        self.stalled = threading.Event()
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sms"

    def keys(self) -> list[str]:
        with self.lock:
            return [key for key, _at, _text in self.requests]

    def delivered(self) -> set[str]:
        return set(self.keys())

    def first(self, key: str) -> float:
        with self.lock:
            return next(at for k, at, _text in self.requests if k == key)


class GatewayHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        gateway = self.server
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with gateway.lock:
            gateway.requests.append(
                (self.headers["Idempotency-Key"], time.monotonic(), body["text"])
            )
            number = len(gateway.requests)
        if number == gateway.stall_at:
            gateway.stalled.set()
            gateway.release.wait(30)
        try:
            self.send_response(200)
            self.end_headers()
        except OSError:
            pass  # the worker that sent it is dead

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    server = Gateway()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


# --- the worker ---------------------------------------------------------------------------------


class Worker:
    """``celery -A propdesk worker`` as production starts it (both queues, late acknowledgement
    from the settings), in a session of its own so that SIGKILL takes its pool with it."""

    def __init__(self, redis_server, gateway, logdir: Path):
        settings = connection.settings_dict
        database = (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "propdesk.settings",
            "DATABASE_URL": database,
            "CELERY_BROKER_URL": redis_server.url(0),
            "REDIS_URL": redis_server.url(1),
            "PROPDESK_SMS_BACKEND": "propdesk.core.sms.HttpSmsGateway",
            "PROPDESK_SMS_GATEWAY_URL": gateway.url,
            "PROPDESK_DELIVERY_LEASE": str(LEASE),
            "PROPDESK_QUIET_FROM": "0",  # no quiet hours: the test may run at any time
            "PROPDESK_QUIET_UNTIL": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        self.logdir = logdir
        self.process = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.log = self.logdir / f"worker-{self.starts}.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "propdesk",
                "worker",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=live{self.starts}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready." in self.log.read_text(), 60, f"the worker: {self.tail()}", 0.2)

    def kill(self) -> None:
        """SIGKILL to the worker and its pool: nothing runs its shutdown, nothing is acked."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.kill()

    def tail(self) -> str:
        logs = sorted(self.logdir.glob("worker-*.log"))
        return "\n".join(p.read_text()[-3000:] for p in logs)


@pytest.fixture
def worker(app_on_redis, redis_server, gateway, tmp_path):
    process = Worker(redis_server, gateway, tmp_path)
    yield process
    process.stop()


def sweeping(stop: threading.Event, every: float = 0.5) -> threading.Thread:
    """The sweeper job, as beat runs it every minute; here every ``every`` seconds."""

    def run():
        try:
            while not stop.wait(every):
                background.sweep(now=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def sms_keys(**filters) -> set[str]:
    rows = Notification.objects.filter(channel="sms", **filters).values_list("pk", flat=True)
    return {f"propdesk-notification-{pk}" for pk in rows}


# --- the tests --------------------------------------------------------------------------------


def test_a_worker_killed_during_a_fan_out_and_during_delivery_loses_and_repeats_nothing(
    worker, gateway, director, office
):
    """SIGKILL mid-fan-out: the sweeper sends the fan-out again and it resumes after its last
    checkpoint, writing no message twice. SIGKILL mid-send: the message the gateway took and
    the worker never recorded is sent again with the same key, not sooner than the lease and
    soon after it; the gateway sends it once."""
    customers = 4000  # four chunks of the fan-out; one in five has chosen SMS
    building, _ = _residents(office, customers, sms_every=5)
    notice = propdesk.notices.services.notice_create(
        actor=director,
        scope=Notice.Scope.BUILDINGS,
        buildings=[building],
        by_notification=True,
        category=Notice.Category.CUSTOMER_NOTICE,
        title="停水通知",
        body="周六上午停水",
    )
    worker.start()
    propdesk.notices.services.notice_publish(actor=director, notice=notice)
    written = Notification.objects.filter(event="notice_published")

    # Killed once the first chunk of 1,000 customers has committed, with more to write.
    at_kill = wait_for(written.count, 60, "the fan-out's first chunk", poll=0.01)
    worker.kill()
    at_kill = written.count()
    assert 0 < at_kill < customers * 6 // 5, at_kill
    fan_out = DeferredTask.objects.get(key=f"notice:{notice.pk}:fan_out")
    assert fan_out.finished_at is None and fan_out.progress  # half-way, and knows where

    # The worker comes back; the fan-out's message was never acknowledged, and the sweeper
    # sends it again once its lease has run out (here: as of then).
    gateway.stall_at = 40
    worker.start()
    assert background.sweep(now=timezone.now() + background.LEASE)["resent"] == 1
    # The killed worker may have left its lane's gate shut: it closes itself after GATE_SECONDS
    # (docs/operations.md, "Guarantees"), and the sweeper, as beat runs it, then starts delivery.
    sweeper_stop = threading.Event()
    sweeping(sweeper_stop)
    try:
        wait_for(
            gateway.stalled.is_set,
            delivery.GATE_SECONDS + 30,
            f"the delivery to reach the gateway: {worker.tail()}",
        )
    finally:
        sweeper_stop.set()
    worker.kill()  # mid-send: the gateway has the 40th message, the worker never heard back
    killed_at = time.monotonic()
    stalled_key = gateway.keys()[39]
    gateway.release.set()

    stop = threading.Event()
    sweeper = sweeping(stop)
    try:
        worker.start()
        ready_at = time.monotonic()
        wait_for(
            lambda: not Notification.objects.filter(channel="sms").exclude(state="sent").exists(),
            120,
            f"every SMS sent: {worker.tail()}",
            poll=0.2,
        )
    finally:
        stop.set()
        sweeper.join(10)

    fan_out.refresh_from_db()
    assert fan_out.finished_at and fan_out.attempts == 2
    # Written once: one in-app message and one SMS per customer, each on its own key.
    assert written.filter(channel="in_app").count() == customers
    assert written.filter(channel="sms").count() == customers // 5
    assert written.values("customer", "channel").distinct().count() == customers * 6 // 5
    # Sent once: the gateway got every SMS's key, and only the one in flight at the kill twice.
    keys = gateway.keys()
    assert gateway.delivered() == sms_keys(event="notice_published")
    repeated = {key for key in keys if keys.count(key) > 1}
    assert repeated == {stalled_key}
    # The repeat window: no sooner than the lease after the first send, and within a sweep (and
    # the worker's restart) of the lease running out.
    repeat_at = [at for key, at, _text in gateway.requests if key == stalled_key][1]
    first_at = gateway.first(stalled_key)
    print(f"repeated {repeat_at - first_at:.2f} s after the first send (lease {LEASE} s)")
    assert repeat_at - first_at >= LEASE
    # (Here the resumed fan-out is ahead of it in the queue; in production the sweep's minute.)
    assert repeat_at - max(first_at + LEASE, ready_at) <= 10, (killed_at, ready_at, repeat_at)


def test_with_the_broker_down_requests_are_created_and_their_work_done_when_it_is_back(
    worker, redis_server, gateway, agent, customer, director, office, settings
):
    """Redis stopped: each request answers 201 (its change committed), the work it owes is kept;
    Redis back: the sweeper hands it to the worker, which does it."""
    building, _ = _residents(office, 30, sms_every=1)
    notice = propdesk.notices.services.notice_create(
        actor=director,
        scope=Notice.Scope.BUILDINGS,
        buildings=[building],
        by_notification=True,
        category=Notice.Category.CUSTOMER_NOTICE,
        title="电梯检修",
        body="周日电梯检修",
    )
    api = APIClient()
    api.force_authenticate(agent)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    redis_server.stop()

    started = time.monotonic()
    answers = [
        api.post(
            "/api/v1/tickets/",
            {
                "customer": customer.pk,
                "kind": "repair",
                "channel": "hotline",
                "description": f"卫生间下水慢 {i}",
            },
            format="json",
        )
        for i in range(5)
    ]
    propdesk.notices.services.notice_publish(actor=director, notice=notice)
    elapsed = time.monotonic() - started
    assert [a.status_code for a in answers] == [201] * 5, [a.content[:300] for a in answers]
    assert elapsed < 30  # each send gives up within seconds
    owed = sms_keys(event="ticket.received")
    assert len(owed) == 5 and Notification.objects.filter(state="pending").exists()
    assert DeferredTask.objects.filter(finished_at__isnull=True).count() == 1  # the fan-out

    redis_server.start()
    worker.start()
    stop = threading.Event()
    # The sweeper runs as of a lease later, so it sends the fan-out again at once.
    sweeper = threading.Thread(target=lambda: _sweep_ahead(stop), daemon=True, name="sweeper-ahead")
    sweeper.start()
    try:
        wait_for(
            lambda: (
                not Notification.objects.filter(channel="sms").exclude(state="sent").exists()
                and Notification.objects.filter(event="notice_published", channel="sms").count()
                == 30
            ),
            60,
            f"the owed work done: {worker.tail()}",
            poll=0.2,
        )
    finally:
        stop.set()
        sweeper.join(10)
    assert owed <= gateway.delivered()
    assert gateway.delivered() == sms_keys()
    assert not DeferredTask.objects.filter(finished_at__isnull=True).exists()


def _sweep_ahead(stop: threading.Event) -> None:
    try:
        while not stop.wait(0.5):
            background.sweep(now=timezone.now() + background.LEASE)
    finally:
        connection.close()


def test_a_sign_in_code_goes_out_within_seconds_behind_100000_bulk_messages(
    worker, gateway, customer
):
    """A notice's 100,000 SMS are being delivered when a customer asks for a sign-in code: the
    code takes the urgent lane and is at the gateway within seconds, with most of the notice
    still waiting. However many changes commit, the broker holds one delivery task a lane."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_notification (event, channel, customer_id, address, language,
                subject, body, link, urgent, lane, state, attempts, next_attempt_at, last_error,
                created_at, updated_at)
            SELECT 'notice_published', 'sms', %s, '+8613900000000', 'en', 'Notice',
                'Water off on Saturday ' || n, '', false, 'bulk', 'pending', 0,
                now() - interval '1 minute', '', now(), now()
            FROM generate_series(1, 100000) AS n
            """,
            [customer.pk],
        )
        cursor.execute("ANALYZE core_notification")
    worker.start()
    assert delivery.kick(delivery.Lane.BULK)
    wait_for(lambda: len(gateway.requests) >= 300, 60, f"the notice's delivery: {worker.tail()}")

    # 200 changes committing meanwhile queue one more bulk delivery task at most.
    assert sum(delivery.kick(delivery.Lane.BULK) for _ in range(200)) <= 1
    broker = redis.Redis.from_url(worker.env["CELERY_BROKER_URL"])
    assert broker.llen("celery") <= 1

    app = APIClient()
    app.credentials(HTTP_ACCEPT_LANGUAGE="en")
    asked_at = time.monotonic()
    assert (
        app.post("/api/v1/portal/auth/code/", {"phone": "13912345678"}, format="json").status_code
        == 202
    )
    committed = len(gateway.keys())
    code = Notification.objects.get(event="portal.code")
    key = delivery.idempotency_key(code)
    wait_for(lambda: key in gateway.delivered(), 20, f"the code at the gateway: {worker.tail()}")
    took = gateway.first(key) - asked_at
    overtaken_by = gateway.keys().index(key) - committed
    waiting = Notification.objects.filter(lane="bulk", state="pending").count()
    print(
        f"the code reached the gateway after {took:.2f} s and {overtaken_by} bulk SMS; "
        f"{waiting} bulk SMS still waiting"
    )
    # Next after the bulk batch under way; the time allows for a busy machine (0.8 to 4.2 s
    # measured on two cores shared with other test runs).
    assert overtaken_by <= delivery.BATCH, overtaken_by
    assert took < 10, took
    assert waiting > 90_000, waiting
