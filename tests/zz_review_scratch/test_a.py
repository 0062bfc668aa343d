import json
import pytest
from decimal import Decimal
from django.test import Client
from propdesk.hotline.models import Call, HotlineLine
from propdesk.catalog.models import ServiceItem
from tests import factories as f


def show(r):
    body = r.content[:400]
    print(r.status_code, body)
    return r.status_code


@pytest.fixture
def c500():
    return Client(raise_request_exception=False)


def test_staff_office_superscript(api, agent):
    api.force_authenticate(agent)
    api.raise_request_exception = False
    r = api.get("/api/v1/staff/?office=²")
    show(r)


def test_console_ticket_list_superscript(c500, followup):
    c500.force_login(followup)
    r = c500.get("/console/requests/?office=²")
    show(r)


def test_console_call_list_superscript(c500, followup):
    c500.force_login(followup)
    r = c500.get("/console/hotline/calls/?office=²")
    show(r)


def test_cti_cross_office(api, agent, office, other_office):
    line = f.HotlineLineFactory(office=office, kind=HotlineLine.Kind.SERVICE, number="+8675588100002")
    oline = f.HotlineLineFactory(office=other_office, kind=HotlineLine.Kind.SERVICE, number="+8675588200002")
    oc = f.CustomerFactory(office=other_office, name="孙丽", phone="+8613911112222")
    # other office's call, reported by the phone system
    from propdesk.hotline import services
    call, _ = services.call_event(call_id="B-1", event="ringing", line_number="+8675588200002", caller_number="+8613911112222")
    assert call.customer_id == oc.pk
    api.force_authenticate(agent)
    r = api.post("/api/v1/hotline/calls/", {"call_id": "B-1", "event": "answered", "line_number": "+8675588100002", "caller_number": "", "agent": "agent"}, format="json")
    show(r)
    call.refresh_from_db()
    print("state", call.state, "handler", call.handler_id, "office", call.office_id, "agent", agent.pk)


def test_catalog_item_other_office(api, director, other_office):
    cat = f.ServiceCategoryFactory()
    api.force_authenticate(director)
    r = api.post("/api/v1/catalog/items/", {"category": cat.pk, "office": other_office.pk, "name": "x", "pricing": "free"}, format="json")
    show(r)


def test_quote_overflow(api, agent, make_ticket, c500):
    item = f.ServiceItemFactory(name="z", pricing=ServiceItem.Pricing.FROM, price=Decimal("1.00"))
    t = make_ticket(item=item)
    from propdesk.tickets import services
    services.ticket_confirm(actor=agent, ticket=t, confirmation="ok")
    api.force_authenticate(agent)
    api.raise_request_exception = False
    r = api.post(f"/api/v1/tickets/{t.pk}/quote/", {"lines": [{"item": item.pk, "quantity": "999999.99", "unit_price": "99999999.99"}]}, format="json")
    show(r)
    r2 = api.get(f"/api/v1/tickets/{t.pk}/")
    print("detail after:", r2.status_code)
    c500.force_login(agent)
    print("console detail after:", c500.get(f"/console/requests/{t.pk}/").status_code)
    from propdesk.tickets.models import Quote
    print("quotes stored:", Quote.objects.count())


@pytest.mark.parametrize("url", [
    "/api/v1/contacts/?customer=99999999999999999999",
    "/api/v1/tickets/?office=99999999999999999999",
    "/api/v1/tickets/?technician=99999999999999999999",
    "/api/v1/technicians/?office=99999999999999999999",
    "/api/v1/staff/?office=99999999999999999999",
    "/api/v1/buildings/?community=99999999999999999999",
    "/api/v1/units/?building=99999999999999999999",
    "/api/v1/hotline/calls/?office=99999999999999999999",
    "/api/v1/hotline/calls/?handler=99999999999999999999",
    "/api/v1/hotline/shifts/?line=99999999999999999999",
    "/api/v1/hotline/gaps/?office=99999999999999999999",
    "/api/v1/hotline/recognise/?number=13912345678&office=99999999999999999999",
    "/api/v1/catalog/items/?office=99999999999999999999",
    "/api/v1/catalog/items/?category=99999999999999999999",
    "/api/v1/tickets/99999999999999999999/",
    "/api/v1/customers/99999999999999999999/",
    "/api/v1/households/99999999999999999999/",
    "/api/v1/communities/99999999999999999999/",
    "/api/v1/buildings/99999999999999999999/",
    "/api/v1/units/99999999999999999999/",
    "/api/v1/hotline/calls/99999999999999999999/",
    "/api/v1/catalog/items/99999999999999999999/",
    "/api/v1/catalog/categories/99999999999999999999/",
    "/api/v1/communities/abc/",
    "/api/v1/hotline/calls/abc/",
    "/api/v1/catalog/items/abc/",
    "/api/v1/tickets/?created_from=2024-13-45",
    "/api/v1/hotline/calls/?date_from=xx",
    "/api/v1/hotline/shifts/?start=xx",
])
def test_huge_get(api, agent, followup, url):
    for u in (agent, followup):
        api.force_authenticate(u)
        api.raise_request_exception = False
        r = api.get(url)
        print(u.username, url, r.status_code, r.content[:200])
        assert r.status_code != 500
