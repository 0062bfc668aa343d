"""The request list: filters, search, pagination, HTMX partial, constant query count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind, Status, Ticket
from tests import factories as f
from tests.queries import count_queries, same_queries

URL = reverse("console:ticket_list")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def link(ticket) -> str:
    return f'href="{reverse("console:ticket_detail", args=[ticket.pk])}"'


def listed(response, ticket) -> bool:
    return link(ticket) in response.content.decode()


def test_lists_own_office_requests_only(agent_client, make_ticket, other_agent, other_customer):
    mine = make_ticket()
    theirs = services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="漏水",
    )
    response = agent_client.get(URL)
    assert response.status_code == 200
    assert listed(response, mine)
    assert not listed(response, theirs)


def test_empty_list_says_so(agent_client):
    response = agent_client.get(URL)
    assert "No requests match these filters." in response.content.decode()


def test_filter_by_status(agent_client, make_ticket, confirmed):
    new = make_ticket()
    response = agent_client.get(URL, {"status": Status.CONFIRMED})
    assert listed(response, confirmed)
    assert not listed(response, new)


def test_filter_open_status_leaves_out_closed(agent_client, make_ticket, agent):
    open_ticket = make_ticket()
    declined = services.ticket_decline(
        actor=agent, ticket=make_ticket(), explanation="不在服务范围"
    )
    response = agent_client.get(URL, {"status": "open"})
    assert listed(response, open_ticket)
    assert not listed(response, declined)


def test_filter_by_kind(agent_client, make_ticket):
    repair = make_ticket(kind=Kind.REPAIR)
    inquiry = make_ticket(kind=Kind.INQUIRY)
    response = agent_client.get(URL, {"kind": Kind.INQUIRY})
    assert listed(response, inquiry)
    assert not listed(response, repair)


def test_m03_filter_by_channel(agent_client, make_ticket):
    hotline = make_ticket(channel=Channel.HOTLINE)
    walk_in = make_ticket(channel=Channel.WALK_IN)
    response = agent_client.get(URL, {"channel": Channel.WALK_IN})
    assert listed(response, walk_in)
    assert not listed(response, hotline)


def test_m09_filter_overdue_and_overdue_badge(agent_client, make_ticket):
    late = make_ticket(now=timezone.now() - dt.timedelta(days=2))  # due a day ago
    on_time = make_ticket()
    response = agent_client.get(URL, {"overdue": "on"})
    assert listed(response, late)
    assert not listed(response, on_time)
    assert 'class="badge red">overdue' in response.content.decode()


def test_filter_by_technician(agent_client, make_ticket, agent, technician, technician2, free_item):
    def dispatched_to(tech):
        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=free_item), confirmation="ok"
        )
        return services.ticket_dispatch(actor=agent, ticket=ticket, technician=tech)

    his, other = dispatched_to(technician), dispatched_to(technician2)
    response = agent_client.get(URL, {"technician": technician.pk})
    assert listed(response, his)
    assert not listed(response, other)


def test_filter_by_created_dates(agent_client, make_ticket):
    old, recent = make_ticket(), make_ticket()
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    response = agent_client.get(URL, {"created_from": since})
    assert listed(response, recent)
    assert not listed(response, old)
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    response = agent_client.get(URL, {"created_to": until})
    assert listed(response, old)
    assert not listed(response, recent)


def test_bad_date_shows_a_message_not_an_error_page(agent_client, make_ticket):
    make_ticket()
    response = agent_client.get(URL, {"created_from": "2024-13-45"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_dates_the_wrong_way_round_are_refused(agent_client):
    response = agent_client.get(URL, {"created_from": "2025-03-10", "created_to": "2025-03-01"})
    assert response.status_code == 400
    assert "The end date must not be before the start date." in response.content.decode()


@pytest.mark.parametrize("how", ["number", "phone", "name", "address"])
def test_search(agent_client, make_ticket, customer, household, office, how):
    wanted = make_ticket()
    someone_else = f.CustomerFactory(office=office, name="王芳")
    other = make_ticket(customer=someone_else)
    unit = household.unit
    text = {
        "number": wanted.number,
        "phone": "139 1234 5678",
        "name": "张",
        "address": f"{unit.building.name}-{unit.number}",
    }[how]
    response = agent_client.get(URL, {"q": text})
    assert listed(response, wanted)
    assert not listed(response, other)


def test_paginates_25_by_default_and_per_page(agent_client, make_ticket):
    for _ in range(30):
        make_ticket()
    response = agent_client.get(URL)
    assert len(response.context["page"].object_list) == 25
    assert "Page 1 of 2" in response.content.decode()
    response = agent_client.get(URL, {"page": 2})
    assert len(response.context["page"].object_list) == 5
    response = agent_client.get(URL, {"per_page": 50})
    assert len(response.context["page"].object_list) == 30


def test_bad_page_size_is_refused_with_a_message(agent_client):
    response = agent_client.get(URL, {"per_page": "7"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_htmx_filter_swaps_only_the_table(agent_client, make_ticket):
    ticket = make_ticket()
    response = agent_client.get(URL, {"kind": Kind.REPAIR}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert listed(response, ticket)


def test_full_page_wires_htmx_to_the_table(agent_client):
    body = agent_client.get(URL).content.decode()
    assert 'hx-target="#ticket-results"' in body
    assert 'hx-push-url="true"' in body


def test_office_filter_only_for_company_roles(client, agent, quality, make_ticket, office):
    ticket = make_ticket()
    client.force_login(agent)
    assert 'name="office"' not in client.get(URL).content.decode()
    client.force_login(quality)
    response = client.get(URL, {"office": office.pk})
    assert 'name="office"' in response.content.decode()
    assert listed(response, ticket)


def _count_queries(client, params):
    with count_queries() as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return ctx


def test_query_count_is_constant_whatever_the_rows_and_page_size(
    agent_client, make_ticket, office, agent, technician, free_item
):
    def varied(i):
        # Different customers, households, items and technicians, so a missing join would show.
        ticket = make_ticket(customer=f.CustomerFactory(office=office), item=f.ServiceItemFactory())
        if i % 2:
            ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="ok")
            services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)

    for i in range(3):
        varied(i)
    few = _count_queries(agent_client, {"per_page": 25})
    for i in range(27):
        varied(i)
    many = _count_queries(agent_client, {"per_page": 100})
    assert len(agent_client.get(URL, {"per_page": 100}).context["page"].object_list) == 30
    same_queries(few, many)


def test_company_role_picks_technicians_of_the_chosen_office(
    client, quality, office, technician, other_technician
):
    client.force_login(quality)
    body = client.get(URL).content.decode()
    assert technician.display_name not in body  # thousands of offices: none until one is looked for
    # The technician picker suggests the chosen office's technicians only (org.pickers).
    suggested = client.get(
        reverse("console:pick_staff"),
        {"role": "technician", "field": "technician", "technician": "", "office": office.code},
    ).content.decode()
    assert f'value="{technician.username}"' in suggested
    assert f'value="{other_technician.username}"' not in suggested
    # The picked username filters the list, and the page names the technician it shows.
    response = client.get(URL, {"office": office.code, "technician": technician.username})
    assert response.status_code == 200
    assert technician.display_name in response.content.decode()


def test_the_list_narrows_to_one_customer_or_household(client, agent, make_ticket, office):
    mine = make_ticket()
    neighbour = f.CustomerFactory(office=office, name="邻居")
    theirs = make_ticket(customer=neighbour)
    client.force_login(agent)
    by_customer = client.get("/console/requests/", {"customer": mine.customer_id}).content.decode()
    assert mine.number in by_customer and theirs.number not in by_customer
    by_household = client.get(
        "/console/requests/", {"household": theirs.household_id}
    ).content.decode()
    assert theirs.number in by_household and mine.number not in by_household
