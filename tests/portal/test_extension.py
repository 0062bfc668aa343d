"""M09 in the portal: the customer agrees to or refuses a proposed new deadline."""

import datetime as dt

from propdesk.tickets import services
from propdesk.tickets.models import ExtensionProposal


def _propose(ticket, actor):
    ticket.refresh_from_db()
    return services.extension_propose(
        actor=actor,
        ticket=ticket,
        new_due_at=ticket.due_at + dt.timedelta(days=2),
        reason="配件需从厂家调货",
    )


def test_m09_the_customer_agrees_to_a_new_deadline_in_the_portal(portal, dispatched, agent):
    proposal = _propose(dispatched, agent)
    page = portal.get(f"/portal/requests/{dispatched.pk}/").content.decode()
    assert "May we have more time?" in page and "配件需从厂家调货" in page
    response = portal.post(f"/portal/requests/{dispatched.pk}/extension/", {"answer": "agree"})
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.due_at == proposal.new_due_at
    page = portal.get(f"/portal/requests/{dispatched.pk}/").content.decode()
    assert "May we have more time?" not in page  # answered: the question is gone
    assert "Deadline extended with the customer&#x27;s agreement" in page


def test_m09_the_customer_refuses_with_a_comment(portal, dispatched, agent):
    old_due = dispatched.due_at
    _propose(dispatched, agent)
    portal.post(
        f"/portal/requests/{dispatched.pk}/extension/",
        {"answer": "refuse", "comment": "周末前必须修好"},
    )
    dispatched.refresh_from_db()
    assert dispatched.due_at == old_due
    proposal = ExtensionProposal.objects.get()
    assert (proposal.state, proposal.answer_comment) == ("refused", "周末前必须修好")


def test_m09_answering_with_nothing_waiting_is_refused(portal, dispatched):
    response = portal.post(f"/portal/requests/{dispatched.pk}/extension/", {"answer": "agree"})
    assert response.status_code == 400
    assert "There is no new deadline waiting for your answer." in response.content.decode()


def test_another_customers_proposal_is_not_there(portal, make_ticket, other_agent, other_customer):
    theirs = make_ticket(actor=other_agent, customer=other_customer)
    theirs = services.ticket_confirm(actor=other_agent, ticket=theirs, confirmation="x")
    _propose(theirs, other_agent)
    response = portal.post(f"/portal/requests/{theirs.pk}/extension/", {"answer": "agree"})
    assert response.status_code == 404
    assert ExtensionProposal.objects.get().state == "waiting"
