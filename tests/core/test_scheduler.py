"""The in-process scheduler: `propdesk serve` with no broker runs the schedule itself."""

import datetime as dt
import io
import logging
import time
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from propdesk import schedule
from propdesk.core import jobs
from propdesk.core.management.commands import serve
from propdesk.core.models import JobRun, Notification
from propdesk.schedule import Job, crontab, every
from tests.core.test_jobs import ran_at

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 6, 8, 0, 30, tzinfo=SHANGHAI)
WEEKLY = crontab(minute=30, hour=0, day_of_week="mon")


def window(start, minutes):
    return start, start + dt.timedelta(minutes=minutes)


# --- when a job is due -------------------------------------------------------------------------


def test_every_minute_is_due_once_a_minute_has_begun():
    assert jobs.is_due(crontab(), *window(MONDAY - dt.timedelta(seconds=1), 0.02))
    assert not jobs.is_due(
        crontab(), MONDAY + dt.timedelta(seconds=1), MONDAY + dt.timedelta(seconds=59)
    )


def test_a_weekly_time_is_read_in_shanghai_time():
    assert jobs.is_due(WEEKLY, MONDAY - dt.timedelta(minutes=1), MONDAY)
    assert jobs.is_due(WEEKLY, MONDAY.astimezone(dt.UTC) - dt.timedelta(seconds=30), MONDAY)
    # Its moment is in no other window: not the minute before or after, nor a day later.
    assert not jobs.is_due(
        WEEKLY, MONDAY - dt.timedelta(minutes=2), MONDAY - dt.timedelta(minutes=1)
    )
    assert not jobs.is_due(WEEKLY, *window(MONDAY, 1))
    assert not jobs.is_due(
        WEEKLY, *window(MONDAY + dt.timedelta(days=1) - dt.timedelta(minutes=1), 1)
    )
    # 00:30 UTC is 08:30 in Shanghai.
    utc_half_past = dt.datetime(2026, 6, 8, 0, 30, tzinfo=dt.UTC)
    assert not jobs.is_due(WEEKLY, utc_half_past - dt.timedelta(minutes=1), utc_half_past)


def test_a_time_missed_during_a_long_pause_is_caught_up_once():
    asleep = MONDAY - dt.timedelta(days=3)
    assert jobs.is_due(WEEKLY, asleep, MONDAY + dt.timedelta(days=1))


def test_every_five_minutes_falls_on_the_same_moments_in_every_process():
    five = every(minutes=5)
    assert jobs.is_due(five, MONDAY - dt.timedelta(seconds=1), MONDAY)  # 00:30 is a multiple
    assert not jobs.is_due(five, *window(MONDAY, 4.9))
    assert jobs.is_due(five, *window(MONDAY, 5))


def test_an_empty_or_backward_window_runs_nothing():
    assert not jobs.is_due(crontab(), MONDAY, MONDAY)
    assert not jobs.is_due(crontab(), MONDAY, MONDAY - dt.timedelta(minutes=5))


# --- a tick ------------------------------------------------------------------------------------


@pytest.fixture
def test_schedule(monkeypatch):
    ran_at.clear()
    jobs_ = [
        Job("broken", "tests.core.test_jobs.broken", crontab(), "week"),
        Job("every_minute", "tests.core.test_jobs.tally", crontab()),
        Job("weekly", "tests.core.test_jobs.tally", WEEKLY, "week"),
    ]
    monkeypatch.setattr(schedule, "SCHEDULE", jobs_)
    return jobs_


def test_a_tick_runs_the_due_jobs_and_survives_a_failing_one(db, test_schedule, caplog):
    scheduler = jobs.Scheduler(tick=60)
    with caplog.at_level(logging.ERROR, logger="propdesk.jobs"):
        outcomes = scheduler.run_due(*window(MONDAY - dt.timedelta(minutes=1), 1))

    assert [o.job for o in outcomes] == ["every_minute", "weekly"]
    assert "periodic job broken failed" in caplog.text and "the job failed" in caplog.text
    assert JobRun.objects.filter(job="weekly", key="2026-W24").exists()
    # The next minute: only the job that runs every minute (and the broken one, again).
    outcomes = scheduler.run_due(*window(MONDAY, 1))
    assert [o.job for o in outcomes] == ["every_minute"]


def test_two_processes_running_the_schedule_do_each_period_once(db, test_schedule):
    """Two `propdesk serve` on one database (or several machines) tick over the same minute."""
    first, second = jobs.Scheduler(), jobs.Scheduler()
    tick = window(MONDAY - dt.timedelta(minutes=1), 1)
    first.run_due(*tick)
    outcomes = second.run_due(*tick)
    assert {o.job: o.ran for o in outcomes} == {"every_minute": True, "weekly": False}
    assert JobRun.objects.filter(job="weekly").count() == 1


# --- the thread, as `propdesk serve` starts it --------------------------------------------------


@pytest.fixture
def fast_delivery(monkeypatch, settings):
    """The real delivery job, due every 50 ms instead of every minute."""
    settings.CELERY_BROKER_URL = ""
    monkeypatch.setattr(
        schedule,
        "SCHEDULE",
        [Job("deliver_notifications", "propdesk.core.delivery.deliver_due", every(seconds=0.05))],
    )


@pytest.fixture
def started(monkeypatch):
    """Records the schedulers serve starts, and stops them after the test."""
    schedulers = []
    start = serve.start_in_process_scheduler

    def recording_start(**kwargs):
        scheduler = start(**kwargs)
        schedulers.append(scheduler)
        return scheduler

    monkeypatch.setattr(serve, "start_in_process_scheduler", recording_start)
    yield schedulers
    for scheduler in schedulers:
        if scheduler is not None:
            scheduler.stop(timeout=10)
            assert not scheduler.is_alive()


def waiting_email(agent) -> Notification:
    """An e-mail due now, as if its first attempt had failed: only a delivery run will send it."""
    return Notification.objects.create(
        event="test",
        channel=Notification.Channel.EMAIL,
        user=agent,
        address="agent@example.com",
        language="en",
        subject="Request 1 is overdue",
        body="Please call the customer.",
        next_attempt_at=timezone.now(),
    )


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_serve_with_no_broker_runs_the_schedule_in_process(
    agent, fast_delivery, started, settings, monkeypatch, tmp_path
):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PROPDESK_SCHEDULER_TICK = 0.05
    served = []
    monkeypatch.setattr(serve.GunicornApplication, "run", lambda self: served.append(self.options))
    message = waiting_email(agent)
    out = io.StringIO()

    call_command("serve", "--no-demo", stdout=out)
    # gunicorn calls this in its master once it listens.
    served[0]["when_ready"](None)

    assert "Periodic jobs run in this process" in out.getvalue()
    [scheduler] = started
    assert scheduler.is_alive() and scheduler.daemon
    assert wait_for(lambda: Notification.objects.get(pk=message.pk).state == "sent")
    assert [m.subject for m in mail.outbox] == ["Request 1 is overdue"]


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_carries_on_after_a_failing_job(agent, fast_delivery, started, monkeypatch):
    # ``agent`` (and so the database) first: fixtures end in reverse, so the scheduler thread is
    # stopped before the test database is flushed under it ("database table is locked").
    failures = []

    def deliver_or_fail(*, now):
        if not failures:
            failures.append(now)
            raise RuntimeError("the mail server is down")
        from propdesk.core.delivery import deliver_due

        return deliver_due(now=now)

    monkeypatch.setattr(
        schedule,
        "SCHEDULE",
        [Job("deliver_notifications", f"{__name__}.DELIVER", every(seconds=0.05))],
    )
    monkeypatch.setattr(f"{__name__}.DELIVER", deliver_or_fail, raising=False)
    message = waiting_email(agent)

    serve.start_in_process_scheduler(tick=0.05)

    assert wait_for(lambda: Notification.objects.get(pk=message.pk).state == "sent")
    assert len(failures) == 1


def test_with_a_broker_the_schedule_is_left_to_celery_beat(settings, started):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/1"
    assert serve.start_in_process_scheduler(tick=0.05) is None


def test_serve_says_who_runs_the_schedule(db, settings, monkeypatch, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/1"
    monkeypatch.setattr(serve.GunicornApplication, "run", lambda self: None)
    out = io.StringIO()
    call_command("serve", "--no-demo", stdout=out)
    assert "Periodic jobs are left to Celery beat" in out.getvalue()
