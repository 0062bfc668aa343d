"""Fees (M10): the quote shown to the customer before the work, and the customer's answer by the
one-time link, in the portal, or recorded by staff."""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.catalog.models import ServiceItem
from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require

from .. import events
from ..models import Channel, Contact, Quote, QuoteLine, Ticket
from ..notifications import quote_link, tell_customer
from ._common import (
    MAX_QUANTITY,
    MONEY,
    _aware,
    _check,
    _contact,
    _item_for_office,
    _locked,
    _money,
    _move,
    _required,
)

QUOTE_VALID_HOURS = 72


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _quote_line(office_id, line: dict, index: int) -> QuoteLine:
    field = f"lines[{index}]"
    item = _item_for_office(line.get("item"), office_id)
    if item is None:
        raise DomainError(
            _("Choose a catalogue item for each line."), code="required", field=f"{field}.item"
        )
    quantity = _money(line.get("quantity", 1), f"{field}.quantity", limit=MAX_QUANTITY)
    if quantity <= 0:
        raise DomainError(
            _("The quantity must be more than zero."), code="invalid", field=f"{field}.quantity"
        )
    price = item.price
    given = line.get("unit_price")
    if given not in (None, ""):
        given = _money(given, f"{field}.unit_price")
        if item.pricing == ServiceItem.Pricing.FROM:
            if given < item.price:
                raise DomainError(
                    _("The price cannot be below the catalogue's “from” price of ¥%(price)s.")
                    % {"price": item.price},
                    code="below_catalogue_price",
                    field=f"{field}.unit_price",
                )
            price = given
        elif given != item.price:
            raise DomainError(
                _("The price must be the catalogue price of ¥%(price)s.") % {"price": item.price},
                code="not_catalogue_price",
                field=f"{field}.unit_price",
            )
    description = (line.get("description") or "").strip() or item.name
    return QuoteLine(
        item=item,
        description=description[:120],
        quantity=quantity,
        unit_price=price,
        amount=(quantity * price).quantize(MONEY),
    )


@transaction.atomic
def quote_create(
    *,
    actor,
    ticket: Ticket,
    lines: list[dict],
    valid_hours: int = QUOTE_VALID_HOURS,
    expected_version: int | None = None,
    now=None,
) -> tuple[Quote, str]:
    """Show the fee standard to the customer before the work. Returns the quote and the one-time
    token for the customer's link; only its hash is stored."""
    now = now or timezone.now()
    require(actor, "ticket.quote", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "quote")
    if not lines:
        raise DomainError(_("Add at least one line to the quote."), code="required", field="lines")
    built = [_quote_line(ticket.office_id, line, i) for i, line in enumerate(lines)]
    for i, line in enumerate(built):
        _money(line.amount, f"lines[{i}].quantity")  # the line's amount must fit too
    total = _money(sum((line.amount for line in built), Decimal("0")), "lines")
    if total <= 0:
        raise DomainError(_("A quote must come to more than zero."), code="invalid", field="lines")
    ticket.quotes.filter(state=Quote.State.SENT).update(state=Quote.State.WITHDRAWN)
    token = secrets.token_urlsafe(24)
    terms = "; ".join(
        f"{line.description}: {line.item.price_label} × {line.quantity.normalize()} = ¥{line.amount}"
        for line in built
    )
    quote = Quote.objects.create(
        ticket=ticket,
        total=total,
        terms=terms,
        token_hash=token_hash(token),
        expires_at=now + dt.timedelta(hours=valid_hours),
        created_by=actor,
    )
    for line in built:
        line.quote = quote
    QuoteLine.objects.bulk_create(built)
    _move(ticket, "quote", actor=actor, now=now, event="quoted", note=f"¥{total} — {terms}")
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        direction=Contact.Direction.OUTBOUND,
        summary=str(_("Fee standard shown: %(terms)s; total ¥%(total)s"))
        % {"terms": terms, "total": total},
    )
    tell_customer(
        ticket,
        "quoted",
        now=now,
        link=quote_link(token),
        total=total,
        terms=terms,
        expires=timezone.localtime(quote.expires_at).strftime("%Y-%m-%d %H:%M"),
    )
    return quote, token


def _answer_quote(
    *,
    quote: Quote,
    accepted: bool,
    via: str,
    answered_by_name: str,
    answered_at,
    actor,
    now,
    expected_version: int | None = None,
) -> Quote:
    ticket = _locked(quote.ticket, expected_version)
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    if quote.state != Quote.State.SENT:
        raise Conflict(
            _("This quote has already been answered or withdrawn."),
            code="quote_answered",
            field="quote",
        )
    if quote.is_expired(answered_at):
        raise Conflict(
            _("This quote has expired. Ask the service center for a new one."),
            code="quote_expired",
            field="quote",
        )
    _check(ticket, "accept_quote" if accepted else "reject_quote")
    quote.state = Quote.State.ACCEPTED if accepted else Quote.State.REJECTED
    quote.answered_at = answered_at
    quote.answered_via = via
    quote.answered_by_name = answered_by_name
    quote.recorded_by = actor
    quote._history_user = actor
    quote.save(
        update_fields=[
            "state",
            "answered_at",
            "answered_via",
            "answered_by_name",
            "recorded_by",
            "updated_at",
        ]
    )
    how = Quote.Via(via).label
    note = str(_("%(how)s, by %(name)s")) % {
        "how": how,
        "name": answered_by_name or ticket.customer.name,
    }
    if accepted:
        _move(ticket, "accept_quote", actor=actor, now=now, event="quote_accepted", note=note)
    else:
        _move(ticket, "reject_quote", actor=actor, now=now, event="quote_rejected", note=note)
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        direction=Contact.Direction.INBOUND,
        channel=Channel.PORTAL if via in (Quote.Via.LINK, Quote.Via.PORTAL) else None,
        summary=f"{events.label('quote_accepted' if accepted else 'quote_rejected')}: ¥{quote.total} ({note})",
    )
    return quote


@transaction.atomic
def quote_answer_by_link(
    *, token: str, accepted: bool, answered_by_name: str = "", now=None
) -> Quote:
    """The customer answers through the one-time link they were sent."""
    now = now or timezone.now()
    try:
        quote = Quote.objects.select_related("ticket__customer").get(
            token_hash=token_hash(token or "")
        )
    except Quote.DoesNotExist:
        raise NotFound(_("This link is not valid.")) from None
    return _answer_quote(
        quote=quote,
        accepted=accepted,
        via=Quote.Via.LINK,
        answered_by_name=answered_by_name or quote.ticket.customer.name,
        answered_at=now,
        actor=None,
        now=now,
    )


@transaction.atomic
def quote_record_answer(
    *,
    actor,
    quote: Quote,
    accepted: bool,
    via: str,
    answered_by_name: str,
    answered_at=None,
    expected_version: int | None = None,
    now=None,
) -> Quote:
    """Staff record the customer's answer given by phone or in person: how, when and by whom."""
    now = now or timezone.now()
    require(actor, "ticket.record_acceptance", quote.ticket)
    if via not in (Quote.Via.PHONE, Quote.Via.IN_PERSON):
        raise DomainError(
            _("Say how the customer answered: by phone or in person."), code="invalid", field="via"
        )
    answered_by_name = _required(
        answered_by_name, "answered_by_name", _("Who answered for the customer?")
    )
    answered_at = _aware(answered_at, "answered_at") if answered_at else now
    if answered_at > now or answered_at < quote.created_at:
        raise DomainError(
            _("The answer's time must be after the quote was sent and not in the future."),
            code="invalid",
            field="answered_at",
        )
    return _answer_quote(
        quote=quote,
        accepted=accepted,
        via=via,
        answered_by_name=answered_by_name,
        answered_at=answered_at,
        actor=actor,
        now=now,
        expected_version=expected_version,
    )


@transaction.atomic
def quote_answer_by_customer(*, customer, quote: Quote, accepted: bool, now=None) -> Quote:
    """The customer answers the fee in the portal, signed in as themselves."""
    now = now or timezone.now()
    if quote.ticket.customer_id != customer.pk:
        raise NotFound(field="quote")
    return _answer_quote(
        quote=quote,
        accepted=accepted,
        via=Quote.Via.PORTAL,
        answered_by_name=customer.name,
        answered_at=now,
        actor=None,
        now=now,
    )
