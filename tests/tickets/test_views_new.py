"""A new request: find the customer, fill the form, the service receives it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.tickets.models import Channel, Kind, Priority, Ticket
from tests import factories as f

URL = reverse("console:ticket_new")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def form_data(customer, **overrides):
    data = {
        "customer": customer.pk,
        "household": customer.households.get().pk,
        "kind": Kind.REPAIR,
        "channel": Channel.WALK_IN,
        "item": "",
        "description": "卫生间漏水",
        "requested_deadline": local(timezone.now() + dt.timedelta(days=1)),
        "priority": Priority.HIGH,
        "idempotency_key": "k-1",
    }
    data.update(overrides)
    return data


def test_finds_the_customer_by_name_or_phone(agent_client, customer, other_customer):
    for text in ["张", "13912345678"]:
        body = agent_client.get(URL, {"q": text}).content.decode()
        assert f"?customer={customer.pk}" in body
    # Another office's customer is never offered.
    body = agent_client.get(URL, {"q": other_customer.name}).content.decode()
    assert f"?customer={other_customer.pk}" not in body
    assert "No customer found" in body


def test_htmx_customer_search_returns_the_matches(agent_client, customer):
    response = agent_client.get(reverse("console:ticket_customer_search"), {"q": "张伟"})
    assert response.status_code == 200
    assert f"?customer={customer.pk}" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_customer_in_the_query_is_preselected(agent_client, customer, paid_item, office):
    own_item = f.ServiceItemFactory(name="本处专项", office=office)
    foreign_item = f.ServiceItemFactory(name="他处专项", office=f.OfficeFactory())
    response = agent_client.get(URL, {"customer": customer.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert customer.name in body
    assert f'name="customer" value="{customer.pk}"' in body
    assert paid_item.name in body and own_item.name in body
    assert foreign_item.name not in body
    # Every channel of M03 can be chosen.
    for value, _label in Channel.choices:
        assert f'value="{value}"' in body


def test_another_offices_customer_is_not_found(agent_client, other_customer):
    assert agent_client.get(URL, {"customer": other_customer.pk}).status_code == 404
    response = agent_client.post(URL, form_data(other_customer))
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_m03_creates_the_request_with_its_channel_and_redirects(agent_client, customer, paid_item):
    response = agent_client.post(URL, form_data(customer, item=paid_item.pk))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:ticket_detail", args=[ticket.pk])
    assert ticket.channel == Channel.WALK_IN
    assert ticket.item == paid_item
    assert ticket.priority == Priority.HIGH
    assert ticket.requested_deadline is not None


def test_a_retried_post_makes_one_request(agent_client, customer):
    agent_client.post(URL, form_data(customer))
    agent_client.post(URL, form_data(customer))
    assert Ticket.objects.count() == 1


def test_m09_deadline_in_the_past_is_refused(agent_client, customer):
    past = local(timezone.now() - dt.timedelta(hours=1))
    response = agent_client.post(URL, form_data(customer, requested_deadline=past))
    assert response.status_code == 400
    assert "The deadline must be in the future." in response.content.decode()
    assert not Ticket.objects.exists()


def test_missing_description_is_refused(agent_client, customer):
    response = agent_client.post(URL, form_data(customer, description="  "))
    assert response.status_code == 400
    assert "Describe what the customer needs." in response.content.decode()
    assert not Ticket.objects.exists()


def test_another_offices_item_is_refused(agent_client, customer):
    foreign = f.ServiceItemFactory(office=f.OfficeFactory())
    response = agent_client.post(URL, form_data(customer, item=foreign.pk))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Ticket.objects.exists()


def test_technician_may_not_create_requests(client, technician, customer):
    client.force_login(technician)
    response = client.post(URL, form_data(customer))
    assert response.status_code == 403
    assert "Your role may not do this." in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_technician_does_not_get_the_new_request_form(client, technician, customer):
    client.force_login(technician)
    assert client.get(f"/console/requests/new/?customer={customer.pk}").status_code == 403
