"""Background work a committed change owes, kept until it is done (docs/operations.md#guarantees).

A service calls ``defer(func, key=..., **kwargs)`` inside its transaction: it records a
``DeferredTask`` with the change, and after commit sends it to a worker as the task
``propdesk.core.run_deferred`` (in the calling process when no broker is configured). So:

- the broker being down never turns the committed change into an error: the send is caught and
  logged, and the sweeper sends the work again once the broker is back;
- a worker killed while running it (SIGKILL, power) leaves it unfinished: Celery redelivers it
  (late acknowledgement), and the sweeper sends it again after ``LEASE`` in any case;
- the work is idempotent (a fan-out's messages carry one key per recipient), so a run that
  starts again, or two runs at once, write nothing twice. A long run calls ``checkpoint`` after
  each batch: it says where it got to, so the next run resumes there, and renews its lease.

``sweep`` is the periodic job (``propdesk/schedule.py``) that does the sending again, and also
starts a delivery run for each lane of the outbox that has messages due. It is safe anywhere,
any time, on two machines at once: each piece of work is claimed by a conditional update.
"""

import datetime as dt
import logging
from contextvars import ContextVar

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DeferredTask

log = logging.getLogger("propdesk.background")

# A run that has not finished nor said where it got to within this time is taken for dead, and
# the work is sent again. Longer than any batch between two checkpoints.
LEASE = dt.timedelta(minutes=2)
# A run that failed waits 1, 2, 4 … minutes before the next, up to an hour.
MAX_PAUSE = dt.timedelta(hours=1)
SWEEP_LIMIT = 500

_current: ContextVar[int | None] = ContextVar("propdesk_deferred_task", default=None)


def defer(func: str, *, key: str, now: dt.datetime | None = None, **kwargs) -> DeferredTask:
    """Owe ``func(**kwargs)`` (a dotted path) once the current transaction commits.

    ``key`` names the work: deferring the same key again (a notice published again) asks for it
    to run again, not for a second record."""
    now = now or timezone.now()
    task, created = DeferredTask.objects.get_or_create(
        key=key,
        defaults={"func": func, "kwargs": kwargs, "created_at": now, "next_run_at": now + LEASE},
    )
    if not created:
        DeferredTask.objects.filter(pk=task.pk).update(
            func=func, kwargs=kwargs, finished_at=None, next_run_at=now + LEASE, progress=None
        )
    pk = task.pk
    transaction.on_commit(lambda: send(pk))
    return task


def send(pk: int) -> bool:
    """Send the work ``pk`` to a worker; never raises. Called after commit: a broker that is down
    must not turn the committed change into an error, so the failure is logged and the sweeper
    sends the work again later. Returns whether it was sent."""
    try:
        run_deferred.delay(pk)
    except Exception:  # noqa: BLE001 - the broker's errors, or (in-process) the work's own
        log.exception("deferred task %s not sent now; the sweeper will send it again", pk)
        return False
    return True


@shared_task(name="propdesk.core.run_deferred")
def run_deferred(pk: int) -> str:
    """Run a change's deferred work unless it is done already."""
    return run(pk)


def run(pk: int, *, now: dt.datetime | None = None) -> str:
    """Run the work ``pk`` unless it is finished; mark it finished when it returns."""
    now = now or timezone.now()
    started = DeferredTask.objects.filter(pk=pk, finished_at__isnull=True).update(
        started_at=now, next_run_at=now + LEASE, attempts=F("attempts") + 1
    )
    if not started:
        return "already done"
    task = DeferredTask.objects.get(pk=pk)
    token = _current.set(pk)
    try:
        result = import_string(task.func)(**task.kwargs)
    except Exception as exc:
        pause = min(MAX_PAUSE, dt.timedelta(minutes=2 ** (task.attempts - 1)))
        DeferredTask.objects.filter(pk=pk).update(
            next_run_at=timezone.now() + pause, last_error=str(exc)[:1000]
        )
        raise
    finally:
        _current.reset(token)
    DeferredTask.objects.filter(pk=pk).update(finished_at=timezone.now(), last_error="")
    return str(result)


def resume_from(default=None):
    """Where the interrupted run of the current work got to (its last ``checkpoint``), else
    ``default``: outside deferred work (called directly, in tests) always ``default``."""
    pk = _current.get()
    if pk is None:
        return default
    progress = DeferredTask.objects.filter(pk=pk).values_list("progress", flat=True).first()
    return default if progress is None else progress


def checkpoint(progress) -> None:
    """The current work got as far as ``progress``; its lease starts again. Call it inside the
    batch's transaction, so the progress commits exactly with the batch."""
    pk = _current.get()
    if pk is not None:
        DeferredTask.objects.filter(pk=pk).update(
            progress=progress, next_run_at=timezone.now() + LEASE
        )


def sweep(*, now: dt.datetime) -> dict:
    """Periodic job: send again the work whose run died, was never sent or failed, once its
    time has come; and start a delivery run for each lane that has messages due."""
    from . import delivery

    due = DeferredTask.objects.filter(finished_at__isnull=True, next_run_at__lte=now)
    resent = 0
    for pk in list(due.order_by("next_run_at").values_list("pk", flat=True)[:SWEEP_LIMIT]):
        # Claimed by a conditional update: a sweeper on another machine sends it once too.
        claimed = DeferredTask.objects.filter(
            pk=pk, finished_at__isnull=True, next_run_at__lte=now
        ).update(next_run_at=now + LEASE)
        if claimed and send(pk):
            resent += 1
    lanes = [lane for lane in delivery.LANES if delivery.has_due(lane, now=now)]
    for lane in lanes:
        delivery.kick(lane)
    return {"resent": resent, "lanes": ",".join(lanes) or "-"}
