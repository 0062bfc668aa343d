"""The kernel's Celery tasks, where Celery finds them. Every task may run again: with late
acknowledgement (settings) a task whose worker dies is delivered again, so each is idempotent
(docs/operations.md#guarantees). Delivery's and deferred work's tasks live beside their code."""

from celery import shared_task
from django.utils import timezone

from . import jobs
from .background import run_deferred
from .delivery import deliver_notifications

__all__ = ["deliver_notifications", "run_deferred", "run_job"]


@shared_task(name="propdesk.core.run_job")
def run_job(name: str, at: str | None = None) -> str:
    """Run one job of the schedule (``propdesk/schedule.py``): Celery beat sends one of these
    for each job when it is due. ``at``, an ISO time, runs it as of then instead of now."""
    now = jobs.parse_at(at) if at is not None else timezone.now()
    return str(jobs.run_job(name, now=now))
