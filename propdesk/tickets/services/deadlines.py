"""Deadlines (M09): extended after a proactive contact with the customer, or a new deadline put
to the customer, who agrees or refuses in the portal."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import Conflict, DomainError, NotFound
from propdesk.core.permissions import require

from .. import events
from ..lifecycle import TRANSITIONS
from ..models import Channel, Contact, Extension, ExtensionProposal, Ticket
from ..notifications import portal_link, tell_customer, tell_staff
from ._common import _aware, _check, _contact, _locked, _move, _required, _save


@transaction.atomic
def ticket_extend(
    *,
    actor,
    ticket: Ticket,
    new_due_at: dt.datetime,
    reason: str,
    customer_agreed: bool,
    contact_id: int | None = None,
    contact_summary: str = "",
    channel: str = Channel.HOTLINE,
    expected_version: int | None = None,
    now=None,
) -> Extension:
    """Move the deadline — only after a proactive contact with the customer before it passes,
    recorded with the new deadline the customer agreed to."""
    now = now or timezone.now()
    require(actor, "ticket.extend", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "extend")
    new_due_at = _check_new_deadline(ticket, new_due_at, now)
    reason = _required(reason, "reason", _("Say why more time is needed."))
    if not customer_agreed:
        raise DomainError(
            _("An extension needs the customer's agreement to the new deadline."),
            code="not_agreed",
            field="customer_agreed",
        )
    if contact_id:
        contact = _justifying_contact(ticket, contact_id, now)
    elif (contact_summary or "").strip():
        contact = _contact(
            ticket=ticket,
            actor=actor,
            now=now,
            summary=contact_summary.strip(),
            direction=Contact.Direction.OUTBOUND,
            channel=channel,
        )
    else:
        raise DomainError(
            _("Record the proactive contact with the customer about the delay first."),
            code="contact_required",
            field="contact",
        )
    extension = _extend(
        ticket,
        contact=contact,
        new_due_at=new_due_at,
        reason=reason,
        created_by=actor,
        actor=actor,
        now=now,
    )
    # Agreed by phone or in person: a question still waiting in the portal no longer applies.
    _withdraw_waiting(ticket)
    tell_customer(ticket, "extended", now=now, note=reason)
    return extension


def _justifying_contact(ticket: Ticket, contact_id: int, now) -> Contact:
    """The recorded contact that justifies an extension (M09): ours, about this request, made
    while the current deadline still held (after the request was made and after the last
    extension, before the deadline and not in the future), and not already the ground of an
    extension: each extension needs a proactive contact of its own."""
    contact = (
        ticket.contacts.filter(pk=contact_id, direction=Contact.Direction.OUTBOUND)
        .select_for_update()
        .first()
    )
    if contact is not None and Extension.objects.filter(contact=contact).exists():
        raise DomainError(
            _(
                "This contact already justified an extension: each extension needs a proactive "
                "contact of its own. Record the new contact with the customer."
            ),
            code="contact_used",
            field="contact",
        )
    latest = ticket.extensions.order_by("-created_at").values_list("created_at", flat=True).first()
    since = max(ticket.created_at, latest) if latest else ticket.created_at
    if contact is None or not since <= contact.at < ticket.due_at or contact.at > now:
        raise DomainError(
            _(
                "Choose a contact we made with the customer about this request since its "
                "deadline was last set, and before that deadline."
            ),
            code="invalid",
            field="contact",
        )
    return contact


def _terms(ticket: Ticket, *, contact, new_due_at, reason) -> dict:
    """What an extension and a proposal both record: the contact, the deadline and the new one,
    and why."""
    return {
        "ticket": ticket,
        "contact": contact,
        "old_due_at": ticket.due_at,
        "new_due_at": new_due_at,
        "reason": reason,
    }


def _extend(ticket: Ticket, *, contact, new_due_at, reason, created_by, actor, now) -> Extension:
    """Move the deadline, agreed after ``contact``: the extension on record and the move on the
    timeline. Called inside the change's transaction, on the locked request."""
    extension = Extension.objects.create(
        **_terms(ticket, contact=contact, new_due_at=new_due_at, reason=reason),
        created_by=created_by,
        created_at=now,
    )
    ticket.due_at = new_due_at
    _move(
        ticket,
        "extend",
        actor=actor,
        now=now,
        event="extended",
        fields=["due_at"],
        note=f"{timezone.localtime(extension.old_due_at):%Y-%m-%d %H:%M} → "
        f"{timezone.localtime(new_due_at):%Y-%m-%d %H:%M}: {reason}",
    )
    return extension


def _withdraw_waiting(ticket: Ticket) -> None:
    """A proposal still waiting for the customer's answer no longer applies."""
    ticket.extension_proposals.filter(state=ExtensionProposal.State.WAITING).update(
        state=ExtensionProposal.State.WITHDRAWN
    )


def _check_new_deadline(ticket: Ticket, new_due_at, now) -> dt.datetime:
    if now >= ticket.due_at:
        raise Conflict(
            _(
                "The deadline has already passed: an extension must be agreed with the customer "
                "before the deadline."
            ),
            code="deadline_passed",
            field="new_due_at",
        )
    new_due_at = _aware(new_due_at, "new_due_at")
    if new_due_at <= ticket.due_at:
        raise DomainError(
            _("The new deadline must be later than the current one."),
            code="invalid",
            field="new_due_at",
        )
    return new_due_at


@transaction.atomic
def extension_propose(
    *,
    actor,
    ticket: Ticket,
    new_due_at: dt.datetime,
    reason: str,
    expected_version: int | None = None,
    now=None,
) -> ExtensionProposal:
    """Put a new deadline to the customer, who agrees or refuses in the portal (M09).

    The message itself is the proactive contact, made before the deadline; the deadline moves
    only when the customer agrees. A new proposal replaces one still waiting."""
    now = now or timezone.now()
    require(actor, "ticket.extend", ticket)
    ticket = _locked(ticket, expected_version)
    _check(ticket, "extend")
    new_due_at = _check_new_deadline(ticket, new_due_at, now)
    reason = _required(reason, "reason", _("Say why more time is needed."))
    _withdraw_waiting(ticket)
    new_due_text = f"{timezone.localtime(new_due_at):%Y-%m-%d %H:%M}"
    contact = _contact(
        ticket=ticket,
        actor=actor,
        now=now,
        summary=str(_("Proposed a new deadline, %(due)s: %(reason)s"))
        % {"due": new_due_text, "reason": reason},
        direction=Contact.Direction.OUTBOUND,
        channel=Channel.PORTAL,
    )
    proposal = ExtensionProposal.objects.create(
        **_terms(ticket, contact=contact, new_due_at=new_due_at, reason=reason),
        proposed_by=actor,
        proposed_at=now,
    )
    # The request itself does not change; its version moves so open forms see something happened.
    _save(ticket, actor, [])
    events.record(
        ticket=ticket,
        kind="extension_proposed",
        actor=actor,
        at=now,
        note=f"{new_due_text}: {reason}",
    )
    tell_customer(
        ticket,
        "extension_proposed",
        now=now,
        urgent=True,  # it must reach them before the deadline, quiet hours or not
        link=portal_link(ticket),
        new_due=new_due_text,
        note=reason,
    )
    return proposal


@transaction.atomic
def extension_answer_by_customer(
    *, customer, proposal: ExtensionProposal, agreed: bool, comment: str = "", now=None
) -> ExtensionProposal:
    """The customer agrees to or refuses a proposed deadline in the portal.

    Agreement counts only before the current deadline passes (M09): after it, the request is
    late whatever the answer, and the office must call."""
    now = now or timezone.now()
    if proposal.ticket.customer_id != customer.pk:
        raise NotFound(field="proposal")
    ticket = _locked(proposal.ticket, None)
    proposal = ExtensionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != ExtensionProposal.State.WAITING:
        raise Conflict(
            _("This proposal has already been answered or withdrawn."),
            code="proposal_answered",
            field="proposal",
        )
    if proposal.old_due_at != ticket.due_at or ticket.status not in TRANSITIONS["extend"].sources:
        raise Conflict(
            _("This proposal no longer applies: the request has moved on."),
            code="proposal_stale",
            field="proposal",
        )
    if agreed and now >= ticket.due_at:
        raise Conflict(
            _(
                "The deadline has passed, so this proposal can no longer be agreed to. The "
                "service center will call you."
            ),
            code="deadline_passed",
            field="proposal",
        )
    comment = (comment or "").strip()
    proposal.answered_at, proposal.answer_comment = now, comment
    _contact(
        ticket=ticket,
        actor=None,
        now=now,
        summary=str(_("Agreed to the new deadline") if agreed else _("Refused the new deadline"))
        + (f": {comment}" if comment else ""),
        direction=Contact.Direction.INBOUND,
        channel=Channel.PORTAL,
    )
    if agreed:
        proposal.state = ExtensionProposal.State.AGREED
        proposal.extension = _extend(
            ticket,
            contact=proposal.contact,
            new_due_at=proposal.new_due_at,
            reason=proposal.reason,
            created_by=proposal.proposed_by,
            actor=None,
            now=now,
        )
    else:
        proposal.state = ExtensionProposal.State.REFUSED
        _save(ticket, None, [])
        events.record(ticket=ticket, kind="extension_refused", actor=None, at=now, note=comment)
    proposal.save(update_fields=["state", "answered_at", "answer_comment", "extension"])
    tell_staff(
        ticket,
        "extension_agreed" if agreed else "extension_refused",
        users=[proposal.proposed_by],
        now=now,
        comment=comment,
    )
    return proposal
