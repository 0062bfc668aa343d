"""What each action on a request runs: one function per action, used by the console
(``views.actions``) and the API (``api.TicketViewSet``) alike, so the two call the service with the
same arguments and a new argument is added in one place.

Each function is ``(actor, ticket, data, *, expected_version) -> result``: ``data`` is a form's
cleaned data or a serializer's validated data, keyed by the service's own keyword names; a side
whose field is named otherwise (the console's ``step``, the API's quote in the URL) fills the key
at its edge. What is optional in the API is read with ``data.get``. Rework and a contact are not
checked against a version (they change no request the person saw), so they ignore it.
"""

from . import services


def confirm(actor, ticket, data, *, expected_version):
    return services.ticket_confirm(
        actor=actor,
        ticket=ticket,
        confirmation=data["confirmation"],
        channel=data.get("channel"),
        expected_version=expected_version,
    )


def answer(actor, ticket, data, *, expected_version):
    return services.ticket_answer(
        actor=actor,
        ticket=ticket,
        answer=data["answer"],
        channel=data.get("channel"),
        expected_version=expected_version,
    )


def decline(actor, ticket, data, *, expected_version):
    return services.ticket_decline(
        actor=actor,
        ticket=ticket,
        explanation=data["explanation"],
        channel=data.get("channel"),
        expected_version=expected_version,
    )


def quote(actor, ticket, data, *, expected_version):
    """Returns ``(quote, token)``: the token is the customer's one-time link, shown once."""
    valid = {"valid_hours": data["valid_hours"]} if "valid_hours" in data else {}
    return services.quote_create(
        actor=actor,
        ticket=ticket,
        lines=[dict(line) for line in data["lines"]],
        expected_version=expected_version,
        **valid,
    )


def quote_answer(actor, ticket, data, *, expected_version):
    """``data["quote"]`` is the quote answered, found by the caller on this request."""
    return services.quote_record_answer(
        actor=actor,
        quote=data["quote"],
        accepted=data["accepted"],
        via=data["via"],
        answered_by_name=data["answered_by_name"],
        answered_at=data.get("answered_at"),
        expected_version=expected_version,
    )


def dispatch(actor, ticket, data, *, expected_version):
    return services.ticket_dispatch(
        actor=actor,
        ticket=ticket,
        technician=data["technician"],
        note=data["note"],
        expected_version=expected_version,
    )


def transfer(actor, ticket, data, *, expected_version):
    return services.ticket_transfer(
        actor=actor,
        ticket=ticket,
        technician=data["technician"],
        reason=data["reason"],
        expected_version=expected_version,
    )


def hand_back(actor, ticket, data, *, expected_version):
    return services.ticket_hand_back(
        actor=actor, ticket=ticket, reason=data["reason"], expected_version=expected_version
    )


def start(actor, ticket, data, *, expected_version):
    return services.ticket_start(actor=actor, ticket=ticket, expected_version=expected_version)


def tick_step(actor, ticket, data, *, expected_version):
    return services.checklist_tick(
        actor=actor,
        ticket=ticket,
        step_id=data["step_id"],
        note=data["note"],
        photo=data.get("photo"),
        expected_version=expected_version,
    )


def extend(actor, ticket, data, *, expected_version):
    # No channel given: the service's own default.
    channel = {"channel": data["channel"]} if data.get("channel") else {}
    return services.ticket_extend(
        actor=actor,
        ticket=ticket,
        new_due_at=data["new_due_at"],
        reason=data["reason"],
        customer_agreed=data["customer_agreed"],
        contact_id=data.get("contact_id"),
        contact_summary=data["contact_summary"],
        expected_version=expected_version,
        **channel,
    )


def propose_extension(actor, ticket, data, *, expected_version):
    return services.extension_propose(
        actor=actor,
        ticket=ticket,
        new_due_at=data["new_due_at"],
        reason=data["reason"],
        expected_version=expected_version,
    )


def complete(actor, ticket, data, *, expected_version):
    return services.ticket_complete(
        actor=actor,
        ticket=ticket,
        work_summary=data["work_summary"],
        final_charge=data["final_charge"],
        photos=data.get("photos") or (),
        expected_version=expected_version,
    )


def customer_confirm(actor, ticket, data, *, expected_version):
    channel = {"channel": data["channel"]} if data.get("channel") else {}
    return services.ticket_customer_confirm(
        actor=actor,
        ticket=ticket,
        satisfied=data["satisfied"],
        comment=data["comment"],
        expected_version=expected_version,
        **channel,
    )


def rework(actor, ticket, data, *, expected_version):
    """Returns the rework order, opened from ``ticket``; the version is not checked."""
    return services.rework_open(
        actor=actor,
        original=ticket,
        complaint=data["complaint"],
        source=data["source"],
        complained_at=data.get("complained_at"),
        technician=data.get("technician"),
    )


def cancel(actor, ticket, data, *, expected_version):
    return services.ticket_cancel(
        actor=actor, ticket=ticket, reason=data["reason"], expected_version=expected_version
    )


def record_contact(actor, ticket, data, *, expected_version):
    """Returns the contact; the version is not checked."""
    return services.contact_record(
        actor=actor,
        customer=ticket.customer,
        ticket=ticket,
        summary=data["summary"],
        channel=data["channel"],
        direction=data["direction"],
        stage=data.get("stage") or None,
        at=data.get("at"),
    )
