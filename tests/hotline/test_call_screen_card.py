"""The caller's card refreshes on the call screen (HTMX, out of band): once the intake files a
request, its "open requests" lists it without a page load; a step done shows the new status."""

import pytest
from django.urls import reverse

from propdesk.hotline.models import Call
from propdesk.tickets.models import Ticket

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


def card_of(body: str) -> str:
    start = body.index('<div id="caller-card"')
    return body[start:]


def file_repair(agent_client, call, customer, item):
    return agent_client.post(
        INTAKE,
        {
            "call": call.pk,
            "kind": "repair",
            "customer": customer.pk,
            "item": item.pk,
            "description": "厨房水管漏水",
        },
        **HX,
    )


def test_the_card_lists_the_request_the_call_filed(
    agent_client, line, make_call, customer, paid_item
):
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    screen = agent_client.get(INTAKE, {"call": call.pk}).content.decode()
    assert "No open requests." in card_of(screen)

    response = file_repair(agent_client, call, customer, paid_item)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # still a fragment: no page load
    ticket = Ticket.objects.get(pk=Call.objects.get(pk=call.pk).ticket_id)
    card = card_of(body)
    assert card.startswith('<div id="caller-card" hx-swap-oob="true">')
    assert customer.name in card
    assert "1 open request" in card and "No open requests." not in card
    assert f'href="{reverse("console:ticket_detail", args=[ticket.pk])}"' in card
    assert ticket.number in card and "New" in card


def test_a_step_done_shows_the_new_status_on_the_card(
    agent_client, line, make_call, customer, paid_item
):
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    file_repair(agent_client, call, customer, paid_item)
    ticket = Ticket.objects.get(pk=Call.objects.get(pk=call.pk).ticket_id)
    response = agent_client.post(
        reverse("console:call_step", args=[call.pk, "confirm"]),
        {"version": ticket.version, "confirmation": "明天上午上门"},
        **HX,
    )
    assert response.status_code == 200
    card = card_of(response.content.decode())
    assert 'hx-swap-oob="true"' in card and ticket.number in card and "Confirmed" in card


def test_a_refused_step_leaves_the_card_alone(agent_client, line, make_call, customer, paid_item):
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    file_repair(agent_client, call, customer, paid_item)
    ticket = Ticket.objects.get(pk=Call.objects.get(pk=call.pk).ticket_id)
    response = agent_client.post(
        reverse("console:call_step", args=[call.pk, "confirm"]),
        {"version": ticket.version, "confirmation": ""},
        **HX,
    )
    assert response.status_code == 400
    assert 'id="caller-card"' not in response.content.decode()
