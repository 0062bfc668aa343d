"""Owners' committee personas: ``committee`` is ``office``'s, established a year before ``NOW``;
``customer`` (an owner) is its chair and ``representative`` (a tenant) a customer
representative; ``outsider`` lives in ``office`` but holds no seat; ``other_committee`` is
``other_office``'s, with ``other_customer`` as its member. ``NOW`` is the clock every service call
runs at."""

import datetime as dt

import pytest

from propdesk.committee import services
from propdesk.customers.models import Customer
from propdesk.org.models import Department
from tests import factories as f

NOW = dt.datetime(2026, 6, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Wednesday
YEAR_AGO = dt.date(2025, 6, 1)
HELD = NOW - dt.timedelta(days=2)
DUE = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def committee(director, office):
    return services.committee_create(
        actor=director, office=office, name="翠苑业主委员会", established_on=YEAR_AGO, now=NOW
    )


@pytest.fixture
def chair(committee, director, customer):
    return services.seat_add(
        actor=director,
        committee=committee,
        customer=customer,
        kind="member",
        role="chair",
        term_from=YEAR_AGO,
        term_to=dt.date(2030, 5, 31),
        now=NOW,
    )


@pytest.fixture
def representative(committee, director, office):
    tenant = f.CustomerFactory(office=office, name="李强", kind=Customer.Kind.TENANT)
    return services.seat_add(
        actor=director,
        committee=committee,
        customer=tenant,
        kind="representative",
        term_from=YEAR_AGO,
        now=NOW,
    )


@pytest.fixture
def outsider(office):
    return f.CustomerFactory(office=office, name="王芳")


@pytest.fixture
def other_committee(other_office, admin_user, other_customer):
    committee = services.committee_create(
        actor=admin_user, office=other_office, name="碧湖业委会", established_on=YEAR_AGO, now=NOW
    )
    services.seat_add(
        actor=admin_user,
        committee=committee,
        customer=other_customer,
        kind="member",
        term_from=YEAR_AGO,
        now=NOW,
    )
    return committee


@pytest.fixture
def department(office, company):
    return Department.objects.create(
        company=company, office=office, kind=Department.Kind.ENGINEERING, name="工程部"
    )


@pytest.fixture
def planned(committee, agent):
    return services.meeting_plan(
        actor=agent,
        committee=committee,
        planned_for=HELD,
        place="会所二楼会议室",
        agenda="电梯维保；绿化",
        now=HELD - dt.timedelta(days=7),
    )


@pytest.fixture
def held(planned, agent, director, chair, representative):
    return services.meeting_hold(
        actor=agent,
        meeting=planned,
        minutes="讨论了电梯维保与绿化。",
        staff=[agent, director],
        seats=[chair, representative],
        opinions=[("3栋电梯经常停运", chair), "东门绿化带杂草多"],
        now=NOW,
    )


@pytest.fixture
def action(held, director, agent, department):
    item = held.items.order_by("pk").first()
    return services.item_act(
        actor=director,
        item=item,
        title="更换3栋电梯控制板",
        owner=agent,
        department=department,
        due_on=DUE,
        now=NOW,
    )


@pytest.fixture
def portal_as(client):
    """Sign ``client`` in to the portal as any customer."""
    from propdesk.portal.auth import session_fields
    from propdesk.portal.models import PortalAccount

    def sign_in(customer):
        phone = customer.phones.first().number
        account = PortalAccount.objects.create(customer=customer, phone=phone)
        session = client.session
        session.update(session_fields(account))
        session.save()
        return client

    return sign_in


@pytest.fixture
def api_as():
    """An app signed in to the customer API as any customer."""
    from rest_framework.test import APIClient

    from propdesk.portal.models import PortalAccount
    from propdesk.portal.tokens import token_issue

    def sign_in(customer):
        phone = customer.phones.first().number
        account = PortalAccount.objects.create(customer=customer, phone=phone)
        _token, raw = token_issue(account=account)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        return client

    return sign_in
