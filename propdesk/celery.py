"""The Celery app. Without a broker configured, tasks run eagerly in-process.

Celery beat runs the periodic schedule of ``propdesk/schedule.py``: each job is sent, when due,
as the one generic task ``propdesk.core.run_job(name)``. With no broker, ``propdesk serve`` runs
the same schedule in-process instead (``propdesk/core/jobs.py``).

A worker consumes two queues: the default one and ``PROPDESK_URGENT_QUEUE``, where urgent
messages' delivery runs go, so that they never wait behind bulk work (``core/delivery.py``).
Tasks are acknowledged late and given back when their worker dies (settings: ``CELERY_TASK_*``).
"""

import os

from celery import Celery
from kombu import Exchange, Queue

from .schedule import SCHEDULE, Job

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "propdesk.settings")

# A job without a period runs again within minutes and catches up by itself, so a run that
# waited this long in the queue (workers down) is dropped rather than run late with the others.
STALE_AFTER_SECONDS = 10 * 60


def beat_schedule(jobs: list[Job]) -> dict:
    """Celery beat's entries for ``jobs``."""
    return {
        job.name: {
            "task": "propdesk.core.run_job",
            "schedule": job.when,
            "args": (job.name,),
            "options": {} if job.period else {"expires": STALE_AFTER_SECONDS},
        }
        for job in jobs
    }


app = Celery("propdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _lanes(sender, **kwargs):
    from django.conf import settings

    conf = sender.conf
    if not conf.task_queues:  # unless set otherwise: the default queue and the urgent lane's
        names = (conf.task_default_queue, settings.PROPDESK_URGENT_QUEUE)
        conf.task_queues = tuple(Queue(name, Exchange(name), routing_key=name) for name in names)


app.conf.beat_schedule = beat_schedule(SCHEDULE)
app.autodiscover_tasks()  # core.tasks
# A service that runs in the background is a task itself (``@shared_task`` on the service).
app.autodiscover_tasks(related_name="services")
