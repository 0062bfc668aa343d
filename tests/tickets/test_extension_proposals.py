"""M09 in the customer's hands: the office proposes a new deadline, the customer agrees or refuses.

Only the customer's agreement, given before the current deadline passes, moves the deadline; the
proposal itself is the proactive contact the rule asks for."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.tickets import services
from propdesk.tickets.models import Contact, Extension, ExtensionProposal, TicketEvent


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def propose(ticket, actor, *, hours=48, reason="配件缺货, 需等两天", now=None):
    ticket.refresh_from_db()
    return services.extension_propose(
        actor=actor,
        ticket=ticket,
        new_due_at=ticket.due_at + dt.timedelta(hours=hours),
        reason=reason,
        now=now,
    )


def state(ticket):
    ticket.refresh_from_db()
    return (
        ticket.due_at,
        ticket.version,
        TicketEvent.objects.filter(ticket=ticket).count(),
        Contact.objects.filter(ticket=ticket).count(),
        Extension.objects.filter(ticket=ticket).count(),
        list(ExtensionProposal.objects.filter(ticket=ticket).values_list("pk", "state")),
    )


def test_m09_a_proposal_is_the_proactive_contact_and_asks_the_customer(dispatched, agent):
    old_due = dispatched.due_at
    proposal = propose(dispatched, agent)
    dispatched.refresh_from_db()
    assert dispatched.due_at == old_due  # nothing moves until the customer agrees
    assert proposal.state == "waiting"
    assert (
        proposal.contact.direction == Contact.Direction.OUTBOUND and proposal.contact.at < old_due
    )
    assert dispatched.events.filter(kind="extension_proposed", customer_visible=True).exists()
    message = Notification.objects.get(
        customer=dispatched.customer, event="ticket.extension_proposed", channel="sms"
    )
    assert (
        dispatched.number in message.body and f"/portal/requests/{dispatched.pk}/" in message.body
    )
    assert message.urgent  # it must arrive before the deadline, quiet hours or not


def test_m09_the_customers_agreement_moves_the_deadline(dispatched, agent, customer):
    proposal = propose(dispatched, agent)
    services.extension_answer_by_customer(customer=customer, proposal=proposal, agreed=True)
    dispatched.refresh_from_db()
    proposal.refresh_from_db()
    assert dispatched.due_at == proposal.new_due_at
    extension = Extension.objects.get(ticket=dispatched)
    assert (extension.contact, extension.old_due_at, extension.created_by) == (
        proposal.contact,
        proposal.old_due_at,
        agent,
    )
    assert proposal.state == "agreed" and proposal.extension == extension
    assert dispatched.events.filter(kind="extended").exists()
    # The proposer hears the answer.
    assert Notification.objects.filter(user=agent, event="ticket.extension_agreed").exists()
    # An agreed extension is not a missed deadline.
    assert not dispatched.missed_deadline(proposal.old_due_at + dt.timedelta(hours=1))


def test_m09_a_refusal_keeps_the_deadline_and_tells_the_proposer(dispatched, agent, customer):
    old_due = dispatched.due_at
    proposal = propose(dispatched, agent)
    services.extension_answer_by_customer(
        customer=customer, proposal=proposal, agreed=False, comment="明天必须修好"
    )
    dispatched.refresh_from_db()
    proposal.refresh_from_db()
    assert dispatched.due_at == old_due
    assert (proposal.state, proposal.answer_comment) == ("refused", "明天必须修好")
    assert not Extension.objects.filter(ticket=dispatched).exists()
    told = Notification.objects.get(user=agent, event="ticket.extension_refused")
    assert "明天必须修好" in told.body


def test_m09_answering_twice_is_refused(dispatched, agent, customer):
    proposal = propose(dispatched, agent)
    services.extension_answer_by_customer(customer=customer, proposal=proposal, agreed=False)
    before = state(dispatched)
    with pytest.raises(Conflict) as err:
        services.extension_answer_by_customer(customer=customer, proposal=proposal, agreed=True)
    assert err.value.code == "proposal_answered"
    assert state(dispatched) == before


def test_m09_agreement_after_the_deadline_has_passed_is_refused(dispatched, agent, customer):
    proposal = propose(dispatched, agent)
    before = state(dispatched)
    with pytest.raises(Conflict) as err:
        services.extension_answer_by_customer(
            customer=customer,
            proposal=proposal,
            agreed=True,
            now=dispatched.due_at + dt.timedelta(minutes=1),
        )
    assert err.value.code == "deadline_passed"
    assert state(dispatched) == before


def test_m09_proposing_after_the_deadline_or_an_earlier_deadline_is_refused(dispatched, agent):
    before = state(dispatched)
    with pytest.raises(Conflict):
        propose(dispatched, agent, now=dispatched.due_at + dt.timedelta(minutes=1))
    with pytest.raises(DomainError) as err:
        propose(dispatched, agent, hours=-1)
    assert err.value.field == "new_due_at"
    with pytest.raises(DomainError) as err:
        propose(dispatched, agent, reason="  ")
    assert err.value.field == "reason"
    assert state(dispatched) == before


def test_m09_a_new_proposal_replaces_the_waiting_one(dispatched, agent, customer):
    first = propose(dispatched, agent, hours=24)
    second = propose(dispatched, agent, hours=48)
    first.refresh_from_db()
    assert first.state == "withdrawn" and second.state == "waiting"
    with pytest.raises(Conflict):
        services.extension_answer_by_customer(customer=customer, proposal=first, agreed=True)


def test_m09_an_extension_agreed_by_phone_withdraws_the_waiting_proposal(dispatched, agent):
    proposal = propose(dispatched, agent)
    dispatched.refresh_from_db()
    services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=dispatched.due_at + dt.timedelta(hours=5),
        reason="客户来电同意",
        customer_agreed=True,
        contact_summary="电话沟通",
    )
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"


def test_another_customer_cannot_answer(dispatched, agent, other_customer):
    proposal = propose(dispatched, agent)
    before = state(dispatched)
    with pytest.raises(NotFound):
        services.extension_answer_by_customer(
            customer=other_customer, proposal=proposal, agreed=True
        )
    assert state(dispatched) == before


def test_a_technician_may_propose_for_his_own_work_order_only(dispatched, technician2, technician):
    before = state(dispatched)
    with pytest.raises(Forbidden):  # not his work order
        propose(dispatched, technician2)
    assert state(dispatched) == before
    assert propose(dispatched, technician).state == "waiting"


def test_m09_console_proposes_and_shows_the_proposal(client, agent, dispatched):
    client.force_login(agent)
    dispatched.refresh_from_db()
    new_due = timezone.localtime(dispatched.due_at + dt.timedelta(days=1))
    response = client.post(
        reverse("console:ticket_action", args=[dispatched.pk, "propose_extension"]),
        {
            "version": dispatched.version,
            "new_due_at": new_due.strftime("%Y-%m-%dT%H:%M"),
            "reason": "等厂家配件",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("console:ticket_detail", args=[dispatched.pk])).content.decode()
    assert "Proposed to the customer" in page and "Waiting for the customer" in page
    refused = client.post(
        reverse("console:ticket_action", args=[dispatched.pk, "propose_extension"]),
        {"version": dispatched.version + 1, "new_due_at": "", "reason": ""},
    )
    assert refused.status_code == 400
    assert ExtensionProposal.objects.filter(ticket=dispatched).count() == 1


def test_m09_api_proposes_and_lists_proposals(api, agent, dispatched):
    api.force_authenticate(agent)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    dispatched.refresh_from_db()
    url = f"/api/v1/tickets/{dispatched.pk}/propose-extension/"
    response = api.post(
        url,
        {
            "new_due_at": (dispatched.due_at + dt.timedelta(days=1)).isoformat(),
            "reason": "等配件",
            "version": dispatched.version,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    (proposal,) = response.json()["extension_proposals"]
    assert proposal["state"] == "waiting" and proposal["reason"] == "等配件"
    bad = api.post(url, {"new_due_at": "tomorrow", "reason": "x"}, format="json")
    assert bad.status_code == 400 and "new_due_at" in bad.json()["errors"]
    assert ExtensionProposal.objects.filter(ticket=dispatched).count() == 1
