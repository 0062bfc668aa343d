"""What the committee services share: the timeline entry, the locked rows, the checks of text
and dates, and the message to the committee's current members and representatives."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.lifecycle import check_version
from propdesk.core.limits import DATE_CEILING, DATE_FLOOR, TEXT_NOTE
from propdesk.core.notify import is_muted, notify

from ..models import CommitteeEvent, Seat, current_seats

E = CommitteeEvent.Kind


def _log(committee, kind, *, now, actor=None, meeting=None, item=None, action=None, note=""):
    CommitteeEvent.objects.create(
        committee=committee,
        meeting=meeting,
        item=item,
        action=action,
        kind=kind,
        actor=actor,
        note=(note or "")[:300],
        at=now,
    )


def _locked(model, record, expected_version: int | None, message):
    """The record's row, locked against a concurrent change and re-read; a change made against
    an older version is refused."""
    fresh = model.objects.select_for_update().get(pk=record.pk)
    check_version(fresh, expected_version, message=message)
    return fresh


def _bump(record, fields) -> None:
    record.version += 1
    record.save(update_fields=[*fields, "version", "updated_at"])


def _text(value, field: str, message, *, limit: int = TEXT_NOTE, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(message, code="required", field=field)
    if len(value) > limit:
        raise DomainError(
            _("Too long: at most %(n)d characters.") % {"n": limit}, code="too_long", field=field
        )
    return value


def _date(value, field: str, message) -> dt.date:
    if value is None or value == "":
        raise DomainError(message, code="required", field=field)
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DomainError(_("Enter a valid date."), code="invalid", field=field)
    if not DATE_FLOOR <= value <= DATE_CEILING:
        raise DomainError(_("Enter a believable date."), code="invalid", field=field)
    return value


def _moment(value, field: str, message) -> dt.datetime:
    if value is None or value == "":
        raise DomainError(message, code="required", field=field)
    if not isinstance(value, dt.datetime):
        raise DomainError(_("Enter a valid date and time."), code="invalid", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if not DATE_FLOOR <= timezone.localdate(value) <= DATE_CEILING:
        raise DomainError(_("Enter a believable date."), code="invalid", field=field)
    return value


def seated_customers(committee, day):
    """The customers with a seat on ``committee`` on ``day``, each once, in a stable order."""
    seats = (
        Seat.objects.filter(current_seats(day), committee=committee)
        .select_related("customer")
        .order_by("customer_id", "pk")
    )
    seen, customers = set(), []
    for seat in seats:
        if seat.customer_id not in seen:
            seen.add(seat.customer_id)
            customers.append(seat.customer)
    return customers


def _tell_committee(committee, event: str, subject, body, *, key: str, link: str, now, **context):
    """One message to each current member and representative: the feedback M22 asks for. Keyed
    by the cause, so a retry never says it twice."""
    if is_muted():
        return 0  # nothing would be written: who sits on the committee is not worth reading
    written = 0
    for customer in seated_customers(committee, timezone.localdate(now)):
        written += bool(
            notify(
                event=event,
                subject=subject,
                body=body,
                context={"committee": committee.name, **context},
                customer=customer,
                link=link,
                dedupe_key=f"committee:{key}:{customer.pk}",
                now=now,
            )
        )
    return written


def portal_link(name: str, *args) -> str:
    return reverse(f"portal:{name}", args=args)


def console_link(name: str, *args) -> str:
    return reverse(f"console:{name}", args=args)
