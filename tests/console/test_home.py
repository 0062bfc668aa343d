"""My work: what is late, due soon, waiting to be confirmed, accepted or dispatched."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from propdesk.tickets import services

URL = reverse("console:home")


def section(body: str, key: str) -> str:
    match = re.search(rf'<section id="{key}".*?</section>', body, re.S)
    assert match, f"no section {key}"
    return match.group(0)


def has(html: str, ticket, view="ticket_detail") -> bool:
    return f'href="{reverse(f"console:{view}", args=[ticket.pk])}"' in html


def test_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_empty_sections_say_so(client, agent):
    client.force_login(agent)
    body = client.get(URL).content.decode()
    for key in ["overdue", "due_soon", "to_confirm", "awaiting_acceptance", "to_dispatch"]:
        assert "Nothing here." in section(body, key)


def test_m09_agent_sees_each_kind_of_work_in_its_section(
    client, agent, new_ticket, paid_item, free_item
):
    now = timezone.now()
    late = new_ticket(now=now - dt.timedelta(days=2))
    soon = new_ticket(requested_deadline=now + dt.timedelta(hours=1))
    confirmed = services.ticket_confirm(
        actor=agent, ticket=new_ticket(item=free_item), confirmation="ok"
    )
    quoted = services.ticket_confirm(
        actor=agent, ticket=new_ticket(item=paid_item), confirmation="ok"
    )
    services.quote_create(actor=agent, ticket=quoted, lines=[{"item": paid_item}])

    client.force_login(agent)
    body = client.get(URL).content.decode()
    overdue = section(body, "overdue")
    assert has(overdue, late) and not has(overdue, soon)
    assert 'class="badge red">overdue' in overdue
    assert has(section(body, "due_soon"), soon)
    assert has(section(body, "to_confirm"), late) and not has(
        section(body, "to_confirm"), confirmed
    )
    assert has(section(body, "awaiting_acceptance"), quoted)
    assert has(section(body, "to_dispatch"), confirmed)
    # Counts in the headings.
    assert re.search(r'Overdue <span class="badge red">1</span>', overdue)
    assert re.search(r'To confirm <span class="badge ">2</span>', section(body, "to_confirm"))


def test_other_offices_work_is_not_shown(client, other_agent, new_ticket):
    ticket = new_ticket()
    client.force_login(other_agent)
    assert not has(client.get(URL).content.decode(), ticket)


def test_technician_sees_his_work_orders_overdue_first(
    client, agent, technician, technician2, new_ticket, free_item
):
    now = timezone.now()

    def dispatch(tech, **kwargs):
        ticket = services.ticket_confirm(
            actor=agent, ticket=new_ticket(item=free_item, **kwargs), confirmation="ok"
        )
        return services.ticket_dispatch(actor=agent, ticket=ticket, technician=tech)

    later = dispatch(technician, requested_deadline=now + dt.timedelta(days=2))
    late = dispatch(technician, now=now - dt.timedelta(days=2))
    not_his = dispatch(technician2)

    client.force_login(technician)
    body = client.get(URL).content.decode()
    mine = section(body, "my-workorders")
    assert has(mine, late, "workorder") and has(mine, later, "workorder")
    assert not has(mine, not_his, "workorder")
    link = f'href="{reverse("console:workorder", args=[late.pk])}"'
    assert mine.index(link) < mine.index(reverse("console:workorder", args=[later.pk]))
    assert 'class="tap late"' in mine
    assert "to_dispatch" not in body  # an agent's sections are not his


def test_technician_without_work_sees_an_empty_state(client, technician):
    client.force_login(technician)
    assert "No open work orders." in client.get(URL).content.decode()
