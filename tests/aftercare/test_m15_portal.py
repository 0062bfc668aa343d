"""M15 in the resident portal and the customer API: "The problem came back" on a closed request,
within 90 days of its closing, opens rework (source portal); another customer's request is not
there at all; refusals change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.aftercare.models import FollowupCall
from propdesk.core.errors import Conflict
from propdesk.portal.auth import session_fields
from propdesk.portal.models import PortalAccount
from propdesk.portal.tokens import token_issue
from propdesk.tickets import services
from propdesk.tickets import services as ticket_services
from propdesk.tickets.models import ReworkSource, Status, Ticket

from .test_m15_rework import close, complete, snapshot

DAY = dt.timedelta(days=1)
API = "/api/v1/portal/requests/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def account(customer):
    return PortalAccount.objects.create(customer=customer, phone="+8613912345678")


@pytest.fixture
def portal(client, account):
    session = client.session
    session.update(session_fields(account))
    session.save()
    return client


@pytest.fixture
def customer_api(account):
    from rest_framework.test import APIClient

    _token, raw = token_issue(account=account)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def closed(dispatched, technician, agent):
    return close(complete(dispatched, technician), agent)


@pytest.fixture
def theirs(other_agent, other_customer, other_technician):
    """Another customer's closed repair, in another office."""
    ticket = services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind="repair",
        channel="hotline",
        description="阳台漏水",
    )
    ticket = services.ticket_confirm(actor=other_agent, ticket=ticket, confirmation="上门")
    ticket = services.ticket_dispatch(actor=other_agent, ticket=ticket, technician=other_technician)
    return close(complete(ticket, other_technician), other_agent)


def page(ticket):
    return reverse("portal:request", args=[ticket.pk])


def ask(client, ticket, complaint="又漏水了"):
    return client.post(
        reverse("portal:request_act", args=[ticket.pk, "rework"]), {"complaint": complaint}
    )


def test_m15_customer_opens_rework_of_a_closed_request_in_the_portal(
    portal, closed, technician, followup
):
    assert "The problem came back" in portal.get(page(closed)).content.decode()
    response = ask(portal, closed)
    rework = Ticket.objects.get(rework_of=closed)
    assert response.status_code == 302 and response.url == page(rework)
    assert (rework.status, rework.assignee_id) == (Status.DISPATCHED, technician.pk)
    call = FollowupCall.objects.get(ticket=rework)
    assert call.source == ReworkSource.PORTAL
    assert call.due_at == call.complained_at + dt.timedelta(hours=24) == rework.due_at
    body = portal.get(page(rework)).content.decode()
    assert f"Rework {rework.number} is opened" in body
    # Once a rework is under way, it is not offered again.
    assert "The problem came back" not in portal.get(page(closed)).content.decode()
    before = snapshot()
    assert ask(portal, closed).status_code == 409
    assert snapshot() == before


def test_m15_portal_rework_of_someone_elses_request_is_404(portal, theirs):
    before = snapshot()
    assert portal.get(page(theirs)).status_code == 404
    assert ask(portal, theirs).status_code == 404
    assert snapshot() == before


def test_m15_portal_rework_needs_a_description(portal, closed):
    before = snapshot()
    response = ask(portal, closed, complaint="  ")
    assert response.status_code == 400
    assert "Say what defect remains." in response.content.decode()
    assert snapshot() == before


def test_m15_portal_rework_only_on_a_closed_request(portal, dispatched, technician):
    completed = complete(dispatched, technician)
    # Completed, not yet confirmed: the customer says so in the confirmation instead.
    assert "The problem came back" not in portal.get(page(completed)).content.decode()
    before = snapshot()
    assert ask(portal, completed).status_code == 409
    assert snapshot() == before


def test_m15_portal_rework_within_90_days_of_the_closing(portal, closed, customer):
    closed_at = closed.closed_at
    assert ticket_services.customer_may_rework(closed, closed_at + 90 * DAY)
    assert not ticket_services.customer_may_rework(closed, closed_at + 91 * DAY)
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        ticket_services.rework_open_by_customer(
            customer=customer, original=closed, complaint="又漏", now=closed_at + 91 * DAY
        )
    assert refused.value.code == "rework_window_closed"
    assert snapshot() == before


# --- the customer API ----------------------------------------------------------------------------


def test_m15_customer_api_opens_rework(customer_api, closed):
    detail = customer_api.get(f"{API}{closed.pk}/").json()
    assert detail["can_rework"] is True
    response = customer_api.post(
        f"{API}{closed.pk}/rework/", {"complaint": "又漏水了"}, format="json"
    )
    assert response.status_code == 201, response.json()
    rework = Ticket.objects.get(rework_of=closed)
    assert response.json()["id"] == rework.pk
    assert FollowupCall.objects.get(ticket=rework).source == ReworkSource.PORTAL
    assert customer_api.get(f"{API}{closed.pk}/").json()["can_rework"] is False


def test_m15_customer_api_another_customers_request_is_404(customer_api, theirs):
    before = snapshot()
    response = customer_api.post(f"{API}{theirs.pk}/rework/", {"complaint": "又漏"}, format="json")
    assert response.status_code == 404
    assert snapshot() == before


def test_m15_customer_api_rework_needs_a_description(customer_api, closed):
    before = snapshot()
    response = customer_api.post(f"{API}{closed.pk}/rework/", {}, format="json")
    assert (response.status_code, response.json()["field"]) == (400, "complaint")
    assert snapshot() == before


def test_m15_customer_api_rework_of_a_request_not_closed_is_409(customer_api, make_ticket, agent):
    ticket = make_ticket()
    before = snapshot()
    response = customer_api.post(f"{API}{ticket.pk}/rework/", {"complaint": "又漏"}, format="json")
    assert (response.status_code, response.json()["field"]) == (409, "status")
    assert snapshot() == before
