"""The portal's front page takes as many queries with many requests and to-dos as with few."""

import pytest
from django.urls import reverse

from propdesk.tickets import services
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def add(n, *, make_ticket, agent, technician, paid_item, free_item, household):
    """``n`` of each: a fee waiting, a new deadline proposed, work to confirm, a plain request."""
    for _ in range(n):
        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=paid_item, household=household), confirmation="x"
        )
        services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])

        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=free_item, household=household), confirmation="x"
        )
        ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
        services.extension_propose(
            actor=agent, ticket=ticket, new_due_at=ticket.due_at.replace(year=2099), reason="等配件"
        )

        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=free_item, household=household), confirmation="x"
        )
        ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
        for step in ticket.checklist.all():
            services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk)
        ticket.refresh_from_db()
        services.ticket_complete(actor=technician, ticket=ticket, work_summary="好了")

        make_ticket(household=household)


def test_the_home_does_not_grow_with_requests_and_todos(
    portal, make_ticket, agent, technician, paid_item, free_item, household
):
    kw = {
        "make_ticket": make_ticket,
        "agent": agent,
        "technician": technician,
        "paid_item": paid_item,
        "free_item": free_item,
        "household": household,
    }
    add(1, **kw)
    portal.get(reverse("portal:home"))  # warm
    with count_queries() as few:
        page = portal.get(reverse("portal:home")).content.decode()
    assert page.count("Accept or decline the fee") == 1
    add(4, **kw)
    with count_queries() as many:
        page = portal.get(reverse("portal:home")).content.decode()
    assert page.count("Accept or decline the fee") == 5
    assert page.count("The work is done: confirm it and rate it") == 5
    same_queries(few, many)
