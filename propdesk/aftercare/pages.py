"""What after service shows on a request's console page (registered with ``tickets.pages``)."""

from .selectors.rework import special_followups


def rework_followups_on_ticket_page(*, ticket, reworks: list, now) -> dict:
    """M15: each rework order's special follow-up (due 24 hours after the complaint), and the
    request's own when it is a rework order, in one query."""
    followups = special_followups(
        [r.pk for r in reworks] + ([ticket.pk] if ticket.rework_of_id else [])
    )
    for call in followups.values():
        call.late_now = call.is_late(now)
    for rework in reworks:
        rework.special_followup = followups.get(rework.pk)
    return {"special_followup": followups.get(ticket.pk)}
