"""The customer's one-time quote link: see the fee standard, accept or reject, no login (M10)."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.tickets import services
from propdesk.tickets.models import Quote, Status

pytestmark = pytest.mark.urls("tests.tickets.urls_public")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def quote_and_token(make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="ok"
    )
    return services.quote_create(
        actor=agent, ticket=ticket, lines=[{"item": paid_item, "quantity": 2}]
    )


def url(token) -> str:
    return f"/q/{token}/"


def test_m10_page_shows_the_fee_standard_without_login(client, quote_and_token, office, paid_item):
    quote, token = quote_and_token
    response = client.get(url(token))
    body = response.content.decode()
    assert response.status_code == 200
    assert office.name in body and quote.ticket.number in body
    assert paid_item.name in body and "¥80.00" in body and "¥160.00" in body
    assert timezone.localtime(quote.expires_at).strftime("%Y-%m-%d %H:%M") in body
    assert 'value="accept"' in body and 'value="reject"' in body


def test_m10_customer_accepts_through_the_link(client, quote_and_token):
    quote, token = quote_and_token
    response = client.post(url(token), {"answer": "accept"})
    assert response.status_code == 200
    assert "you accepted the fee" in response.content.decode()
    quote.refresh_from_db()
    assert quote.state == Quote.State.ACCEPTED and quote.answered_via == Quote.Via.LINK
    quote.ticket.refresh_from_db()
    assert quote.ticket.status == Status.ACCEPTED


def test_m10_customer_rejects_through_the_link(client, quote_and_token):
    quote, token = quote_and_token
    assert client.post(url(token), {"answer": "reject"}).status_code == 200
    quote.refresh_from_db()
    assert quote.state == Quote.State.REJECTED
    quote.ticket.refresh_from_db()
    assert quote.ticket.status == Status.CONFIRMED


def test_m10_an_answered_link_cannot_answer_again(client, quote_and_token):
    quote, token = quote_and_token
    client.post(url(token), {"answer": "accept"})
    response = client.get(url(token))
    assert response.status_code == 409
    assert "This fee was already accepted on" in response.content.decode()
    response = client.post(url(token), {"answer": "reject"})
    assert response.status_code == 409
    quote.refresh_from_db()
    assert quote.state == Quote.State.ACCEPTED


def test_m10_an_expired_link_says_so_and_changes_nothing(client, quote_and_token):
    quote, token = quote_and_token
    Quote.objects.filter(pk=quote.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(url(token))
    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()
    response = client.post(url(token), {"answer": "accept"})
    assert response.status_code == 410
    quote.refresh_from_db()
    assert quote.state == Quote.State.SENT
    quote.ticket.refresh_from_db()
    assert quote.ticket.status == Status.QUOTED


def test_an_unknown_link_is_not_found(client, quote_and_token):
    response = client.get(url("not-a-real-token"))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.post(url("not-a-real-token"), {"answer": "accept"}).status_code == 404


def test_an_answer_that_is_neither_accept_nor_reject_is_refused(client, quote_and_token):
    quote, token = quote_and_token
    response = client.post(url(token), {"answer": "maybe"})
    assert response.status_code == 400
    assert "Choose accept or reject." in response.content.decode()
    quote.refresh_from_db()
    assert quote.state == Quote.State.SENT


def test_m10_the_quote_page_is_kept_by_no_cache(client, quote_and_token):
    """Anyone holding the link reads the customer's name, address and charges: a shared proxy or
    a borrowed phone's browser must not keep the page."""
    _, token = quote_and_token
    cache_control = client.get(url(token))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
