"""Delivering the outbox: each message exactly once, even across crashes and parallel runs.

A run claims one message at a time with a conditional update (pending, or claimed by a run whose
lease ran out), sends it, and records that it sent. Two runs never claim the same message. A run
killed before sending leaves its claim to expire, and the next run sends the message. A run killed
after sending but before recording it leaves the message to be sent again with the same
idempotency key, which the SMS gateway honours; in-app messages need no sending at all.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification
from .sms import sms_backend

log = logging.getLogger("propdesk.delivery")

State = Notification.State
LEASE = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5


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
            headers={"X-Propdesk-Idempotency-Key": idempotency_key(message)},
        ).send()


def _claim(pk: int, now: dt.datetime) -> bool:
    claimable = Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.SENDING, claimed_until__lt=now
    )
    return bool(
        Notification.objects.filter(claimable, pk=pk).update(
            state=State.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1
        )
    )


def deliver_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send what is due at ``now``; return how many were sent. Safe to run anywhere, any time."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        Q(state=State.PENDING, next_attempt_at__lte=now)
        | Q(state=State.SENDING, claimed_until__lt=now)
    ).order_by("next_attempt_at", "pk")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)[:limit]):
        if not _claim(pk, now):
            continue  # another run took it
        message = Notification.objects.get(pk=pk)
        mine = Notification.objects.filter(pk=pk, state=State.SENDING)
        quiet_until = None if message.urgent else _in_quiet_hours(now)
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
                    next_attempt_at=now + dt.timedelta(minutes=2**message.attempts),
                    last_error=str(exc)[:1000],
                )
            continue
        mine.update(state=State.SENT, sent_at=now, claimed_until=None, last_error="")
        sent += 1
    return sent
