from decimal import Decimal

from propdesk.tickets import services
from propdesk.tickets.models import Charge, Status


def test_paid_job_runs_from_request_to_closed(make_ticket, agent, technician, paid_item):
    ticket = make_ticket(item=paid_item)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="更换水龙头")
    quote, token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    services.quote_answer_by_link(token=token, accepted=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED
    ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
    for step in ticket.checklist.all():
        services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk, note="ok")
    ticket.refresh_from_db()
    ticket = services.ticket_complete(
        actor=technician, ticket=ticket, work_summary="已更换", final_charge="80"
    )
    assert Charge.objects.get(ticket=ticket).amount == Decimal("80.00")
    ticket = services.ticket_customer_confirm(actor=agent, ticket=ticket, satisfied=True)
    assert ticket.status == Status.CLOSED
    assert list(ticket.events.values_list("kind", flat=True)) == [
        "created",
        "confirmed",
        "quoted",
        "quote_accepted",
        "dispatched",
        "started",
        "step_done",
        "step_done",
        "step_done",
        "completed",
        "closed",
    ]
    assert ticket.history.count() >= 8
