"""Delivering the outbox: each message exactly once, even across crashes and parallel runs.

A run claims one message at a time with a conditional update (pending, or claimed by a run whose
lease ran out), sends it, and records that it sent. Two runs never claim the same message. A run
killed before sending leaves its claim to expire, and the next run sends the message. A run
killed after sending but before recording it leaves the message to be sent again with the same
idempotency key after ``LEASE`` (and before the next sweep after that): the SMS gateway honours
the key, and an e-mail carries it as its Message-ID, so a repeat is the same message to a
receiver that drops duplicates. In-app messages need no sending at all.

Two lanes (``Notification.Lane``): urgent messages (sign-in codes, emergencies, a request's own
updates) are taken before bulk ones, by their own task on their own Celery queue, and a bulk run
delivers the urgent lane again before each batch of its own, so an urgent message never waits
behind a notice to thousands. At most one delivery task per lane waits in the broker, however
many changes commit: ``kick`` queues one only if it can set the lane's gate in the cache, and the
task opens the gate again as it starts (so a message committed after it started gets a run of
its own). See docs/operations.md#guarantees.
"""

import datetime as dt
import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification
from .sms import sms_backend

log = logging.getLogger("propdesk.delivery")

State = Notification.State
Lane = Notification.Lane
LANES = (Lane.URGENT, Lane.BULK)
# A run owns a message it claimed this long: longer than a send may take (the SMS gateway's and
# the mail server's timeouts are 10 s), short because it is the window for a repeat.
LEASE = dt.timedelta(seconds=settings.PROPDESK_DELIVERY_LEASE)
MAX_ATTEMPTS = 5
# A bulk run takes up to this many messages, for at most this many seconds, between two looks
# at the urgent lane: a slow gateway cannot keep an urgent message waiting longer.
BATCH = 50
URGENT_EVERY = 1.0
# A delivery task on a worker runs this long at most, then queues its successor: the worker
# stays free for other work, and a kill loses little.
RUN_BUDGET = 20.0
# A lane's gate closes itself after this long even if its task was lost on the way.
GATE_SECONDS = 60


def idempotency_key(message: Notification) -> str:
    return f"propdesk-notification-{message.pk}"


def _in_quiet_hours(now: dt.datetime) -> dt.datetime | None:
    """The end of the quiet hours if ``now`` falls in them, else None."""
    start, end = settings.PROPDESK_QUIET_HOURS
    local = timezone.localtime(now)
    wraps = start > end  # e.g. 22:00 to 08:00 the next morning
    quiet = (local.hour >= start or local.hour < end) if wraps else start <= local.hour < end
    if not quiet:
        return None
    day = local.date() + dt.timedelta(days=1) if wraps and local.hour >= start else local.date()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(end)))


def _send(message: Notification) -> None:
    if message.channel == Notification.Channel.SMS:
        sms_backend().send(to=message.address, text=message.body, key=idempotency_key(message))
    elif message.channel == Notification.Channel.EMAIL:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.address],
            headers={
                "X-Propdesk-Idempotency-Key": idempotency_key(message),
                # The same id on a repeat, so mail systems that drop duplicates drop it.
                "Message-ID": f"<{idempotency_key(message)}@{_mail_domain()}>",
            },
        ).send()


def _mail_domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL
    return sender.rsplit("@", 1)[-1].strip(" >") if "@" in sender else "propdesk.localhost"


def due(lane: str, *, now: dt.datetime):
    """The waiting messages of ``lane`` due at ``now``, oldest first. Served by the index
    ``notification_lane_due``."""
    return Notification.objects.filter(
        lane=lane, state=State.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")


def expired(lane: str, *, now: dt.datetime):
    """The messages of ``lane`` claimed by a run whose lease ran out (it died, perhaps after
    sending): taken before the waiting ones, so a repeat comes as soon as the lease allows.
    Served by the index ``notification_claims``."""
    return Notification.objects.filter(
        state=State.SENDING, claimed_until__lte=now, lane=lane
    ).order_by("claimed_until", "id")


def has_due(lane: str, *, now: dt.datetime) -> bool:
    return expired(lane, now=now).exists() or due(lane, now=now).exists()


def _claim(pk: int, now: dt.datetime) -> bool:
    claimable = Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_until__lte=now
    )
    return bool(
        Notification.objects.filter(claimable, pk=pk).update(
            state=State.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1
        )
    )


def deliver_due(
    *, now: dt.datetime | None = None, lane: str | None = None, limit: int = 200
) -> int:
    """Send what is due at ``now``, the urgent lane first, then (unless ``lane`` is urgent) up to
    ``limit`` bulk messages; return how many were sent. Safe to run anywhere, any time."""
    now = now or timezone.now()
    _taken, sent = _deliver_lane(Lane.URGENT, now=now, limit=limit)
    if lane != Lane.URGENT:
        sent += _deliver_lane(Lane.BULK, now=now, limit=limit)[1]
    return sent


def run_lane(lane: str, *, budget: float = RUN_BUDGET) -> int:
    """A delivery task's run on a worker: the lane until nothing is due, for ``budget`` seconds
    at most, then its successor is queued. A bulk run delivers the urgent lane before each of
    its batches. Returns how many were sent."""
    started, sent = time.monotonic(), 0
    while True:
        now = timezone.now()
        urgent_taken, urgent_sent = _deliver_lane(Lane.URGENT, now=now, limit=200)
        taken, bulk_sent = (0, 0)
        if lane == Lane.BULK:
            until = time.monotonic() + URGENT_EVERY
            taken, bulk_sent = _deliver_lane(Lane.BULK, now=now, limit=BATCH, until=until)
        sent += urgent_sent + bulk_sent
        if not (urgent_taken or taken):
            return sent
        if time.monotonic() - started > budget:
            kick(lane)
            return sent


def _deliver_lane(
    lane: str, *, now: dt.datetime, limit: int, until: float | None = None
) -> tuple[int, int]:
    """Up to ``limit`` due messages of ``lane`` (and no more once ``time.monotonic()`` passes
    ``until``): how many this run took, and how many it sent."""
    taken = sent = 0
    started = time.monotonic()
    pks = list(expired(lane, now=now).values_list("pk", flat=True)[:limit])
    pks += list(due(lane, now=now).values_list("pk", flat=True)[: limit - len(pks)])
    for pk in pks:
        if until is not None and taken and time.monotonic() > until:
            break  # the rest stay waiting for the next batch
        # ``now``, moved on by the time this batch has taken: a claim made late in a slow batch
        # must still last its whole lease.
        at = now + dt.timedelta(seconds=time.monotonic() - started)
        if not _claim(pk, at):
            continue  # another run took it
        taken += 1
        message = Notification.objects.get(pk=pk)
        mine = Notification.objects.filter(pk=pk, state=State.SENDING)
        quiet_until = None if message.urgent else _in_quiet_hours(at)
        if quiet_until and message.channel == Notification.Channel.SMS:
            # Not urgent: wait for the morning; waiting is not a failed attempt.
            mine.update(
                state=State.PENDING,
                next_attempt_at=quiet_until,
                claimed_until=None,
                attempts=F("attempts") - 1,
            )
            continue
        try:
            _send(message)
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is retried
            log.warning("notification %s not sent: %s", pk, exc)
            if message.attempts >= MAX_ATTEMPTS:
                mine.update(state=State.FAILED, claimed_until=None, last_error=str(exc)[:1000])
            else:
                mine.update(
                    state=State.PENDING,
                    claimed_until=None,
                    next_attempt_at=at + dt.timedelta(minutes=2**message.attempts),
                    last_error=str(exc)[:1000],
                )
            continue
        mine.update(state=State.SENT, sent_at=at, claimed_until=None, last_error="")
        sent += 1
    return taken, sent


# --- queueing delivery runs: one waiting task per lane ------------------------------------


def _gate(lane: str) -> str:
    return f"propdesk:delivery-queued:{lane}"


def kick(lane: str) -> bool:
    """Queue a delivery run for ``lane`` unless one is waiting already; never raises (a broker
    or cache that is down is logged, and the sweeper kicks the lane again within a minute).
    Returns whether a run was queued (without a broker: whether it ran)."""
    gate = _gate(lane)
    try:
        if not cache.add(gate, 1, GATE_SECONDS):
            return False  # a run is waiting; it will see this lane's new messages
    except Exception:  # noqa: BLE001 - the cache's errors: leave it to the sweeper
        log.exception("delivery gate for %s unreadable; the sweeper will start the run", lane)
        return False
    options = {"queue": settings.PROPDESK_URGENT_QUEUE} if lane == Lane.URGENT else {}
    try:
        deliver_notifications.apply_async(kwargs={"lane": lane}, **options)
    except Exception:  # noqa: BLE001 - the broker's errors, or (in-process) delivery's own
        log.exception("delivery run for %s not queued; the sweeper will start it", lane)
        open_gate(lane)
        return False
    return True


def open_gate(lane: str) -> None:
    """A delivery run of ``lane`` has started (or was never queued): the next change may queue
    another."""
    try:
        cache.delete(_gate(lane))
    except Exception:  # noqa: BLE001 - it closes itself after GATE_SECONDS
        log.exception("delivery gate for %s not opened", lane)


@shared_task(name="propdesk.core.deliver_notifications", bind=True)
def deliver_notifications(self, lane: str = Lane.BULK) -> int:
    """Deliver one lane (``kick`` queues it, at most one waiting per lane). In the calling
    process (no broker) one pass, as a request can afford; on a worker until the lane is empty
    or its time is up."""
    open_gate(lane)
    if self.request.is_eager:
        return deliver_due(lane=lane)
    return run_lane(lane)
