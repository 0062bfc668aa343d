"""Production's path: Celery beat sends the schedule through Redis to a worker, which runs it.

The worker and beat are Celery's own (``celery.contrib.testing.worker.start_worker`` and
``celery.beat.EmbeddedService``), run in threads of this process so that they use the test
database on SQLite (in memory, unreachable from another process) as on PostgreSQL. The broker is
a real Redis: ``PROPDESK_TEST_REDIS_URL``, by default redis://127.0.0.1:6379/0. Each run uses a
queue of its own, so test runs sharing one Redis do not take each other's tasks.
"""

import os
import time
import uuid

import pytest
import redis
from celery import Celery, _state, signals
from celery.beat import EmbeddedService
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

import propdesk.core.tasks  # noqa: F401 - registers the tasks on every Celery app
from propdesk import schedule
from propdesk.celery import beat_schedule
from propdesk.core.models import JobRun, Notification
from propdesk.schedule import Job, every
from tests.core.test_jobs import ran_at

REDIS_URL = os.environ.get("PROPDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# The real delivery job and a weekly job, due every half second instead.
FAST_SCHEDULE = [
    Job("deliver_notifications", "propdesk.core.delivery.deliver_due", every(seconds=0.5)),
    Job("weekly_tally", "tests.core.test_jobs.tally", every(seconds=0.5), "week"),
]


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = (
            f"needs Redis at {REDIS_URL} ({exc}): install and start it "
            "(apt-get install redis-server; redis-server --daemonize yes), "
            "or point PROPDESK_TEST_REDIS_URL at one"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


@pytest.fixture
def celery_app(redis_url, tmp_path, monkeypatch):
    """A Celery app configured as in production, with Redis as its broker and the fast schedule.

    The worker makes its app the current and default one; the project's eager app is put back
    afterwards, so later tests still run tasks in-process."""
    ran_at.clear()
    monkeypatch.setattr(schedule, "SCHEDULE", FAST_SCHEDULE)
    queue = f"propdesk-test-{uuid.uuid4().hex[:12]}"
    app = Celery("propdesk-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=redis_url,
        task_always_eager=False,
        task_default_queue=queue,
        beat_schedule=beat_schedule(FAST_SCHEDULE),
        beat_schedule_filename=str(tmp_path / "celerybeat-schedule"),
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=False,
    )
    default, current = _state.default_app, getattr(_state._tls, "current_app", None)
    try:
        yield app
    finally:
        _state.set_default_app(default)
        _state._set_current_app(current)
        app.close()
        # The queue, its priority lists and its binding tables all carry its unique name.
        client = redis.Redis.from_url(redis_url)
        for key in list(client.scan_iter(match=f"*{queue}*")):
            client.delete(key)


@pytest.fixture
def job_results():
    """What each run of a job returned in the worker, in order."""
    results = []

    def record(sender=None, args=None, retval=None, **kwargs):
        if sender is not None and sender.name == "propdesk.core.run_job":
            results.append((args[0], retval))

    signals.task_postrun.connect(record, weak=False)
    yield results
    signals.task_postrun.disconnect(record)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite in memory: the worker's thread holds the table for a moment
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_beat_and_a_worker_run_the_schedule_through_redis(celery_app, job_results, agent):
    waiting = Notification.objects.create(
        event="test",
        channel=Notification.Channel.EMAIL,
        user=agent,
        address="agent@example.com",
        language="en",
        subject="Request 1 is overdue",
        body="Please call the customer.",
        next_attempt_at=timezone.now(),  # due, and only a delivery run will send it
    )

    def weekly_runs():
        return [result for name, result in job_results if name == "weekly_tally"]

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=20):
        beat = EmbeddedService(celery_app, thread=True)
        beat.start()
        try:
            assert wait_for(
                lambda: (
                    Notification.objects.get(pk=waiting.pk).state == "sent"
                    and len(weekly_runs()) >= 2
                ),
                timeout=20,
            ), job_results
        finally:
            beat.stop()

    assert [m.subject for m in mail.outbox] == ["Request 1 is overdue"]
    # Beat sent the weekly job again and again; it ran once, and said so after.
    first, *again = weekly_runs()
    assert first.endswith(": 1") and all(": already done: 1" in r for r in again), weekly_runs()
    assert len(ran_at) == 1
    assert JobRun.objects.filter(job="weekly_tally").count() == 1
