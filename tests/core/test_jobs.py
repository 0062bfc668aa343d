"""Periodic jobs: the registry, running a job once per period, the task and `propdesk runjob`."""

import datetime as dt
import threading
import time
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection

from propdesk import schedule
from propdesk.celery import app, beat_schedule
from propdesk.core import jobs, tasks
from propdesk.core.models import JobRun
from propdesk.schedule import Job, crontab, every

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2026, 6, 8, 0, 30, tzinfo=SHANGHAI)  # ISO week 2026-W24

ran_at: list[dt.datetime] = []


def tally(*, now):
    """A job for the tests: remembers each time it ran."""
    ran_at.append(now)
    return len(ran_at)


def slow_tally(*, now):
    time.sleep(0.3)  # long enough for a second run to start meanwhile
    return tally(now=now)


def broken(*, now):
    ran_at.append(now)
    JobRun.objects.create(job="side effect", key="x", at=now, started_at=now)
    raise RuntimeError("the job failed")


TEST_SCHEDULE = [
    Job("every_minute", "tests.core.test_jobs.tally", crontab()),
    Job(
        "weekly",
        "tests.core.test_jobs.tally",
        crontab(minute=30, hour=0, day_of_week="mon"),
        "week",
    ),
    Job("daily", "tests.core.test_jobs.tally", crontab(minute=0, hour=2), "day"),
    Job("slow_weekly", "tests.core.test_jobs.slow_tally", every(minutes=1), "week"),
    Job("broken_weekly", "tests.core.test_jobs.broken", every(minutes=1), "week"),
]


@pytest.fixture
def test_schedule(monkeypatch):
    ran_at.clear()
    monkeypatch.setattr(schedule, "SCHEDULE", TEST_SCHEDULE)
    return TEST_SCHEDULE


# --- the schedule ---------------------------------------------------------------------------


# Every job of the schedule, by name: a job added or dropped must be added or dropped here too.
ALL_JOBS = [
    "activity_reminders",
    "board_monthly_reports",
    "board_rollups_nightly",
    "board_rollups_recent",
    "committee_missed_months",
    "committee_overdue_actions",
    "complaint_clocks",
    "complaint_numbers_nightly",
    "complaint_numbers_recent",
    "defect_inspection_reminders",
    "deliver_notifications",
    "forum_response_clocks",
    "publish_due_notices",
    "purge_idempotency_keys",
    "purge_portal_tokens",
    "purge_signin_logs",
    "purge_staff_tokens",
    "rework_followup_alerts",
    "roster_uploads_expire",
    "seasonal_survey",
    "survey_analysis_clocks",
    "survey_followups_open",
    "survey_reminders",
    "sweep_background_work",
    "ticket_deadline_alerts",
    "weekly_followup_sample",
    "weekly_measures",
]
KNOWN = ", ".join(ALL_JOBS)


def test_the_schedule_has_its_jobs_and_feeds_celery_beat():
    assert sorted(jobs.registry()) == ALL_JOBS
    assert app.conf.beat_schedule == beat_schedule(schedule.SCHEDULE)
    entry = app.conf.beat_schedule["ticket_deadline_alerts"]
    assert entry["task"] == "propdesk.core.run_job"
    assert entry["args"] == ("ticket_deadline_alerts",)
    assert entry["schedule"] is jobs.get_job("ticket_deadline_alerts").when


def test_every_job_of_the_schedule_names_a_function_that_exists():
    from django.utils.module_loading import import_string

    for job in jobs.registry().values():
        assert callable(import_string(job.func)), job.name


def test_a_broken_schedule_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    job = Job("twice", "tests.core.test_jobs.tally", crontab())
    monkeypatch.setattr(schedule, "SCHEDULE", [job, job])
    with pytest.raises(ImproperlyConfigured, match="twice"):
        jobs.registry()
    monkeypatch.setattr(schedule, "SCHEDULE", [Job("x", "a.b", crontab(), period="month")])
    with pytest.raises(ImproperlyConfigured, match="period"):
        jobs.registry()


def test_periods_are_counted_in_shanghai_time():
    sunday_night = dt.datetime(2026, 6, 7, 23, 59, tzinfo=SHANGHAI)
    # 00:30 on Monday in Shanghai is still Sunday in UTC: the week is Shanghai's.
    assert jobs.PERIODS["week"](sunday_night) == "2026-W23"
    assert jobs.PERIODS["week"](MONDAY.astimezone(dt.UTC)) == "2026-W24"
    assert jobs.PERIODS["day"](MONDAY.astimezone(dt.UTC)) == "2026-06-08"


# --- running a job ---------------------------------------------------------------------------


def test_a_job_without_a_period_runs_each_time_and_keeps_no_record(db, test_schedule):
    assert jobs.run_job("every_minute", now=MONDAY).result == 1
    assert jobs.run_job("every_minute", now=MONDAY).result == 2
    assert not JobRun.objects.exists()


def test_a_weekly_job_runs_once_a_week_however_often_it_is_started(db, test_schedule):
    first = jobs.run_job("weekly", now=MONDAY)
    again = jobs.run_job("weekly", now=MONDAY + dt.timedelta(days=3))
    next_week = jobs.run_job("weekly", now=MONDAY + dt.timedelta(days=7))

    assert (first.ran, first.key, first.result) == (True, "2026-W24", 1)
    assert (again.ran, again.key) == (False, "2026-W24")
    assert str(again) == "weekly (2026-W24): already done: 1"
    assert (next_week.ran, next_week.key) == (True, "2026-W25")
    assert ran_at == [MONDAY, MONDAY + dt.timedelta(days=7)]
    run = JobRun.objects.get(job="weekly", key="2026-W24")
    assert run.at == MONDAY and run.result == "1"
    assert run.started_at <= run.finished_at


def test_a_failed_job_leaves_no_record_and_no_work_and_runs_again(db, test_schedule):
    for _attempt in range(2):
        with pytest.raises(RuntimeError):
            jobs.run_job("broken_weekly", now=MONDAY)
    assert len(ran_at) == 2  # the period was not marked done by the first, failed, run
    assert not JobRun.objects.exists()  # neither its record nor its work survived


def test_an_unknown_job_is_named_with_the_known_ones(db):
    with pytest.raises(jobs.UnknownJob, match=KNOWN):
        jobs.run_job("nonesuch", now=MONDAY)


def test_a_naive_time_is_refused(db, test_schedule):
    with pytest.raises(ValueError, match="timezone-aware"):
        jobs.run_job("weekly", now=dt.datetime(2026, 6, 8, 0, 30))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_weekly_job_started_twice_at_once_runs_once(test_schedule):
    barrier = threading.Barrier(2)
    outcomes = []

    def start():
        try:
            barrier.wait()
            outcomes.append(jobs.run_job("slow_weekly", now=MONDAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(o.ran for o in outcomes) == [False, True], outcomes
    assert len(ran_at) == 1
    assert JobRun.objects.filter(job="slow_weekly").count() == 1


# --- the Celery task -------------------------------------------------------------------------


def test_the_celery_task_runs_the_job_now_or_as_of_a_given_time(db, test_schedule):
    assert tasks.run_job.delay("weekly", at="2026-06-08T00:30").get() == "weekly (2026-W24): 1"
    assert ran_at == [MONDAY]
    before = dt.datetime.now(dt.UTC)
    tasks.run_job.delay("every_minute").get()
    assert ran_at[1] >= before


# --- propdesk runjob ---------------------------------------------------------------------------


def runjob(*args) -> str:
    out = StringIO()
    call_command("runjob", *args, stdout=out)
    return out.getvalue()


def test_runjob_runs_the_job_and_prints_what_it_did(db, test_schedule):
    assert runjob("weekly", "--at", "2026-06-08T00:30") == "weekly (2026-W24): 1\n"
    assert runjob("weekly", "--at", "2026-06-09 08:00") == "weekly (2026-W24): already done: 1\n"
    assert ran_at == [MONDAY]  # a time without an offset is Shanghai's


def test_runjob_takes_a_time_with_an_offset(db, test_schedule):
    runjob("daily", "--at", "2026-06-07T18:00+00:00")
    assert ran_at == [dt.datetime(2026, 6, 8, 2, 0, tzinfo=SHANGHAI)]
    assert JobRun.objects.get().key == "2026-06-08"


def test_runjob_without_at_runs_now(db, test_schedule):
    before = dt.datetime.now(dt.UTC)
    assert runjob("every_minute") == "every_minute: 1\n"
    assert ran_at[0] >= before


def test_runjob_of_an_unknown_job_lists_the_known_ones(db):
    with pytest.raises(CommandError) as error:
        runjob("deliver")
    assert str(error.value) == f"Unknown job 'deliver'. Known jobs: {KNOWN}."


def test_runjob_exits_nonzero_on_an_unknown_job(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        execute_from_command_line(["propdesk", "runjob", "deliver"])
    assert exit_.value.code != 0
    assert f"Known jobs: {KNOWN}." in capsys.readouterr().err


@pytest.mark.parametrize("at", ["next monday", "2026-13-01T00:30", "2026-06-08T25:00", ""])
def test_runjob_refuses_a_malformed_time(db, test_schedule, at):
    with pytest.raises(
        CommandError, match="is not a date and time: write it like 2026-06-08T00:30"
    ):
        runjob("weekly", "--at", at)
    assert ran_at == []
