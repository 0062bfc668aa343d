"""What every request service shares: the checks on what was entered, the locked row and its
version, the lifecycle check, the move with its timeline event, and the contacts-log entry."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.core.errors import Conflict, DomainError
from propdesk.core.lifecycle import check_version

from .. import events, lifecycle
from ..lifecycle import TRANSITIONS
from ..models import BEFORE_SERVICE_STATUSES, WITH_TECHNICIAN_STATUSES, Contact, Ticket

MONEY = Decimal("0.01")


def _required(value: str, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    return text


# The largest amounts the money (10 digits) and quantity (8 digits) columns hold.
MAX_AMOUNT = Decimal("99999999.99")
MAX_QUANTITY = Decimal("999999.99")


def _money(value, field: str, *, limit: Decimal = MAX_AMOUNT) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(MONEY)
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(
            _("Enter an amount in yuan, e.g. 80.00."), code="invalid", field=field
        ) from None
    if amount < 0:
        raise DomainError(_("The amount cannot be negative."), code="invalid", field=field)
    if amount > limit:
        raise DomainError(
            _("This is more than %(limit)s.") % {"limit": limit}, code="too_large", field=field
        )
    return amount


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(_("Enter a date and time."), code="invalid", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _locked(ticket: Ticket, expected_version: int | None) -> Ticket:
    """Lock the request's row and re-read it; refuse a change made against an older version."""
    fresh = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("item", "office")
        .get(pk=ticket.pk)
    )
    check_version(
        fresh,
        expected_version,
        message=_("Someone else changed this request meanwhile. Reload it and try again."),
    )
    return fresh


def _check(ticket: Ticket, action: str) -> None:
    driven = lifecycle.driven(ticket.kind)
    if driven is not None and action not in driven.actions:
        raise Conflict(driven.refusal, code=driven.code, field="kind")
    lifecycle.REQUESTS.check(ticket, action)


def _save(ticket: Ticket, actor, fields) -> None:
    ticket.version += 1
    ticket._history_user = actor
    ticket.save(update_fields=[*fields, "version", "updated_at"])


def _move(
    ticket: Ticket, action: str, *, actor, now, event: str, fields=(), note: str = ""
) -> None:
    """Apply ``action``'s transition, save ``fields`` with it, and write the timeline event."""
    old = ticket.status
    target = TRANSITIONS[action].target
    if target:
        ticket.status = target
    _save(ticket, actor, [*fields, "status"])
    events.record(
        ticket=ticket,
        kind=event,
        actor=actor,
        at=now,
        from_status=old,
        to_status=ticket.status,
        note=note,
    )


def _stage_for(ticket: Ticket | None) -> str:
    if ticket is None or ticket.status in BEFORE_SERVICE_STATUSES:
        return Contact.Stage.BEFORE
    if ticket.status in WITH_TECHNICIAN_STATUSES:
        return Contact.Stage.DURING
    return Contact.Stage.AFTER


def _contact(
    *,
    ticket: Ticket,
    actor,
    now,
    summary: str,
    direction: str,
    channel: str | None = None,
    stage: str | None = None,
    call=None,
) -> Contact:
    return Contact.objects.create(
        office_id=ticket.office_id,
        customer_id=ticket.customer_id,
        household_id=ticket.household_id,
        ticket=ticket,
        call=call,
        channel=channel or ticket.channel,
        direction=direction,
        stage=stage or _stage_for(ticket),
        staff=actor,
        at=now,
        summary=summary,
    )


def _item_for_office(item: ServiceItem | None, office_id) -> ServiceItem | None:
    if item is None:
        return None
    if not item.is_active or (item.office_id is not None and item.office_id != office_id):
        raise DomainError(
            _("This service item is not offered by this office."), code="invalid", field="item"
        )
    return item


def _number(ticket: Ticket) -> str:
    # Date plus the row id: unique without a counter table that every writer would contend on.
    return f"{timezone.localtime(ticket.created_at):%y%m%d}{ticket.pk:06d}"


# The next id of the requests' table, taken before the row is written. PostgreSQL: the id
# column's sequence, which no transaction waits on (a rolled-back request leaves a gap, as any
# insert does). SQLite: one past the table's AUTOINCREMENT counter, safe because a transaction
# there takes the write lock when it begins ("transaction_mode": "IMMEDIATE" in settings).
_NEXT_ID_SQL = {
    "postgresql": "SELECT nextval(pg_get_serial_sequence(%s, 'id'))",
    "sqlite": "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0) + 1",
}


def _next_ticket_id() -> int | None:
    sql = _NEXT_ID_SQL.get(connection.vendor)
    if sql is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [Ticket._meta.db_table])
        return cursor.fetchone()[0]


def _insert_numbered(ticket: Ticket) -> None:
    """Write a new request once, with its final number (``_number``: its local date and id).

    The id is taken first, so the row goes in with its number: no placeholder number that
    concurrent intakes would queue on (the column is unique), and no second write of the row.
    Must run inside a transaction."""
    pk = _next_ticket_id()
    if pk is None:  # a database without either counter: number the row once it has its id
        ticket.save()
        ticket.number = _number(ticket)
        ticket.save(update_fields=["number"])
        return
    today = timezone.localdate()
    ticket.pk = pk
    ticket.number = f"{today:%y%m%d}{pk:06d}"
    ticket.save(force_insert=True)
    if timezone.localtime(ticket.created_at).date() != today:  # midnight passed in between
        ticket.number = _number(ticket)
        ticket.save(update_fields=["number"])
