from celery import shared_task
from django.utils import timezone

from . import jobs
from .delivery import deliver_due


@shared_task(name="propdesk.core.deliver_notifications")
def deliver_notifications() -> int:
    """Deliver the outbox after a change commits; the schedule also runs it every minute."""
    return deliver_due()


@shared_task(name="propdesk.core.run_job")
def run_job(name: str, at: str | None = None) -> str:
    """Run one job of the schedule (``propdesk/schedule.py``): Celery beat sends one of these
    for each job when it is due. ``at``, an ISO time, runs it as of then instead of now."""
    now = jobs.parse_at(at) if at is not None else timezone.now()
    return str(jobs.run_job(name, now=now))
