"""The contacts log (M01, M04): any interaction with a customer, recorded."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.limits import DATE_FLOOR
from propdesk.core.permissions import require
from propdesk.core.scoping import can_see_office
from propdesk.customers.models import Household

from .. import events
from ..models import Channel, Contact, Ticket
from ._common import _aware, _required, _stage_for


@transaction.atomic
def contact_record(
    *,
    actor,
    customer,
    summary: str,
    channel: str,
    direction: str,
    stage: str | None = None,
    household=None,
    ticket: Ticket | None = None,
    call=None,
    at=None,
    now=None,
) -> Contact:
    """Record any interaction with a customer against the customer and household (M01)."""
    now = now or timezone.now()
    if not can_see_office(actor, customer.office_id):
        raise NotFound(field="customer")
    require(actor, "contact.record", customer)
    summary = _required(summary, "summary", _("Summarise what was said."))
    if channel not in Channel.values:
        raise DomainError(_("Choose the channel."), code="invalid", field="channel")
    if direction not in Contact.Direction.values:
        raise DomainError(_("Choose who contacted whom."), code="invalid", field="direction")
    if stage is not None and stage not in Contact.Stage.values:
        raise DomainError(
            _("Choose the stage: before, during or after service."), code="invalid", field="stage"
        )
    at = _aware(at, "at") if at else now
    if at > now:
        raise DomainError(_("A contact cannot be in the future."), code="invalid", field="at")
    if ticket is not None and ticket.customer_id != customer.pk:
        raise DomainError(_("This request is not the customer's."), code="invalid", field="ticket")
    # A request is received no later than its row is written (``received_at`` ≤ ``created_at``):
    # only a contact dated before the row needs the timeline read.
    if ticket is not None and at < ticket.created_at and at < ticket.received_at():
        raise DomainError(
            _("A contact about a request cannot be before the request was made."),
            code="invalid",
            field="at",
        )
    if at.date() < DATE_FLOOR:
        raise DomainError(
            _("Enter a date from the year %(year)s on.") % {"year": DATE_FLOOR.year},
            code="invalid",
            field="at",
        )
    if (
        household is not None
        and not Household.objects.of_customer(customer).filter(pk=household.pk).exists()
    ):
        raise DomainError(
            _("This household is not the customer's."), code="invalid", field="household"
        )
    # The request's household by its id: reading the row would only give the id back.
    household_id = household.pk if household is not None else getattr(ticket, "household_id", None)
    contact = Contact.objects.create(
        office_id=customer.office_id,
        customer=customer,
        household_id=household_id,
        ticket=ticket,
        call=call,
        channel=channel,
        direction=direction,
        stage=stage or _stage_for(ticket),
        staff=actor,
        at=at,
        summary=summary,
    )
    if ticket is not None:
        events.record(
            ticket=ticket,
            kind="contact",
            actor=actor,
            at=at,
            note=f"{contact.get_channel_display()} · {contact.get_direction_display()}: {summary}",
        )
    return contact


def contact_log(
    *,
    customer,
    channel: str,
    direction: str,
    summary: str,
    now,
    household=None,
    staff=None,
) -> Contact:
    """A contact another channel records on the customer's history as part of its own change (a
    survey answered, a forum post, a committee meeting attended), inside that change's
    transaction. The channel's service has checked who may act; this one only writes the entry,
    after service (M12), which the customer's history shows with every other contact (M01)."""
    if channel not in Channel.values or direction not in Contact.Direction.values:
        raise ValueError(f"unknown channel or direction: {channel!r}, {direction!r}")
    return Contact.objects.create(
        office_id=customer.office_id,
        customer=customer,
        household=household,
        channel=channel,
        direction=direction,
        stage=Contact.Stage.AFTER,
        staff=staff,
        at=now,
        summary=summary[:2000],
    )
