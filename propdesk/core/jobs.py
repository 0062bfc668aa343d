"""Periodic jobs: the registry read from ``propdesk/schedule.py``, running one job, and the
in-process scheduler that ``propdesk serve`` uses when there is no Celery broker.

A job is a plain service function ``f(*, now) -> result`` of the database and the time. It is
run the same way from everywhere: by Celery beat through the task ``propdesk.core.run_job``, by
the in-process scheduler, and by ``propdesk runjob``. So that running it twice, or on two
machines at once, changes nothing:

- A job with a ``period`` (once a day, once an ISO week) runs in one transaction that first
  inserts its ``JobRun`` for the period's key. The row is unique per (job, key): a second run
  of the same period finds it, or on PostgreSQL waits for the first transaction and then finds
  it, and does nothing. If the job fails, its JobRun rolls back with its work, and the next run
  does the period again.
- A job without a period writes no JobRun. Such jobs run every few minutes and are idempotent by
  their own means (delivery claims each message; alerts carry dedupe keys), so a row per run
  would record nothing but noise (more than 1,700 rows a day for two jobs). They are not run in
  one transaction either: delivery must commit each claim before it sends, and a long
  transaction would hold SQLite's only write lock against every web request meanwhile.
"""

import datetime as dt
import logging
import math
import os
import threading
from dataclasses import dataclass
from typing import Any

from celery.schedules import crontab, schedule
from django.core.cache import close_caches
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from propdesk import schedule as schedule_module
from propdesk.schedule import Job

from .models import JobRun

log = logging.getLogger("propdesk.jobs")


def _day(now: dt.datetime) -> str:
    return timezone.localtime(now).date().isoformat()  # 2026-06-08


def _iso_week(now: dt.datetime) -> str:
    year, week, _weekday = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"  # 2026-W24


# A period's key, from the time a job runs at, in local time (Asia/Shanghai).
PERIODS = {"day": _day, "week": _iso_week}


class UnknownJob(LookupError):
    def __init__(self, name: str):
        self.name = name
        super().__init__(f"Unknown job {name!r}. Known jobs: {', '.join(sorted(registry()))}.")


def registry() -> dict[str, Job]:
    """The jobs of the schedule by name, checked. Read at each call, so tests may swap it."""
    jobs: dict[str, Job] = {}
    for job in schedule_module.SCHEDULE:
        if job.name in jobs:
            raise ImproperlyConfigured(f"Two periodic jobs are named {job.name!r}")
        if job.period is not None and job.period not in PERIODS:
            raise ImproperlyConfigured(
                f"Job {job.name!r}: period must be one of {sorted(PERIODS)}, not {job.period!r}"
            )
        if not isinstance(job.when, crontab | schedule) or (
            not isinstance(job.when, crontab) and job.when.run_every <= dt.timedelta(0)
        ):
            raise ImproperlyConfigured(f"Job {job.name!r}: use crontab(...) or every(...)")
        jobs[job.name] = job
    return jobs


def get_job(name: str) -> Job:
    try:
        return registry()[name]
    except KeyError:
        raise UnknownJob(name) from None


@dataclass(frozen=True)
class Outcome:
    """What one run did. ``ran`` is False when the period had already been done."""

    job: str
    at: dt.datetime
    key: str | None = None
    ran: bool = True
    result: Any = None

    def __str__(self) -> str:
        period = f" ({self.key})" if self.key else ""
        if self.ran:
            return f"{self.job}{period}: {_summary(self.result)}"
        return f"{self.job}{period}: already done: {self.result}"


def _summary(result) -> str:
    if result is None:
        return ""
    if isinstance(result, dict):
        return ", ".join(f"{k}={v}" for k, v in result.items())[:1000]
    return str(result)[:1000]


def run_job(name: str, *, now: dt.datetime) -> Outcome:
    """Run the job ``name`` as of ``now``; see the module's docstring for what makes it safe."""
    if timezone.is_naive(now):
        raise ValueError("now must be timezone-aware")
    job = get_job(name)
    func = import_string(job.func)
    if job.period is None:
        return Outcome(job=name, at=now, result=func(now=now))

    key = PERIODS[job.period](now)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: only the claim fails, not the caller
                run = JobRun.objects.create(job=name, key=key, at=now, started_at=timezone.now())
        except IntegrityError:
            earlier = JobRun.objects.filter(job=name, key=key).first()
            return Outcome(
                job=name, at=now, key=key, ran=False, result=earlier.result if earlier else ""
            )
        result = func(now=now)
        run.finished_at = timezone.now()
        run.result = _summary(result)
        run.save(update_fields=["finished_at", "result"])
    log.info("periodic job %s (%s) done: %s", name, key, run.result)
    return Outcome(job=name, at=now, key=key, result=result)


def parse_at(value: str) -> dt.datetime:
    """A time given by hand (``runjob --at``, the task's ``at``): ISO 8601; without an offset it
    is local time (Asia/Shanghai)."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date and time: write it like 2026-06-08T00:30 (Asia/Shanghai) "
            "or 2026-06-08T00:30+08:00"
        ) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


# --- when jobs are due -----------------------------------------------------------------------

MINUTE = dt.timedelta(minutes=1)
# After a long pause (a suspended machine), look back this far for a missed time, so a weekly
# job missed meanwhile runs once on waking; each job runs at most once per tick, however much
# was missed.
CATCH_UP = dt.timedelta(days=8)


def _cron_matches(cron: crontab, moment: dt.datetime) -> bool:
    local = timezone.localtime(moment)
    return (
        local.minute in cron.minute
        and local.hour in cron.hour
        and local.isoweekday() % 7 in cron.day_of_week  # crontab counts Sunday as 0
        and local.day in cron.day_of_month
        and local.month in cron.month_of_year
    )


def is_due(when: crontab | schedule, since: dt.datetime, until: dt.datetime) -> bool:
    """Whether ``when`` names a moment in (since, until].

    A crontab is read in local time (as Celery beat reads it, CELERY_TIMEZONE being the same)
    minute by minute. An interval falls on multiples of itself since the epoch, so that several
    processes running the schedule agree on when."""
    if until <= since:
        return False
    if isinstance(when, crontab):
        moment = max(since, until - CATCH_UP).replace(second=0, microsecond=0) + MINUTE
        while moment <= until:
            if _cron_matches(when, moment):
                return True
            moment += MINUTE
        return False
    step = when.run_every.total_seconds()
    return math.floor(until.timestamp() / step) > math.floor(since.timestamp() / step)


def due_jobs(since: dt.datetime, until: dt.datetime) -> list[Job]:
    return [job for job in registry().values() if is_due(job.when, since, until)]


# --- the in-process scheduler ----------------------------------------------------------------

# Held while a tick runs. ``propdesk serve`` runs the scheduler in gunicorn's master, which forks
# the workers: a fork waits for the tick to end (os.register_at_fork), so no worker inherits a
# database connection the tick has open, whose teardown in the worker would break it.
_tick_lock = threading.RLock()
_fork_guard_installed = False


def _install_fork_guard() -> None:
    global _fork_guard_installed
    if not _fork_guard_installed and hasattr(os, "register_at_fork"):
        os.register_at_fork(
            before=_tick_lock.acquire,
            after_in_parent=_tick_lock.release,
            after_in_child=_tick_lock.release,
        )
        _fork_guard_installed = True


class Scheduler(threading.Thread):
    """Runs the schedule in this process: wakes every ``tick`` seconds and runs the jobs due
    since it last woke. A failing job is logged and the others still run; so does the next tick.

    More than one process may run it against one database (two ``propdesk serve``, or one
    beside Celery beat) without harm, because jobs are idempotent (see the module docstring);
    they only do the checking twice."""

    def __init__(self, *, tick: float = 60, clock=timezone.now):
        super().__init__(name="propdesk-scheduler", daemon=True)
        self.tick = tick
        self.clock = clock
        self._stopping = threading.Event()

    def run(self) -> None:
        _install_fork_guard()
        since = self.clock()
        while not self._stopping.wait(self.tick):
            now = self.clock()
            with _tick_lock:
                try:
                    self.run_due(since, now)
                except Exception:  # noqa: BLE001 - e.g. the database is down: try next tick
                    log.exception("the periodic schedule could not run")
                finally:
                    # Nothing stays open between ticks (see _tick_lock).
                    connections.close_all()
                    close_caches()
            since = now

    def run_due(self, since: dt.datetime, now: dt.datetime) -> list[Outcome]:
        """Run each job due in (since, now], as of ``now``; return what they did."""
        outcomes = []
        for job in due_jobs(since, now):
            try:
                outcomes.append(run_job(job.name, now=now))
            except Exception:  # noqa: BLE001 - one job's failure must not stop the others
                log.exception("periodic job %s failed", job.name)
        for outcome in outcomes:
            log.debug("periodic job: %s", outcome)
        return outcomes

    def stop(self, timeout: float | None = None) -> None:
        self._stopping.set()
        self.join(timeout)
