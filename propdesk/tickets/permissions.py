"""The request loop's part of the permission table (``core.permissions.ACTIONS``), registered in
``TicketsConfig.ready()``; and who may not see a request's photo whatever their office."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)

ACTIONS = {
    # Requests
    "ticket.view": EVERYONE,
    "ticket.create": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
    "ticket.confirm": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.answer": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
    "ticket.decline": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.quote": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.record_acceptance": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.dispatch": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.transfer": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.hand_back": {Role.TECHNICIAN, Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "ticket.work": {Role.TECHNICIAN, Role.DIRECTOR, Role.ADMIN},  # tick procedure steps, start work
    "ticket.extend": {Role.AGENT, Role.TECHNICIAN, Role.DIRECTOR, Role.ADMIN},
    "ticket.complete": {Role.TECHNICIAN, Role.DIRECTOR, Role.ADMIN},
    "ticket.record_satisfaction": {
        Role.AGENT,
        Role.DIRECTOR,
        Role.FOLLOWUP,
        Role.QUALITY,
        Role.ADMIN,
    },
    "ticket.cancel": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "contact.record": {
        Role.AGENT,
        Role.TECHNICIAN,
        Role.DIRECTOR,
        Role.FOLLOWUP,
        Role.QUALITY,
        Role.LEADERSHIP,
        Role.ADMIN,
    },
    # Rework (M15) is opened by the request loop (``services.rework_open``), from the console or
    # from after service's follow-up calls and defect watches.
    "rework.open": {Role.AGENT, Role.DIRECTOR, Role.FOLLOWUP, Role.QUALITY, Role.ADMIN},
    # M24: the revenue from paid and special services, for those who see the board's figure of
    # it (the office's desk and director; the company's roles); technicians work from "my work".
    "revenue.view": {
        Role.AGENT,
        Role.DIRECTOR,
        Role.FOLLOWUP,
        Role.QUALITY,
        Role.LEADERSHIP,
        Role.ADMIN,
    },
}

# A technician may do these only on a work order that is his now.
ASSIGNEE_ONLY = {
    action: {Role.TECHNICIAN}
    for action in ("ticket.work", "ticket.complete", "ticket.hand_back", "ticket.extend")
}


def recused_from_photo(user, path: str) -> bool:
    """A photo of a complaint about the user (M18) is not theirs to see either."""
    from .models import CompletionPhoto, TicketPhoto
    from .selectors import recused_ticket_ids

    recused = recused_ticket_ids(user)
    return (
        TicketPhoto.objects.filter(image=path, ticket_id__in=recused).exists()
        or CompletionPhoto.objects.filter(image=path, ticket_id__in=recused).exists()
    )
