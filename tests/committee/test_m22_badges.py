"""M22 with M01: staff see a customer's committee seat wherever they see the customer — the
customer page, the customer list and the hotline's card of a recognised caller — as the two
customer flags the committee replaced used to show."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.committee import services
from tests import factories as f
from tests.queries import count_queries, same_queries

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_m22_a_chair_and_a_representative_carry_their_badges_on_the_customer_page(
    client, agent, chair, representative, customer
):
    client.force_login(agent)
    page = client.get(reverse("console:customer_detail", args=[customer.pk])).content.decode()
    assert "Owners&#x27; committee chair" in page or "Owners' committee chair" in page

    tenant = representative.customer
    page = client.get(reverse("console:customer_detail", args=[tenant.pk])).content.decode()
    assert "Customer representative" in page


def test_m22_a_seat_whose_term_ended_shows_no_badge(client, agent, committee, director, outsider):
    services.seat_add(
        actor=director,
        committee=committee,
        customer=outsider,
        kind="member",
        term_from=dt.date(2024, 1, 1),
        term_to=dt.date(2024, 12, 31),
        now=NOW,
    )
    client.force_login(agent)
    page = client.get(reverse("console:customer_detail", args=[outsider.pk])).content.decode()
    assert "committee" not in page.lower().split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_m22_the_customer_list_shows_seats_in_a_constant_number_of_queries(
    client, agent, chair, office
):
    client.force_login(agent)
    url = reverse("console:customer_list")
    with count_queries() as few:
        body = client.get(url).content.decode()
    assert "Owners&#x27; committee chair" in body or "Owners' committee chair" in body
    for n in range(5):
        f.CustomerFactory(office=office, name=f"新住户{n}")
    with count_queries() as many:
        client.get(url)
    same_queries(few, many)


def test_m22_the_hotline_card_of_a_recognised_caller_shows_the_seat(client, agent, chair):
    client.force_login(agent)
    body = client.get(reverse("console:hotline"), {"number": "13912345678"}).content.decode()
    assert "Owners&#x27; committee chair" in body or "Owners' committee chair" in body
