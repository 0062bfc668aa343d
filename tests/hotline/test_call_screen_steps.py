"""The call screen's next steps, on the same screen (HTMX): confirm, the fee read out and the
customer's spoken acceptance, dispatch to a technician with their workload and duty. Each bad
input is shown next to its field and changes nothing; another office's call is not found."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.hotline.models import Call
from propdesk.tickets.models import Quote, Status, Ticket

pytestmark = pytest.mark.django_db

INTAKE = reverse("console:hotline")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def step_url(call, step):
    return reverse("console:call_step", args=[call.pk, step])


@pytest.fixture
def repair_call(agent_client, line, make_call, customer, paid_item):
    """A known caller's call, turned into a repair with a chargeable item from the call screen."""
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    response = agent_client.post(
        INTAKE,
        {
            "call": call.pk,
            "kind": "repair",
            "customer": customer.pk,
            "item": paid_item.pk,
            "description": "厨房水管漏水",
        },
        **HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    # The steps replace the intake on the same screen: a fragment, no page.
    assert "<html" not in body and "Confirm with the customer" in body
    call.refresh_from_db()
    return call


def ticket_of(call) -> Ticket:
    return Ticket.objects.get(pk=call.ticket_id)


def test_a_known_callers_repair_goes_from_intake_to_dispatched_on_the_call_screen(
    agent_client, repair_call, technician, technician2, line, make_shift
):
    ticket = ticket_of(repair_call)
    response = agent_client.post(
        step_url(repair_call, "confirm"),
        {"version": ticket.version, "confirmation": "明天上午上门"},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Read out the fee" in body and "¥80" in body
    ticket.refresh_from_db()
    assert ticket.status == Status.CONFIRMED

    response = agent_client.post(
        step_url(repair_call, "fee"),
        {"version": ticket.version, "accepted": "yes", "quantity": "1", "answered_by_name": "张伟"},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200, re.findall(r"errorlist.*?</ul>", body)
    assert "Dispatch to a technician" in body
    quote = Quote.objects.get(ticket=ticket)
    assert (quote.state, quote.answered_via, quote.answered_by_name) == (
        "accepted",
        "phone",
        "张伟",
    )

    # Each technician with their open work orders, and who is on duty now.
    make_shift(line, technician2, timezone.now(), timezone.now() + timezone.timedelta(hours=8))
    response = agent_client.get(INTAKE, {"call": repair_call.pk})
    body = response.content.decode()
    assert "On duty now" in body and technician2.display_name in body
    assert body.index(technician2.display_name) < body.index(technician.display_name)

    ticket.refresh_from_db()
    response = agent_client.post(
        step_url(repair_call, "dispatch"),
        {"version": ticket.version, "technician": technician.pk, "note": ""},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Dispatched to {technician.display_name}" in body
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.DISPATCHED, technician)


def test_a_free_repair_skips_the_fee(agent_client, line, make_call, customer, free_item):
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    agent_client.post(
        INTAKE,
        {
            "call": call.pk,
            "kind": "repair",
            "customer": customer.pk,
            "item": free_item.pk,
            "description": "下水道堵了",
        },
        **HX,
    )
    call.refresh_from_db()
    ticket = ticket_of(call)
    response = agent_client.post(
        step_url(call, "confirm"), {"version": ticket.version, "confirmation": "今天下午"}, **HX
    )
    body = response.content.decode()
    assert "Dispatch to a technician" in body and "Read out the fee" not in body
    assert 'class="skipped"' in body


def test_an_empty_confirmation_is_shown_on_its_field_and_nothing_changes(agent_client, repair_call):
    ticket = ticket_of(repair_call)
    response = agent_client.post(
        step_url(repair_call, "confirm"), {"version": ticket.version, "confirmation": "  "}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_confirmation_error"' in body or "aria-invalid" in body
    assert "Write down what was confirmed with the customer." in body
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_a_fee_without_the_customers_answer_or_name_is_refused_on_its_field(
    agent_client, repair_call
):
    ticket = ticket_of(repair_call)
    agent_client.post(
        step_url(repair_call, "confirm"), {"version": ticket.version, "confirmation": "好"}, **HX
    )
    ticket.refresh_from_db()
    response = agent_client.post(
        step_url(repair_call, "fee"),
        {"version": ticket.version, "quantity": "1", "answered_by_name": "张伟"},
        **HX,
    )
    assert response.status_code == 400
    assert "Say whether the customer accepted the fee." in response.content.decode()
    response = agent_client.post(
        step_url(repair_call, "fee"),
        {"version": ticket.version, "accepted": "yes", "quantity": "1", "answered_by_name": ""},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_answered_by_name_error"' in body and "Who answered for the customer?" in body
    # The quote and its answer go together: nothing is left half done.
    assert not Quote.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == Status.CONFIRMED


def test_a_declined_fee_is_said_and_the_request_waits(agent_client, repair_call, technician):
    ticket = ticket_of(repair_call)
    agent_client.post(
        step_url(repair_call, "confirm"), {"version": ticket.version, "confirmation": "好"}, **HX
    )
    ticket.refresh_from_db()
    response = agent_client.post(
        step_url(repair_call, "fee"),
        {"version": ticket.version, "accepted": "no", "quantity": "1", "answered_by_name": "张伟"},
        **HX,
    )
    body = response.content.decode()
    assert "The customer declined the fee." in body and "Read out the fee" in body
    ticket.refresh_from_db()
    assert ticket.status == Status.CONFIRMED and ticket.assignee is None


def test_dispatch_to_another_offices_technician_is_refused_on_its_field(
    agent_client, repair_call, other_technician, free_item
):
    ticket = ticket_of(repair_call)
    ticket.item = free_item
    ticket.save(update_fields=["item"])
    agent_client.post(
        step_url(repair_call, "confirm"), {"version": ticket.version, "confirmation": "好"}, **HX
    )
    ticket.refresh_from_db()
    response = agent_client.post(
        step_url(repair_call, "dispatch"),
        {"version": ticket.version, "technician": other_technician.pk},
        **HX,
    )
    assert response.status_code == 400
    assert "Choose one of this office&#x27;s technicians." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.CONFIRMED and ticket.assignee is None


def test_a_stale_step_is_refused_and_shows_where_the_request_is(agent_client, repair_call):
    ticket = ticket_of(repair_call)
    response = agent_client.post(
        step_url(repair_call, "confirm"),
        {"version": ticket.version + 5, "confirmation": "好"},
        **HX,
    )
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    # A step that is not the request's next one is not run.
    response = agent_client.post(
        step_url(repair_call, "dispatch"), {"version": ticket.version}, **HX
    )
    assert response.status_code == 409
    assert "already done, or not due yet" in response.content.decode()


def test_another_offices_call_and_request_are_not_found(client, other_agent, repair_call):
    client.force_login(other_agent)
    ticket = ticket_of(repair_call)
    response = client.post(
        step_url(repair_call, "confirm"), {"version": ticket.version, "confirmation": "好"}, **HX
    )
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_an_intake_naming_another_offices_customer_is_refused_on_the_customer(
    agent_client, line, make_call, other_customer
):
    call = make_call(line, state=Call.State.ANSWERED)
    response = agent_client.post(
        INTAKE,
        {"call": call.pk, "kind": "repair", "customer": other_customer.pk, "description": "漏水"},
        **HX,
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose one of the customers shown." in body
    assert not Ticket.objects.exists()
    call.refresh_from_db()
    assert call.outcome == ""


def test_an_intake_without_words_says_so_next_to_them(agent_client, line, make_call, customer):
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    response = agent_client.post(
        INTAKE, {"call": call.pk, "kind": "repair", "customer": customer.pk}, **HX
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_description_error"' in body and "Describe what the customer needs." in body
    assert "<html" not in body  # the form alone, swapped in place
    assert not Ticket.objects.exists()
