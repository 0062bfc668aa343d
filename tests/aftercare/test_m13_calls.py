"""M13: recording the follow-up calls — tries, the customer's answer, rework on an unsatisfied
answer (M15) — and every refusal changing nothing."""

import datetime as dt

import pytest

from propdesk.aftercare.models import FollowupAttempt, FollowupCall
from propdesk.aftercare.services import followups
from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.org.models import Role
from propdesk.tickets.models import Channel, Contact, Priority, Status, Ticket, TicketEvent
from tests import factories as f

from .test_m13_sample import IN_W23, MONDAY, completed_repair

CALLING = MONDAY + dt.timedelta(hours=9)  # Monday morning, the week of calling


@pytest.fixture
def call(office, customer, technician, followup):
    """The one sampled call of the week, the follow-up specialist's."""
    completed_repair(customer, at=IN_W23, technician=technician)
    followups.weekly_sample(now=MONDAY)
    return FollowupCall.objects.select_related("ticket").get()


def snapshot(call):
    call = FollowupCall.objects.get(pk=call.pk)
    return (
        call.state,
        call.attempts,
        call.reached,
        call.satisfied,
        call.comment,
        call.rework_id,
        FollowupAttempt.objects.count(),
        Contact.objects.count(),
        Ticket.objects.count(),
        call.history.count(),
    )


def test_m13_the_call_is_the_specialists(call, followup):
    assert (call.assignee, call.kind, call.state) == (followup, "sample", "open")


# --- tries ---------------------------------------------------------------------------------


def test_m13_three_tries_without_reaching_anyone_close_the_call_as_not_reached(call, followup):
    for n in range(1, 4):
        call = followups.call_attempt(
            actor=followup,
            call=call,
            reached=False,
            note="无人接听",
            now=CALLING + dt.timedelta(hours=n),
        )
        assert call.attempts == n
        assert call.state == ("unreached" if n == 3 else "open")
    call.refresh_from_db()
    assert (call.state, call.reached, call.done_by, call.satisfied) == (
        "unreached",
        False,
        followup,
        None,
    )
    assert call.done_at == CALLING + dt.timedelta(hours=3)
    # Each try is in the customer's history as a follow-up contact after the service (M01).
    contacts = Contact.objects.filter(ticket=call.ticket, channel=Channel.FOLLOWUP).order_by("at")
    assert [(c.direction, c.stage, c.staff) for c in contacts] == [
        (Contact.Direction.OUTBOUND, Contact.Stage.AFTER, followup)
    ] * 3
    assert "无人接听" in contacts[0].summary
    assert TicketEvent.objects.filter(ticket=call.ticket, kind="contact").count() == 3
    assert [h.history_user for h in call.history.order_by("history_date")][-1] == followup
    # A fourth try is refused: the call is closed.
    with pytest.raises(Conflict):
        followups.call_attempt(actor=followup, call=call, reached=False, now=CALLING)


def test_m13_a_customer_reached_who_asks_to_be_called_back_keeps_the_call_open(call, followup):
    call = followups.call_attempt(
        actor=followup, call=call, reached=True, note="客户开会, 下午再打", now=CALLING
    )
    assert (call.state, call.attempts, call.reached) == ("open", 1, True)
    for _n in range(2):
        call = followups.call_attempt(actor=followup, call=call, reached=False, now=CALLING)
    assert call.state == "open"  # two tries without reaching anyone so far
    call = followups.call_outcome(actor=followup, call=call, satisfied=True, now=CALLING)
    assert (call.state, call.attempts) == ("done", 4)


# --- the answer ----------------------------------------------------------------------------------


def test_m13_a_satisfied_customer_closes_the_call(call, followup):
    tickets_before = Ticket.objects.count()
    call = followups.call_outcome(
        actor=followup, call=call, satisfied=True, comment="师傅很专业", now=CALLING
    )
    call.refresh_from_db()
    assert (call.state, call.reached, call.satisfied, call.comment) == (
        "done",
        True,
        True,
        "师傅很专业",
    )
    assert (call.done_at, call.done_by, call.attempts, call.rework) == (CALLING, followup, 1, None)
    assert Ticket.objects.count() == tickets_before
    contact = Contact.objects.get(ticket=call.ticket, channel=Channel.FOLLOWUP)
    assert contact.channel == Channel.FOLLOWUP and "师傅很专业" in contact.summary


def test_m13_an_unsatisfied_customer_gets_rework_and_its_special_follow_up(
    call, followup, technician
):
    call = followups.call_outcome(
        actor=followup, call=call, satisfied=False, comment="下雨还是漏水", now=CALLING
    )
    call.refresh_from_db()
    assert (call.state, call.satisfied, call.comment) == ("done", False, "下雨还是漏水")
    rework = call.rework
    assert rework is not None
    assert rework.rework_of == call.ticket
    assert rework.priority == Priority.HIGH
    assert rework.status == Status.DISPATCHED and rework.assignee == technician  # at once
    assert rework.due_at == CALLING + dt.timedelta(hours=24)
    assert "下雨还是漏水" in rework.description
    special = FollowupCall.objects.get(kind=FollowupCall.Kind.REWORK, ticket=rework)
    assert special.due_at == CALLING + dt.timedelta(hours=24)
    assert (special.complained_at, special.source) == (CALLING, "followup")


def test_m13_unsatisfied_needs_a_comment_and_changes_nothing(call, followup):
    before = snapshot(call)
    with pytest.raises(DomainError) as err:
        followups.call_outcome(
            actor=followup, call=call, satisfied=False, comment="  ", now=CALLING
        )
    assert (err.value.status, err.value.field, err.value.code) == (400, "comment", "required")
    assert snapshot(call) == before


@pytest.mark.parametrize("how", ["attempt", "outcome"])
def test_m13_a_closed_call_takes_nothing_more(call, followup, how):
    followups.call_outcome(actor=followup, call=call, satisfied=True, now=CALLING)
    before = snapshot(call)
    with pytest.raises(Conflict) as err:
        if how == "attempt":
            followups.call_attempt(actor=followup, call=call, reached=False, now=CALLING)
        else:
            followups.call_outcome(
                actor=followup, call=call, satisfied=False, comment="又漏了", now=CALLING
            )
    assert (err.value.status, err.value.field, err.value.code) == (409, "state", "call_closed")
    assert snapshot(call) == before


# --- who may record --------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["attempt", "outcome"])
def test_m13_a_call_assigned_to_someone_else_is_not_mine_to_record(call, how):
    colleague = f.UserFactory(role=Role.FOLLOWUP, office=None, last_name="吴", first_name="芳")
    before = snapshot(call)
    with pytest.raises(Forbidden) as err:
        if how == "attempt":
            followups.call_attempt(actor=colleague, call=call, reached=False, now=CALLING)
        else:
            followups.call_outcome(actor=colleague, call=call, satisfied=True, now=CALLING)
    assert (err.value.status, err.value.code) == (403, "not_assignee")
    assert call.assignee.display_name in str(err.value)
    assert snapshot(call) == before


@pytest.mark.parametrize("role", ["agent", "director", "quality", "leadership", "technician"])
def test_m13_other_roles_do_not_record_calls(call, role, request):
    person = request.getfixturevalue(role)
    before = snapshot(call)
    with pytest.raises(Forbidden):
        followups.call_outcome(actor=person, call=call, satisfied=True, now=CALLING)
    assert snapshot(call) == before


def test_m13_an_administrator_may_record_anyones_call(call, admin_user, followup):
    call = followups.call_outcome(actor=admin_user, call=call, satisfied=True, now=CALLING)
    assert (call.state, call.done_by, call.assignee) == ("done", admin_user, followup)


def test_m13_an_unassigned_call_goes_to_whoever_makes_it(call, followup):
    FollowupCall.objects.filter(pk=call.pk).update(assignee=None)
    call.refresh_from_db()
    call = followups.call_attempt(actor=followup, call=call, reached=False, now=CALLING)
    assert FollowupCall.objects.get(pk=call.pk).assignee == followup
