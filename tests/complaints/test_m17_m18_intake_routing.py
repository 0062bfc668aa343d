"""M17 intake and M18 routing: the customer's account in their words, heard in person; the
right level from the start; a director never sees the handling of a complaint about them."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from propdesk.complaints import selectors
from propdesk.complaints.models import Complaint, Escalation
from propdesk.complaints.services import handling, intake
from propdesk.core.errors import DomainError, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.history import selectors as history_selectors
from propdesk.tickets import selectors as ticket_selectors
from propdesk.tickets import services as ticket_services
from propdesk.tickets.models import Kind, Status, Ticket

from .conftest import NOW

pytestmark = pytest.mark.django_db
Owner, S = Complaint.Owner, Complaint.State


def _inbox(user):
    return Notification.objects.filter(user=user, channel="in_app")


def test_m17_a_call_on_the_complaint_line_records_the_account_and_how_it_was_heard(
    file, agent, director
):
    complaint = file()
    assert complaint.account == "楼道垃圾三天没人清理, 气味很大"
    assert complaint.listened and complaint.understanding and complaint.explanation
    assert (complaint.owner, complaint.state) == (Owner.SERVICE_CENTER, S.IN_PROGRESS)
    assert complaint.first_responded_at == NOW  # heard and answered on the call
    ticket = complaint.ticket
    assert (ticket.kind, ticket.status, ticket.channel) == (
        Kind.COMPLAINT,
        Status.IN_PROGRESS,
        "hotline",
    )
    assert list(ticket.events.values_list("kind", flat=True)) == ["created", "complaint_respond"]
    assert ticket.contacts.get().summary == complaint.account  # in the contact log (M12)
    assert _inbox(director).filter(event="complaint.new").exists()
    assert not _inbox(agent).filter(event="complaint.new").exists()  # who took it knows


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"listened": False}, "listened"),
        ({"understanding": " "}, "understanding"),
        ({"explanation": ""}, "explanation"),
        ({"account": ""}, "account"),
        ({"category": "noise"}, "category"),
        ({"severity": "huge"}, "severity"),
        ({"compensation_claimed": "-5"}, "compensation_claimed"),
        ({"compensation_claimed": "abc"}, "compensation_claimed"),
    ],
)
def test_m17_an_intake_that_is_not_complete_is_refused_and_writes_nothing(file, change, field):
    with pytest.raises(DomainError) as err:
        file(**change)
    assert err.value.field == field
    assert not Ticket.objects.exists() and not Complaint.objects.exists()


def test_m17_a_written_complaint_waits_for_its_first_response(customer, agent, at):
    complaint = intake.complaint_file_by_customer(
        customer=customer, account="维修工态度恶劣", category=Complaint.Category.ATTITUDE, now=NOW
    )
    assert (complaint.state, complaint.first_responded_at) == (S.RECEIVED, None)
    assert complaint.first_response_due_at == NOW + dt.timedelta(hours=24)
    handling.complaint_respond(
        actor=agent,
        complaint=complaint,
        understanding="非常理解您的感受",
        explanation="已约谈该维修工, 明天由主管上门致歉",
        now=at(2),
    )
    complaint.refresh_from_db()
    assert (complaint.state, complaint.first_responded_at) == (S.IN_PROGRESS, at(2))


def test_m17_the_same_portal_complaint_sent_twice_is_filed_once(customer):
    first = intake.complaint_file_by_customer(
        customer=customer, account="噪音", category="neighbours", idempotency_key="k1", now=NOW
    )
    again = intake.complaint_file_by_customer(
        customer=customer, account="噪音", category="neighbours", idempotency_key="k1", now=NOW
    )
    assert first.pk == again.pk and Complaint.objects.count() == 1


def test_m17_complaints_come_only_through_the_complaint_intake(agent, customer):
    confirm = ticket_services.ticket_create(
        actor=agent, customer=customer, kind=Kind.REPAIR, channel="hotline", description="x"
    )
    del confirm
    complaint = intake.complaint_file_by_customer(
        customer=customer, account="噪音", category="neighbours", now=NOW
    )
    with pytest.raises(DomainError) as err:  # not as a work order
        ticket_services.ticket_confirm(
            actor=agent, ticket=complaint.ticket, confirmation="x", now=NOW
        )
    assert err.value.code == "complaint_request"


def test_m18_a_compensation_claim_goes_to_leadership_at_once(file, leadership, director):
    complaint = file(compensation_claimed="800", category=Complaint.Category.REPAIR_QUALITY)
    assert complaint.owner == Owner.LEADERSHIP and complaint.involves_compensation
    assert complaint.severity == Complaint.Severity.SERIOUS  # at least serious
    escalation = complaint.escalations.get()
    assert (escalation.cause, escalation.to_owner) == (
        Escalation.Cause.COMPENSATION,
        Owner.LEADERSHIP,
    )
    assert "complaint_escalated" in complaint.ticket.events.values_list("kind", flat=True)
    assert _inbox(leadership).filter(event="complaint.escalated").exists()


def test_m18_a_complaint_about_the_director_is_hidden_from_him(
    file, director, agent, leadership, customer
):
    complaint = file(about_staff=[director], account="主任处理纠纷时偏袒对方")
    assert complaint.owner == Owner.LEADERSHIP and complaint.against_director
    # Not on his complaint desk, his request list, the request page, the customer's 360° view.
    assert not selectors.complaints_for(director).exists()
    with pytest.raises(NotFound):
        selectors.complaint_get(director, complaint.pk)
    assert complaint.ticket not in ticket_selectors.tickets_for(director)
    with pytest.raises(NotFound):
        ticket_selectors.ticket_get(director, complaint.ticket.pk)
    history = history_selectors.customer_history(customer, user=director)
    assert complaint.ticket not in history.tickets and not history.contacts.exists()
    # Nor may he act on it, nor was he told of it.
    with pytest.raises(NotFound):
        handling.complaint_escalate(actor=director, complaint=complaint, reason="x", now=NOW)
    assert not _inbox(director).exists()
    # His agent sees it, and leadership handles it.
    assert complaint in selectors.complaints_for(agent)
    assert _inbox(leadership).filter(event="complaint.escalated").exists()


def test_m18_naming_the_director_later_sends_it_up_and_hides_it_from_him(
    file, director, agent, leadership
):
    complaint = file()
    handling.complaint_reclassify(
        actor=agent,
        complaint=complaint,
        about_staff=[director],
        reason="客户补充: 投诉主任",
        now=NOW,
    )
    complaint.refresh_from_db()
    assert complaint.owner == Owner.LEADERSHIP
    assert not selectors.complaints_for(director).exists()


def test_m18_the_database_refuses_compensation_below_leadership(file):
    complaint = file()
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(involves_compensation=True)


def test_m19_the_office_escalates_with_a_reason_and_quality_handles_it(
    file, agent, quality, leadership, customer
):
    complaint = file()
    with pytest.raises(DomainError) as err:
        handling.complaint_escalate(actor=agent, complaint=complaint, reason="  ", now=NOW)
    assert err.value.field == "reason"
    complaint.refresh_from_db()
    assert complaint.owner == Owner.SERVICE_CENTER and not complaint.escalations.exists()
    handling.complaint_escalate(actor=agent, complaint=complaint, reason="涉及多个部门", now=NOW)
    complaint.refresh_from_db()
    assert complaint.owner == Owner.QUALITY
    assert _inbox(quality).filter(event="complaint.escalated").exists()
    assert Notification.objects.filter(customer=customer, event="complaint.escalated").exists()
    with pytest.raises(Forbidden):  # the office no longer handles it
        handling.complaint_resolve(actor=agent, complaint=complaint, resolution="x", now=NOW)
    handling.complaint_escalate(actor=quality, complaint=complaint, reason="需领导决策", now=NOW)
    complaint.refresh_from_db()
    assert complaint.owner == Owner.LEADERSHIP
    with pytest.raises(DomainError) as err:
        handling.complaint_escalate(actor=leadership, complaint=complaint, reason="x", now=NOW)
    assert err.value.code == "already_top"
    assert list(complaint.escalations.values_list("to_owner", flat=True)) == [
        Owner.QUALITY,
        Owner.LEADERSHIP,
    ]


def test_m18_another_offices_staff_never_find_it(file, other_agent, technician):
    complaint = file()
    assert not selectors.complaints_for(other_agent).exists()
    assert not selectors.complaints_for(technician).exists()
    with pytest.raises(NotFound):
        handling.complaint_escalate(actor=other_agent, complaint=complaint, reason="x", now=NOW)
