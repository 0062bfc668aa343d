"""Shared personas: every test speaks of the same people.

``office`` and ``other_office`` belong to one company. ``agent``, ``technician`` and ``director``
work in ``office``; ``other_agent`` and ``other_technician`` in ``other_office``; ``followup``,
``quality``, ``leadership`` and ``admin`` are company roles. ``customer`` lives in ``office``.
"""

import os

import pytest
from django.conf import settings

from propdesk.org.models import Role
from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind
from tests import factories as f

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests skip on SQLite, except under CI where a missing database fails."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "postgres" in item.keywords and not on_postgres and not IN_CI:
            item.add_marker(
                pytest.mark.skip(
                    reason="needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/propdesk"
                )
            )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The sign-in rate per address (org.signin) counts in the cache: each test starts afresh.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing is deliberately slow; tests create many users and never need that strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def company(db):
    return f.CompanyFactory()


@pytest.fixture
def office(company):
    return f.OfficeFactory(company=company, name="翠苑管理处", code="cuiyuan")


@pytest.fixture
def other_office(company):
    return f.OfficeFactory(company=company, name="碧湖管理处", code="bihu")


@pytest.fixture
def agent(office):
    return f.UserFactory(
        username="agent", role=Role.AGENT, office=office, last_name="陈", first_name="静"
    )


@pytest.fixture
def technician(office):
    return f.UserFactory(
        username="tech", role=Role.TECHNICIAN, office=office, last_name="刘", first_name="强"
    )


@pytest.fixture
def technician2(office):
    return f.UserFactory(
        username="tech2", role=Role.TECHNICIAN, office=office, last_name="赵", first_name="刚"
    )


@pytest.fixture
def director(office):
    return f.UserFactory(
        username="director", role=Role.DIRECTOR, office=office, last_name="周", first_name="敏"
    )


@pytest.fixture
def other_agent(other_office):
    return f.UserFactory(username="other_agent", role=Role.AGENT, office=other_office)


@pytest.fixture
def other_technician(other_office):
    return f.UserFactory(username="other_tech", role=Role.TECHNICIAN, office=other_office)


@pytest.fixture
def followup(company):
    return f.UserFactory(username="followup", role=Role.FOLLOWUP, office=None)


@pytest.fixture
def quality(company):
    return f.UserFactory(username="quality", role=Role.QUALITY, office=None)


@pytest.fixture
def leadership(company):
    return f.UserFactory(username="leader", role=Role.LEADERSHIP, office=None)


@pytest.fixture
def admin_user(company):
    return f.UserFactory(
        username="admin", role=Role.ADMIN, office=None, is_staff=True, is_superuser=True
    )


@pytest.fixture
def customer(office):
    return f.CustomerFactory(office=office, name="张伟", phone="+8613912345678")


@pytest.fixture
def household(customer):
    return customer.households.get()


@pytest.fixture
def other_customer(other_office):
    return f.CustomerFactory(office=other_office, name="孙丽")


@pytest.fixture
def free_item():
    return f.ServiceItemFactory(name="管道疏通")


@pytest.fixture
def paid_item():
    return f.ServiceItemFactory(name="水电维修", chargeable=True)


@pytest.fixture
def api(client):
    """A DRF test client; ``api.force_authenticate(user)`` to act as someone."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def make_ticket(agent, customer):
    """A new repair request from ``customer``, received by ``agent`` on the hotline."""

    def make(*, item=None, kind=Kind.REPAIR, actor=None, **kwargs):
        return services.ticket_create(
            actor=actor or agent,
            customer=kwargs.pop("customer", customer),
            kind=kind,
            channel=kwargs.pop("channel", Channel.HOTLINE),
            description=kwargs.pop("description", "厨房水管漏水"),
            item=item,
            **kwargs,
        )

    return make


@pytest.fixture
def confirmed(make_ticket, agent, free_item):
    ticket = make_ticket(item=free_item)
    return services.ticket_confirm(
        actor=agent, ticket=ticket, confirmation="明天上午上门, 更换水管接头"
    )


@pytest.fixture
def dispatched(confirmed, agent, technician):
    return services.ticket_dispatch(actor=agent, ticket=confirmed, technician=technician)


@pytest.fixture
def portal(client, customer):
    """A browser signed in to the resident portal as ``customer``."""
    from propdesk.portal.auth import session_fields
    from propdesk.portal.models import PortalAccount

    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    session = client.session
    session.update(session_fields(account))
    session.save()
    return client


@pytest.fixture
def customer_api(customer):
    """An app signed in to the customer API (/api/v1/portal/) as ``customer``, with a token."""
    from rest_framework.test import APIClient

    from propdesk.portal.models import PortalAccount
    from propdesk.portal.tokens import token_issue

    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    _token, raw = token_issue(account=account)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    client.raw_token = raw
    return client
