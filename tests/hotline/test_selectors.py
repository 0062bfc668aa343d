"""Hotline reads (M02): recognition, the screen pop, the call log — scoped and in fixed queries."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.hotline import selectors
from propdesk.hotline.models import Call
from propdesk.tickets import services as tickets
from tests import factories as f
from tests.queries import assert_queries

pytestmark = pytest.mark.django_db


def _request(agent, customer, description="水管漏水", kind="repair"):
    return tickets.ticket_create(
        actor=agent, customer=customer, kind=kind, channel="hotline", description=description
    )


def test_m02_known_caller_is_recognised_with_open_requests(agent, customer, household):
    open_one = _request(agent, customer)
    answered = _request(agent, customer, "问缴费", kind="inquiry")
    tickets.ticket_answer(actor=agent, ticket=answered, answer="每月1日至10日")

    [found] = selectors.recognise(agent, "139 1234 5678")
    assert found == customer
    assert found.open_requests == [open_one]
    assert found.current_households == [household]


def test_every_customer_with_the_number_is_shown_but_only_in_scope(
    agent, admin_user, customer, office, other_office
):
    same_number = customer.phones.get().number
    flatmate = f.CustomerFactory(office=office, phone=same_number)
    elsewhere = f.CustomerFactory(office=other_office, phone=same_number)
    assert {c.pk for c in selectors.recognise(agent, same_number)} == {customer.pk, flatmate.pk}
    assert {c.pk for c in selectors.recognise(admin_user, same_number)} == {
        customer.pk,
        flatmate.pk,
        elsewhere.pk,
    }
    assert selectors.recognise(admin_user, same_number, office_id=other_office.pk) == [elsewhere]


def test_a_number_that_is_not_a_number_recognises_nobody(agent, customer):
    assert selectors.recognise(agent, "abc") == []


def test_recognition_takes_fixed_queries(agent, office):
    number = f.next_mobile()
    for _ in range(3):
        _request(agent, f.CustomerFactory(office=office, phone=number))
    # customers, phones, households, open requests
    with assert_queries(4):
        found = selectors.recognise(agent, number)
        assert [len(c.open_requests) for c in found] == [1, 1, 1]


def test_m02_screen_pop_shows_ringing_and_answered_calls_of_the_office(
    agent, line, other_line, customer, make_call
):
    now = timezone.now()
    ringing = make_call(line, started=now - dt.timedelta(seconds=5))
    answered = make_call(line, state=Call.State.ANSWERED, started=now - dt.timedelta(seconds=30))
    make_call(line, state=Call.State.ENDED)
    make_call(line, state=Call.State.MISSED)
    make_call(line, state=Call.State.ANSWERED, outcome=Call.Outcome.REQUEST_CREATED)
    make_call(line, started=now - dt.timedelta(hours=3))  # its hang-up never came
    make_call(other_line)

    calls = selectors.pop_calls(agent, now=now)
    assert calls == [ringing, answered]
    assert calls[0].recognised == [customer]


def test_screen_pop_takes_fixed_queries(agent, line, office, make_call):
    for _ in range(4):
        c = f.CustomerFactory(office=office)
        _request(agent, c)
        make_call(line, caller=c.phones.get().number)
    # calls, customers, phones, households, open requests
    with assert_queries(5):
        calls = selectors.pop_calls(agent, now=timezone.now())
        assert [len(c.recognised) for c in calls] == [1, 1, 1, 1]


def test_call_list_filters(agent, lines, technician, make_call):
    now = timezone.now()
    complaint = make_call(lines["complaint"], state=Call.State.MISSED, started=now)
    handled = make_call(
        lines["service"],
        caller="+8613700001111",
        state=Call.State.ENDED,
        handler=agent,
        outcome=Call.Outcome.INQUIRY_ANSWERED,
        started=now - dt.timedelta(days=3),
    )

    def ids(**kw):
        return [c.pk for c in selectors.call_list(agent, selectors.CallFilters(**kw))]

    assert ids() == [complaint.pk, handled.pk]
    assert ids(line_kind="complaint") == [complaint.pk]
    assert ids(state="ended") == [handled.pk]
    assert ids(outcome="inquiry_answered") == [handled.pk]
    assert ids(outcome="none") == [complaint.pk]
    assert ids(handler=agent.pk) == [handled.pk]
    assert ids(handler=technician.pk) == []
    assert ids(number="137 0000 1111") == [handled.pk]
    assert ids(number="1111") == [handled.pk]
    today = timezone.localdate(now)
    assert ids(date_from=today) == [complaint.pk]
    assert ids(date_to=today - dt.timedelta(days=1)) == [handled.pk]


def test_call_list_is_office_scoped(agent, line, other_line, make_call):
    mine = make_call(line)
    make_call(other_line)
    assert list(selectors.call_list(agent, selectors.CallFilters())) == [mine]
