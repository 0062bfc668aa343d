"""Phone numbers by need: every role × every place a customer's number is shown × whose number.

Full for the office staff who serve the customer and the company roles that call customers
(``customer.see_phone``); for a technician only on a work order of his that is still open; masked
(``139****5678``) everywhere else, for everyone else. Each case is a real page or API answer."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from propdesk.core.permissions import allowed
from propdesk.hotline.models import Call
from propdesk.org.models import Role
from propdesk.tickets.models import Status, Ticket
from tests import factories as f

from .test_permissions import COMPANY, ROLES

FULL = {"agent", "director", "followup", "quality", "admin"}

# whose number: (E.164, as staff read it in full, masked)
NUMBERS = {
    "open": ("+8613912345678", "139 1234 5678", "139****5678"),  # his open work order's customer
    "done": ("+8613922223333", "139 2222 3333", "139****3333"),  # his completed work order's
    "other": ("+8613933334444", "139 3333 4444", "139****4444"),  # no work of his
    "other_office": ("+8613944445555", "139 4444 5555", "139****5555"),
}


@pytest.fixture
def world(db, office, other_office, technician, dispatched, customer, agent, free_item):
    """Customers whose numbers are shown, a work order of the technician's still open
    (``dispatched``, for ``customer``) and one completed, and a call from each number."""
    done = f.CustomerFactory(office=office, name="李娜", phone=NUMBERS["done"][0])
    other = f.CustomerFactory(office=office, name="王强", phone=NUMBERS["other"][0])
    far = f.CustomerFactory(office=other_office, name="孙丽", phone=NUMBERS["other_office"][0])
    finished = Ticket.objects.create(
        number="T-DONE-1",
        office=office,
        customer=done,
        household=done.households.get(),
        kind=dispatched.kind,
        channel=dispatched.channel,
        status=Status.COMPLETED,
        assignee=technician,
        description="换灯泡",
        due_at=timezone.now(),
        created_by=agent,
    )
    lines = {
        office.pk: f.HotlineLineFactory(office=office),
        other_office.pk: f.HotlineLineFactory(office=other_office),
    }
    for c in (customer, done, other, far):
        Call.objects.create(
            line=lines[c.office_id],
            office_id=c.office_id,
            caller_number=c.phones.get().number,
            caller_e164=c.phones.get().number,
            state=Call.State.ENDED,
            started_at=timezone.now(),
            customer=c,
        )
    return {
        "customers": {"open": customer, "done": done, "other": other, "other_office": far},
        "tickets": {"open": dispatched, "done": finished},
    }


def _person(role, office, technician):
    if role == "technician":
        return technician
    return f.UserFactory(
        role=Role(role), office=None if role in COMPANY else office, is_superuser=role == "admin"
    )


def _places(world):
    """(place, whose, how to fetch it): pages and API answers that show a customer's number."""
    c, t = world["customers"], world["tickets"]
    places = []
    for whose in ("open", "done", "other", "other_office"):
        pk = c[whose].pk
        places += [
            ("console: customer list", whose, "console", reverse("console:customer_list")),
            (
                "console: customer page",
                whose,
                "console",
                reverse("console:customer_detail", args=[pk]),
            ),
            ("console: call log", whose, "console", reverse("console:call_list")),
            (
                "console: customer search",
                whose,
                "console",
                reverse("console:ticket_customer_search") + f"?q={c[whose].name}",
            ),
            ("api: customer list", whose, "api", "/api/v1/customers/?page_size=100"),
            ("api: customer detail", whose, "api", f"/api/v1/customers/{pk}/"),
            ("api: call log", whose, "api", "/api/v1/hotline/calls/"),
            ("api: customer history", whose, "api", f"/api/v1/customers/{pk}/history/"),
            (
                "api: caller recognition",
                whose,
                "api",
                f"/api/v1/hotline/recognise/?number={NUMBERS[whose][0][3:]}",
            ),
        ]
    for whose in ("open", "done"):
        pk = t[whose].pk
        places += [
            (
                "console: request page",
                whose,
                "console",
                reverse("console:ticket_detail", args=[pk]),
            ),
            ("console: work order", whose, "console", reverse("console:workorder", args=[pk])),
        ]
    return places


def _full_expected(role, place, whose) -> bool:
    if whose == "other_office" and role not in COMPANY:
        return False  # not even found
    if role == "technician":
        return whose == "open" and place in ("console: request page", "console: work order")
    return role in FULL


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_which_number_where(role, world, office, technician, client):
    user = _person(role, office, technician)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    wrong = []
    shown_somewhere = False
    for place, whose, kind, url in _places(world):
        e164, full, masked = NUMBERS[whose]
        response = (client if kind == "console" else api).get(url)
        body = response.content.decode()
        shows_full = full in body or e164 in body or f"tel:{e164}" in body
        if kind == "api" and place == "api: caller recognition":
            # The number asked about is echoed back: only the customers' numbers count.
            shows_full = body.count(e164) > 1
        expected = _full_expected(role, place, whose) and response.status_code == 200
        if shows_full != expected:
            wrong.append((place, whose, response.status_code, "full" if shows_full else "not full"))
        if response.status_code == 200 and masked in body:
            shown_somewhere = True
            if expected:
                wrong.append((place, whose, 200, "masked although allowed"))
    assert not wrong, wrong
    if role not in FULL:
        assert shown_somewhere  # the masked number is there, not just nothing


def test_the_technicians_work_order_has_a_call_button_only_while_open(client, world, technician):
    client.force_login(technician)
    page = client.get(reverse("console:workorder", args=[world["tickets"]["open"].pk]))
    assert 'class="wo-call" role="button" href="tel:+8613912345678"' in page.content.decode()
    closed = client.get(reverse("console:workorder", args=[world["tickets"]["done"].pk]))
    body = closed.content.decode()
    assert "wo-call" not in body and "tel:" not in body
    assert "139****3333" in body


def test_a_technician_loses_the_number_when_the_work_order_passes_to_another(
    world, technician, technician2
):
    ticket = world["tickets"]["open"]
    assert allowed(technician, "customer.see_phone", ticket)
    ticket.assignee = technician2
    assert not allowed(technician, "customer.see_phone", ticket)
    assert not allowed(technician, "customer.see_phone", world["customers"]["open"])
