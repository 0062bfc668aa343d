"""Absurd numbers and dates get a clear 400, never a server error, and change nothing."""

import pytest

from propdesk.core.params import parse_id
from propdesk.tickets.models import Contact, Ticket

HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/tickets/?office={HUGE}",
        f"/api/v1/tickets/?technician={HUGE}",
        f"/api/v1/contacts/?customer={HUGE}",
        f"/api/v1/staff/?office={HUGE}",
        "/api/v1/staff/?office=²",
        f"/api/v1/hotline/calls/?office={HUGE}",
        f"/api/v1/catalog/items/?category={HUGE}",
    ],
)
def test_api_filters_with_impossible_ids_answer_400_or_nothing(api, quality, url):
    api.force_authenticate(quality)
    response = api.get(url)
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["code"] in ("out_of_range", "invalid")


@pytest.mark.parametrize(
    "url", [f"/console/requests/?office={HUGE}", "/console/requests/?office=²"]
)
def test_console_filters_with_impossible_ids_do_not_break(client, quality, url):
    client.force_login(quality)
    assert client.get(url).status_code in (200, 400)


def test_a_year_one_deadline_is_refused(api, agent, customer):
    api.force_authenticate(agent)
    response = api.post(
        "/api/v1/tickets/",
        {
            "customer": customer.pk,
            "kind": "repair",
            "channel": "hotline",
            "description": "漏水",
            "requested_deadline": "0001-01-01T00:00:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Ticket.objects.exists() and not Contact.objects.exists()


def test_if_match_that_is_not_a_version_is_refused(api, agent, confirmed):
    api.force_authenticate(agent)
    response = api.post(
        f"/api/v1/tickets/{confirmed.pk}/cancel/", {"reason": "x"}, format="json", HTTP_IF_MATCH="²"
    )
    assert (response.status_code, response.json()["field"]) == (400, "version")
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("", None),
        ("abc", None),
        ("²", None),
        ("0", None),
        ("-3", None),
        ("9" * 25, None),
        (None, None),
    ],
)
def test_parse_id(text, expected):
    assert parse_id(text) == expected
