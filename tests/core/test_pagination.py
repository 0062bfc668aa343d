"""Lists count up to a cap, then say "more than": no list of millions counts every row."""

import pytest

from propdesk.core.pagination import CappedPaginator
from tests.queries import count_queries


@pytest.fixture
def five_requests(make_ticket):
    return [make_ticket() for _ in range(5)]


def test_the_api_count_stops_at_the_cap(api, agent, settings, five_requests):
    settings.PROPDESK_COUNT_CAP = 3
    settings.LANGUAGE_CODE = "en"
    api.force_authenticate(agent)
    body = api.get("/api/v1/tickets/").json()
    assert (body["count"], body["count_capped"]) == (4, True)
    settings.PROPDESK_COUNT_CAP = 10
    body = api.get("/api/v1/tickets/").json()
    assert (body["count"], body["count_capped"]) == (5, False)


def test_the_console_says_more_than_the_cap(client, agent, settings, five_requests):
    settings.PROPDESK_COUNT_CAP = 3
    settings.LANGUAGE_CODE = "en"
    client.force_login(agent)
    page = client.get("/console/requests/").content.decode()
    assert "More than 3 requests" in page
    settings.PROPDESK_COUNT_CAP = 10
    assert "5 requests" in client.get("/console/requests/").content.decode()


def test_the_count_is_one_bounded_query(settings, five_requests):
    from propdesk.tickets.models import Ticket

    settings.PROPDESK_COUNT_CAP = 2
    paginator = CappedPaginator(Ticket.objects.order_by("pk"), 2)
    with count_queries() as ctx:
        assert paginator.count == 3 and paginator.capped
    [query] = ctx.captured_queries
    assert "LIMIT 3" in query["sql"].upper()
    assert "ORDER BY" not in query["sql"].upper()  # a count needs no order
    assert paginator.num_pages_label == "2+"
    # The page itself keeps the list's order.
    assert [t.pk for t in paginator.get_page(1)] == sorted(t.pk for t in five_requests)[:2]
