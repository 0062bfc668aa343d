"""The permission matrix, through the API: every role × every request action × own office and
another office, on real records. Allowed means the action is not refused for who you are (it may
still be refused for the request's state, 409, or the input, 400); another office's request is
never found by office staff (404)."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.tickets import services
from tests import factories as f

from .test_permissions import COMPANY, EXPECTED, ROLES

# endpoint → (permission in the matrix, body)
ENDPOINTS = {
    "confirm": ("ticket.confirm", {"confirmation": "已确认"}),
    "answer": ("ticket.answer", {"answer": "已答复"}),
    "decline": ("ticket.decline", {"explanation": "不在服务范围"}),
    "quote": ("ticket.quote", {"lines": [{"item": "PAID"}]}),
    "dispatch": ("ticket.dispatch", {"technician": "TECH2"}),
    "transfer": ("ticket.transfer", {"technician": "TECH2", "reason": "请假"}),
    "hand-back": ("ticket.hand_back", {"reason": "需要专业厂家"}),
    "start": ("ticket.work", {}),
    "extend": (
        "ticket.extend",
        {
            "new_due_at": "LATER",
            "reason": "等配件",
            "customer_agreed": True,
            "contact_summary": "电话",
        },
    ),
    "complete": ("ticket.complete", {"work_summary": "修好", "final_charge": "0"}),
    "customer-confirm": ("ticket.record_satisfaction", {"satisfied": True}),
    "cancel": ("ticket.cancel", {"reason": "客户取消"}),
    "contacts": ("contact.record", {"channel": "hotline", "direction": "out", "summary": "回电"}),
}


@pytest.fixture
def people(db, office):
    from propdesk.org.models import Role

    return {
        role: f.UserFactory(
            role=Role(role),
            office=None if role in COMPANY else office,
            is_superuser=role == "admin",
        )
        for role in ROLES
    }


def _work_order(office, customer, technician):
    """A request of ``office``, dispatched to ``technician``: every action has something to act on."""
    agent = f.UserFactory(role="agent", office=office)
    item = f.ServiceItemFactory()
    ticket = services.ticket_create(
        actor=agent,
        customer=customer,
        kind="repair",
        channel="hotline",
        description="漏水",
        item=item,
    )
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="上门")
    return services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)


def _body(template, paid_item, technician2):
    later = (timezone.now() + dt.timedelta(days=3)).isoformat()
    swap = {"PAID": paid_item.pk, "TECH2": technician2.pk, "LATER": later}

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return swap.get(value, value) if isinstance(value, str) else value

    return fill(template)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_api_permission_matrix(
    api, people, office, other_office, customer, other_customer, paid_item, technician2, endpoint
):
    permission, template = ENDPOINTS[endpoint]
    body = _body(template, paid_item, technician2)
    other_tech = f.UserFactory(role="technician", office=other_office)
    for role, user in people.items():
        # The technician persona holds the work order, so his assignee-only actions apply to it.
        holder = user if role == "technician" else f.UserFactory(role="technician", office=office)
        own = _work_order(office, customer, holder)
        other = _work_order(other_office, other_customer, other_tech)
        api.force_authenticate(user)
        mine = api.post(
            f"/api/v1/tickets/{own.pk}/{endpoint}/", {**body, "version": own.version}, format="json"
        )
        theirs = api.post(
            f"/api/v1/tickets/{other.pk}/{endpoint}/",
            {**body, "version": other.version},
            format="json",
        )

        permitted = role in EXPECTED[permission]
        if permitted:
            assert mine.status_code not in (403, 404), (role, endpoint, mine.json())
        else:
            assert mine.status_code == 403, (role, endpoint, mine.status_code)
        if role not in COMPANY:
            assert theirs.status_code == 404, (role, endpoint, "other office", theirs.status_code)
        elif not permitted:
            assert theirs.status_code == 403, (role, endpoint, "other office")
        else:
            assert theirs.status_code not in (403, 404), (role, endpoint, "other office")
