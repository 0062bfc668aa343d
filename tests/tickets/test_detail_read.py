"""A request is read in full once, by one selector, for its console page and for the API's detail:
each costs the same number of queries however long the request's history grows."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from propdesk.tickets import services
from propdesk.tickets.models import Channel, Contact
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db


def _talk(ticket, agent, times: int) -> None:
    """A longer history: contacts with the customer, each also on the request's timeline."""
    for n in range(times):
        services.contact_record(
            actor=agent,
            customer=ticket.customer,
            ticket=ticket,
            summary=f"第{n + 1}次回电",
            channel=Channel.HOTLINE,
            direction=Contact.Direction.OUTBOUND,
        )


def _page(client, ticket) -> int:
    with count_queries() as ctx:
        assert client.get(reverse("console:ticket_detail", args=[ticket.pk])).status_code == 200
    return ctx


def _api(client, ticket) -> int:
    with count_queries() as ctx:
        assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    return ctx


def test_the_request_page_costs_the_same_however_long_its_history(client, agent, confirmed):
    client.force_login(agent)
    _page(client, confirmed)  # warm up: sessions, content types
    short = _page(client, confirmed)
    _talk(confirmed, agent, 6)
    same_queries(short, _page(client, confirmed))


def test_the_api_detail_costs_the_same_however_long_its_history(agent, confirmed):
    api = APIClient()
    api.force_authenticate(agent)
    _api(api, confirmed)
    short = _api(api, confirmed)
    _talk(confirmed, agent, 6)
    body = api.get(f"/api/v1/tickets/{confirmed.pk}/").json()
    assert len([e for e in body["events"] if e["kind"] == "contact"]) == 6
    same_queries(short, _api(api, confirmed))
