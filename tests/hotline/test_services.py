"""The hotline's services (M02): lines, call events, logging calls, the roster."""

import datetime as dt
import threading

import pytest
from django.db import connection

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.hotline import services
from propdesk.hotline.models import Call, DutyShift
from propdesk.org.models import HotlineLine
from propdesk.tickets.models import Channel, Contact, Kind, Status, Ticket
from tests import factories as f

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

SERVICE_NUMBER = "+8675588100002"


# --- lines ------------------------------------------------------------------------------------


def test_m02_each_office_has_three_lines(director, office):
    for kind, number in [
        ("complaint", "0755-88100001"),
        ("service", "0755 8810 0002"),
        ("duty", "+86 755 88100003"),
    ]:
        services.line_set(actor=director, office=office, kind=kind, number=number)
    # Setting a line again changes its number; it never adds a fourth.
    services.line_set(actor=director, office=office, kind="service", number="075588100009")

    lines = {line.kind: line.number for line in office.lines.all()}
    assert lines == {
        "complaint": "+8675588100001",
        "service": "+8675588100009",
        "duty": "+8675588100003",
    }


def test_a_number_can_belong_to_one_line_only(director, office, other_line):
    with pytest.raises(Conflict) as err:
        services.line_set(actor=director, office=office, kind="duty", number=other_line.number)
    assert err.value.field == "number"
    assert not office.lines.exists()


@pytest.mark.parametrize(
    ("kind", "number", "field"),
    [("fax", "075588100001", "kind"), ("duty", "12345", "number"), ("duty", "", "number")],
)
def test_a_bad_line_is_refused_naming_the_field(director, office, kind, number, field):
    with pytest.raises(DomainError) as err:
        services.line_set(actor=director, office=office, kind=kind, number=number)
    assert err.value.field == field
    assert not HotlineLine.objects.exists()


def test_an_agent_may_not_set_line_numbers(agent, office):
    with pytest.raises(Forbidden):
        services.line_set(actor=agent, office=office, kind="duty", number="075588100003")
    assert not HotlineLine.objects.exists()


# --- the phone system's events ------------------------------------------------------------


def event(call_id="c-1", kind="ringing", when=0, caller="13912345678", agent=None, **kw):
    return services.call_event(
        call_id=call_id,
        event=kind,
        line_number=kw.pop("line_number", SERVICE_NUMBER),
        caller_number=caller,
        at=at(when) if when is not None else None,
        agent=agent,
        now=kw.pop("now", at(1)),
        **kw,
    )


def test_m02_every_call_is_logged_with_line_number_time_handler(lines, agent):
    call, created = event(kind="ringing", when=0)
    assert created
    assert (call.line, call.caller_number, call.caller_e164) == (
        lines["service"],
        "13912345678",
        "+8613912345678",
    )
    assert (call.state, call.started_at, call.office_id) == ("ringing", at(0), agent.office_id)

    call, created = event(kind="answered", when=0.01, agent="agent")
    assert not created
    assert (call.state, call.answered_at, call.handler) == ("answered", at(0.01), agent)

    call, _ = event(kind="hung_up", when=0.1)
    call.refresh_from_db()
    assert (call.state, call.ended_at, call.handler) == ("ended", at(0.1), agent)
    assert Call.objects.count() == 1


def test_m02_known_caller_is_recognised_when_the_phone_rings(line, customer):
    call, _ = event(caller="139-1234-5678")
    assert call.customer == customer


def test_a_number_shared_by_two_customers_is_not_guessed(line, customer, office):
    f.CustomerFactory(office=office, phone=customer.phones.get().number)
    call, _ = event()
    assert call.customer is None


def test_another_offices_customer_is_not_recognised(line, other_office):
    f.CustomerFactory(office=other_office, phone="+8613912345678")
    call, _ = event()
    assert call.customer is None


def test_m02_webhook_is_idempotent(line, agent):
    first, created = event(kind="ringing")
    again, created_again = event(kind="ringing")
    assert created and not created_again
    assert again.pk == first.pk

    event(kind="answered", when=0.01, agent="agent")
    answered = Call.objects.get()
    history = answered.history.count()
    event(kind="answered", when=0.02, agent="agent")
    repeated = Call.objects.get()
    assert (repeated.answered_at, repeated.updated_at) == (
        answered.answered_at,
        answered.updated_at,
    )
    assert repeated.history.count() == history
    assert Call.objects.count() == 1


def test_a_hang_up_before_any_answer_is_a_missed_call(line):
    event(kind="ringing", when=0)
    call, _ = event(kind="hung_up", when=0.05)
    assert (call.state, call.ended_at, call.handler) == ("missed", at(0.05), None)


def test_an_answer_arriving_after_the_hang_up_is_ignored(line, agent):
    event(kind="hung_up", when=0.05)
    call, _ = event(kind="answered", when=0.01, agent="agent")
    call.refresh_from_db()
    assert (call.state, call.answered_at, call.handler) == ("missed", None, None)


def test_a_late_ringing_moves_the_start_back(line, agent):
    event(kind="answered", when=0.02, agent="agent")
    call, created = event(kind="ringing", when=0)
    assert not created
    assert (call.state, call.started_at, call.answered_at) == ("answered", at(0), at(0.02))


def test_a_call_without_a_time_happens_now(line):
    call, _ = event(when=None, now=at(3))
    assert call.started_at == at(3)


def test_a_withheld_caller_is_still_logged(line):
    call, _ = event(caller="")
    assert (call.caller_number, call.caller_e164, call.customer) == ("", "", None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"line_number": "075500000000"}, "line_number"),
        ({"line_number": ""}, "line_number"),
        ({"kind": "transferred"}, "event"),
        ({"call_id": "  "}, "call_id"),
        ({"call_id": "x" * 81}, "call_id"),
        ({"agent": "nobody"}, "agent"),
        ({"agent": "other_agent"}, "agent"),
    ],
)
def test_bad_events_are_refused_naming_the_field(line, other_agent, kwargs, field):
    with pytest.raises(DomainError) as err:
        event(**kwargs)
    assert err.value.field == field
    assert not Call.objects.exists()


def test_another_offices_line_is_unknown_to_its_token(line, other_agent):
    with pytest.raises(DomainError) as err:
        event(actor=other_agent)
    assert (err.value.status, err.value.field) == (400, "line_number")
    assert not Call.objects.exists()


def test_a_technicians_token_may_not_log_calls(line, technician):
    with pytest.raises(Forbidden):
        event(actor=technician)
    assert not Call.objects.exists()


def test_a_twin_event_that_wins_the_insert_is_reused(line, agent, monkeypatch):
    """The race without threads: our look-up misses, the twin's row is there by insert time."""
    event(call_id="c-9", kind="ringing")
    monkeypatch.setattr(services, "_find_call", lambda call_id: None)
    call, created = event(call_id="c-9", kind="answered", when=0.01, agent="agent")
    assert not created
    assert (call.state, call.handler) == ("answered", agent)
    assert Call.objects.count() == 1


def _run_together(*fns):
    barrier = threading.Barrier(len(fns))
    results = [None] * len(fns)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_m02_concurrent_ringing_events_make_one_call(line):
    results = _run_together(*[lambda: event(call_id="c-race")] * 4)
    assert all(isinstance(r, tuple) for r in results), results
    assert len({call.pk for call, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Call.objects.count() == 1


# --- logging a call -----------------------------------------------------------------------------


def test_m02_inquiry_from_a_known_caller_is_answered_and_recorded(agent, line, customer):
    call = services.call_log_inquiry(
        actor=agent,
        line=line,
        caller_number="13912345678",
        customer=customer,
        summary="问物业费缴费时间",
        answer="每月1日至10日在服务中心缴纳",
        now=NOW,
    )
    assert (call.line, call.caller_e164, call.handler, call.started_at) == (
        line,
        "+8613912345678",
        agent,
        NOW,
    )
    assert (call.outcome, call.customer, call.answer) == (
        "inquiry_answered",
        customer,
        "每月1日至10日在服务中心缴纳",
    )
    ticket = call.ticket
    assert (ticket.kind, ticket.channel, ticket.status) == (Kind.INQUIRY, Channel.HOTLINE, "closed")
    assert ticket.answer == "每月1日至10日在服务中心缴纳"  # M08: the answer is recorded
    assert Contact.objects.filter(ticket=ticket, call=call).exists()


def test_an_unknown_callers_inquiry_is_logged_on_the_call(agent, line):
    call = services.call_log_inquiry(
        actor=agent,
        line=line,
        caller_number="13700001111",
        summary="问小区有没有充电桩",
        answer="地下车库B区有",
        now=NOW,
    )
    assert (call.outcome, call.customer, call.ticket, call.answer) == (
        "inquiry_answered",
        None,
        None,
        "地下车库B区有",
    )
    assert not Ticket.objects.exists()


def test_logging_a_webhook_call_keeps_its_line_and_number(agent, line, other_line, make_call):
    rang = make_call(line, caller="+8613700001111", state=Call.State.ANSWERED)
    call = services.call_log_inquiry(
        actor=agent, call=rang, line=other_line, summary="问", answer="答", now=NOW
    )
    assert (call.pk, call.line, call.caller_e164, call.handler) == (
        rang.pk,
        line,
        "+8613700001111",
        agent,
    )
    assert Call.objects.count() == 1


def test_a_call_is_logged_once(agent, line, make_call):
    rang = make_call(line, outcome=Call.Outcome.INQUIRY_ANSWERED)
    with pytest.raises(Conflict) as err:
        services.call_log_inquiry(actor=agent, call=rang, summary="问", answer="答", now=NOW)
    assert err.value.field == "call"
    assert not Ticket.objects.exists()


def test_another_offices_call_is_not_found(agent, other_line, make_call):
    theirs = make_call(other_line)
    with pytest.raises(NotFound):
        services.call_log_inquiry(actor=agent, call=theirs, summary="问", answer="答", now=NOW)
    theirs.refresh_from_db()
    assert theirs.outcome == ""


@pytest.mark.parametrize(
    ("number", "summary", "answer", "field"),
    [
        ("12345", "问", "答", "caller_number"),
        ("", "问", "答", "caller_number"),
        ("13912345678", "", "答", "summary"),
        ("13912345678", "问", "  ", "answer"),
    ],
)
def test_a_bad_inquiry_saves_nothing(agent, line, customer, number, summary, answer, field):
    with pytest.raises(DomainError) as err:
        services.call_log_inquiry(
            actor=agent,
            line=line,
            caller_number=number,
            customer=customer,
            summary=summary,
            answer=answer,
            now=NOW,
        )
    assert err.value.field == field
    assert not Call.objects.exists() and not Ticket.objects.exists()


def test_a_customer_of_another_office_than_the_line_is_refused(admin_user, line, other_customer):
    with pytest.raises(DomainError) as err:
        services.call_log_inquiry(
            actor=admin_user,
            line=line,
            caller_number="13912345678",
            customer=other_customer,
            summary="问",
            answer="答",
            now=NOW,
        )
    assert err.value.field == "customer"
    assert not Call.objects.exists()


def test_a_technician_may_not_log_calls(technician, line):
    with pytest.raises(Forbidden):
        services.call_log_inquiry(
            actor=technician,
            line=line,
            caller_number="13912345678",
            summary="问",
            answer="答",
            now=NOW,
        )
    assert not Call.objects.exists()


def test_m02_call_becomes_a_request_in_one_step(agent, line, customer, household, free_item):
    call = services.call_to_request(
        actor=agent,
        line=line,
        caller_number="13912345678",
        customer=customer,
        kind=Kind.REPAIR,
        item=free_item,
        description="厨房下水道堵了",
        requested_deadline=at(24),
        now=NOW,
    )
    ticket = Ticket.objects.get()
    assert call.ticket == ticket and call.outcome == "request_created"
    assert (ticket.channel, ticket.kind, ticket.status, ticket.customer, ticket.household) == (
        Channel.HOTLINE,
        Kind.REPAIR,
        Status.NEW,
        customer,
        household,
    )
    assert ticket.requested_deadline == at(24)
    contact = Contact.objects.get(ticket=ticket)
    assert (contact.call, contact.channel, contact.customer) == (call, Channel.HOTLINE, customer)


def test_a_ringing_call_becomes_a_request(agent, line, customer, make_call):
    rang = make_call(line, state=Call.State.ANSWERED, handler=agent)
    call = services.call_to_request(
        actor=agent,
        call=rang,
        customer=customer,
        kind=Kind.REPAIR,
        description="门锁坏了",
        now=NOW,
    )
    assert call.pk == rang.pk and call.ticket.channel == Channel.HOTLINE
    assert Contact.objects.get().call == rang


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer": None}, "customer"),
        ({"caller_number": "abc"}, "caller_number"),
        ({"description": ""}, "description"),
        ({"kind": "gossip"}, "kind"),
        ({"requested_deadline": at(-1)}, "requested_deadline"),
    ],
)
def test_a_bad_request_saves_nothing(agent, line, customer, changes, field):
    kwargs = {
        "actor": agent,
        "line": line,
        "caller_number": "13912345678",
        "customer": customer,
        "kind": Kind.REPAIR,
        "description": "厨房下水道堵了",
        "requested_deadline": at(24),
        "now": NOW,
    }
    with pytest.raises(DomainError) as err:
        services.call_to_request(**{**kwargs, **changes})
    assert err.value.field == field
    # Whatever failed, the call record made before it is rolled back with it.
    assert not Call.objects.exists() and not Ticket.objects.exists()
    assert not Contact.objects.exists()


def test_an_item_another_office_offers_is_refused(agent, line, customer, other_office):
    theirs = f.ServiceItemFactory(office=other_office)
    with pytest.raises(DomainError) as err:
        services.call_to_request(
            actor=agent,
            line=line,
            caller_number="13912345678",
            customer=customer,
            kind=Kind.SERVICE,
            item=theirs,
            description="保洁",
            now=NOW,
        )
    assert err.value.field == "item"
    assert not Call.objects.exists()


# --- the roster -------------------------------------------------------------------------------


def test_a_director_rosters_staff_on_a_line(director, agent, line):
    shift = services.shift_add(
        actor=director, line=line, staff=agent, starts_at=at(0), ends_at=at(8)
    )
    assert (shift.line, shift.staff, shift.starts_at, shift.ends_at) == (line, agent, at(0), at(8))
    assert shift.history.get().history_user == director


def test_back_to_back_and_parallel_shifts_are_fine(director, agent, technician, line):
    services.shift_add(actor=director, line=line, staff=agent, starts_at=at(0), ends_at=at(8))
    services.shift_add(actor=director, line=line, staff=agent, starts_at=at(8), ends_at=at(16))
    services.shift_add(actor=director, line=line, staff=technician, starts_at=at(4), ends_at=at(12))
    assert DutyShift.objects.count() == 3


def test_overlapping_shifts_of_one_person_on_a_line_are_rejected(director, agent, line):
    services.shift_add(actor=director, line=line, staff=agent, starts_at=at(0), ends_at=at(8))
    with pytest.raises(DomainError) as err:
        services.shift_add(actor=director, line=line, staff=agent, starts_at=at(7), ends_at=at(15))
    assert (err.value.code, err.value.field) == ("overlap", "starts_at")
    assert "陈静" in str(err.value.message)
    assert DutyShift.objects.count() == 1


def test_a_shift_for_another_offices_staff_is_rejected(director, other_agent, line):
    with pytest.raises(DomainError) as err:
        services.shift_add(
            actor=director, line=line, staff=other_agent, starts_at=at(0), ends_at=at(8)
        )
    assert err.value.field == "staff"
    assert not DutyShift.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(8, 8), (8, 0), (0, 25)],
)
def test_a_shift_must_end_after_it_starts_and_within_a_day(director, agent, line, start, end):
    with pytest.raises(DomainError) as err:
        services.shift_add(
            actor=director, line=line, staff=agent, starts_at=at(start), ends_at=at(end)
        )
    assert err.value.field == "ends_at"
    assert not DutyShift.objects.exists()


def test_an_agent_may_not_edit_the_roster(agent, line, make_shift):
    with pytest.raises(Forbidden):
        services.shift_add(actor=agent, line=line, staff=agent, starts_at=at(0), ends_at=at(8))
    shift = make_shift(line, agent, at(0), at(8))
    with pytest.raises(Forbidden):
        services.shift_remove(actor=agent, shift=shift)
    assert DutyShift.objects.count() == 1


def test_a_removed_shift_keeps_its_history(director, agent, line, make_shift):
    shift = make_shift(line, agent, at(0), at(8))
    services.shift_remove(actor=director, shift=shift)
    assert not DutyShift.objects.exists()
    assert DutyShift.history.filter(history_type="-").get().history_user == director


def test_a_shift_time_without_a_zone_is_taken_as_shanghai(director, agent, line):
    shift = services.shift_add(
        actor=director,
        line=line,
        staff=agent,
        starts_at=dt.datetime(2026, 3, 2, 0, 0),
        ends_at=dt.datetime(2026, 3, 2, 8, 0),
    )
    assert shift.starts_at == NOW - dt.timedelta(hours=10)
