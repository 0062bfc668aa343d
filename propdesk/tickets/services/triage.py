"""M08: before service, the request is confirmed with the customer, answered, or declined as
outside the service scope; what was said to the customer is recorded."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict
from propdesk.core.permissions import require

from ..lifecycle import ANSWERABLE_KINDS
from ..models import Contact, Ticket
from ..notifications import tell_customer
from ._common import _check, _contact, _locked, _move, _required


def _said_to_customer(ticket, action, *, event, fields, text, actor, now, channel) -> None:
    """Apply ``action`` and record what was said to the customer before service (M08): as the
    timeline note and as an outbound contact."""
    _move(ticket, action, actor=actor, now=now, event=event, fields=fields, note=text)
    _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        summary=text,
        direction=Contact.Direction.OUTBOUND,
        channel=channel,
        stage=Contact.Stage.BEFORE,
    )


@transaction.atomic
def ticket_confirm(
    *,
    actor,
    ticket: Ticket,
    confirmation: str,
    channel: str | None = None,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """M08: the content and requirements are confirmed with the customer, and recorded."""
    now = now or timezone.now()
    require(actor, "ticket.confirm", ticket)
    confirmation = _required(
        confirmation, "confirmation", _("Write down what was confirmed with the customer.")
    )
    ticket = _locked(ticket, expected_version)
    _check(ticket, "confirm")
    ticket.confirmation = confirmation
    ticket.confirmed_at = now
    _said_to_customer(
        ticket,
        "confirm",
        event="confirmed",
        fields=["confirmation", "confirmed_at"],
        text=confirmation,
        actor=actor,
        now=now,
        channel=channel,
    )
    tell_customer(ticket, "confirmed", now=now, note=confirmation)
    return ticket


@transaction.atomic
def ticket_answer(
    *,
    actor,
    ticket: Ticket,
    answer: str,
    channel: str | None = None,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """M08: an inquiry (or suggestion, or praise) answered in detail; the answer is recorded."""
    now = now or timezone.now()
    require(actor, "ticket.answer", ticket)
    answer = _required(answer, "answer", _("Write down the answer given to the customer."))
    ticket = _locked(ticket, expected_version)
    if ticket.kind not in ANSWERABLE_KINDS:
        raise Conflict(
            _("Only inquiries, suggestions and praise are closed with an answer."),
            code="not_answerable",
            field="kind",
        )
    _check(ticket, "answer")
    ticket.answer = answer
    ticket.closed_at = now
    _said_to_customer(
        ticket,
        "answer",
        event="answered",
        fields=["answer", "closed_at"],
        text=answer,
        actor=actor,
        now=now,
        channel=channel,
    )
    return ticket


@transaction.atomic
def ticket_decline(
    *,
    actor,
    ticket: Ticket,
    explanation: str,
    channel: str | None = None,
    expected_version: int | None = None,
    now=None,
) -> Ticket:
    """M08: outside the service scope — the explanation given to the customer is recorded."""
    now = now or timezone.now()
    require(actor, "ticket.decline", ticket)
    explanation = _required(
        explanation, "explanation", _("Write down the explanation given to the customer.")
    )
    ticket = _locked(ticket, expected_version)
    _check(ticket, "decline")
    ticket.decline_explanation = explanation
    ticket.closed_at = now
    _said_to_customer(
        ticket,
        "decline",
        event="declined",
        fields=["decline_explanation", "closed_at"],
        text=explanation,
        actor=actor,
        now=now,
        channel=channel,
    )
    return ticket
