"""M24 every request is an opportunity: the paid and special services a customer has not used
yet, the most relevant first, on the hotline's call screen, the customer's page and the portal."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.tickets.models import Channel, Kind
from propdesk.tickets.opportunities import customer_opportunities, opportunities_for_customers
from propdesk.tickets.services import ticket_create
from tests import factories as f
from tests.queries import assert_queries

pytestmark = pytest.mark.django_db


def later():
    return timezone.now() + dt.timedelta(minutes=1)


@pytest.fixture
def catalogue(office, other_office, free_item, paid_item):
    """Paid and special items worth offering, and those never offered."""
    return {
        "free": free_item,
        "repair": paid_item,  # 水电维修, ¥80
        "aircon": f.ServiceItemFactory(name="空调清洗", chargeable=True),
        "parcels": f.ServiceItemFactory(name="代收快递", is_special=True),  # special, no price
        "housekeeping": f.ServiceItemFactory(name="家政保洁", chargeable=True, office=office),
        "elsewhere": f.ServiceItemFactory(name="别处服务", chargeable=True, office=other_office),
        "retired": f.ServiceItemFactory(name="停用服务", chargeable=True, is_active=False),
        "outside": f.ServiceItemFactory(name="范围外服务", chargeable=True, in_scope=False),
    }


def ask(agent, customer, item, household=None):
    return ticket_create(
        actor=agent,
        customer=customer,
        household=household,
        kind=Kind.SERVICE,
        channel=Channel.HOTLINE,
        description="需要服务",
        item=item,
    )


@pytest.fixture
def neighbour(office, household):
    """A customer in another household of the same community."""
    community = household.unit.building.community
    home = f.HouseholdFactory(unit__building__community=community)
    return f.CustomerFactory(office=office, name="王芳", household=home)


@pytest.fixture
def history(agent, customer, household, office, neighbour, catalogue):
    """The customer asked for a repair; a member of their household for housekeeping; their
    neighbour for air-conditioner cleaning and housekeeping."""
    ask(agent, customer, catalogue["repair"], household)
    member = f.CustomerFactory(office=office, name="张小伟", household=household)
    ask(agent, member, catalogue["housekeeping"], household)
    ask(agent, customer, catalogue["free"], household)
    ask(agent, neighbour, catalogue["aircon"])
    ask(agent, neighbour, catalogue["housekeeping"])


def names(opportunities):
    return [o.item.name for o in opportunities]


def test_m24_only_unused_paid_and_special_services_most_relevant_first(
    customer, history, catalogue
):
    found = customer_opportunities(customer, now=later())
    # Used by the customer (repair) or their household (housekeeping): not offered. Free,
    # another office's, inactive and out-of-scope items: never offered. The neighbour's use
    # ranks air-conditioner cleaning first, then the special service, then the catalogue.
    assert names(found) == ["空调清洗", "代收快递"]
    assert found[0].neighbours == 1 and found[0].recent == 1 and found[0].office == 1
    assert found[1].neighbours == 0


def test_m24_another_households_use_does_not_exclude_it(neighbour, history, catalogue):
    found = names(customer_opportunities(neighbour, now=later()))
    # The neighbour used air-conditioning and housekeeping; the repair the first household
    # asked for is still worth offering them, with that household's use counted.
    assert "空调清洗" not in found and "家政保洁" not in found
    assert found[0] == "水电维修"
    assert set(found) == {"水电维修", "代收快递"}


def test_m24_older_and_further_use_ranks_below_the_neighbours_this_season(
    agent, customer, office, household, catalogue
):
    now = later()
    community = household.unit.building.community
    # Two households elsewhere in the office asked for parcels; one neighbour for aircon
    # this month: the neighbour counts first.
    for _i in range(2):
        ask(agent, f.CustomerFactory(office=office), catalogue["parcels"])
    ask(
        agent,
        f.CustomerFactory(
            office=office, household=f.HouseholdFactory(unit__building__community=community)
        ),
        catalogue["aircon"],
    )
    found = customer_opportunities(customer, now=now)
    assert names(found)[:2] == ["空调清洗", "代收快递"]
    assert found[1].office == 2 and found[1].neighbours == 0
    # A year on, none of it counts: special services first, then the catalogue's order.
    found = customer_opportunities(customer, now=now + dt.timedelta(days=366))
    assert names(found)[0] == "代收快递"
    assert set(names(found)) == {"代收快递", "家政保洁", "水电维修", "空调清洗"}


def test_m24_a_handful_at_most(customer, catalogue):
    for n in range(8):
        f.ServiceItemFactory(name=f"付费服务{n}", chargeable=True)
    assert len(customer_opportunities(customer)) == 5
    assert len(customer_opportunities(customer, limit=2)) == 2


def test_m24_suggestions_take_four_queries_for_one_customer_or_many(
    customer, neighbour, other_customer, history, office
):
    with assert_queries(4):
        opportunities_for_customers([customer], now=later())
    for _i in range(5):
        f.ServiceItemFactory(chargeable=True)
    newcomer = f.CustomerFactory(office=office)
    with assert_queries(4):
        found = opportunities_for_customers(
            [customer, neighbour, other_customer, newcomer], now=later()
        )
    assert "别处服务" in names(found[other_customer.pk])
    assert "别处服务" not in names(found[customer.pk])


# --- where they show ----------------------------------------------------------------------------


def section(html: str, start: str, end: str) -> str:
    match = re.search(re.escape(start) + r".*?" + re.escape(end), html, re.S)
    assert match, f"{start!r} not on the page"
    return match.group(0)


def test_m24_the_call_screen_offers_the_recognised_callers_suggestions(
    client, agent, customer, history, catalogue
):
    client.force_login(agent)
    url = reverse("console:hotline")
    html = client.get(url, {"number": "13912345678"}).content.decode()
    card = section(html, '<section class="opportunities"', "</section>")
    assert "空调清洗" in card and "代收快递" in card and "1 neighbouring household" in card
    assert "水电维修" not in card and "家政保洁" not in card and "管道疏通" not in card
    offer = re.search(rf'href="([^"]*item={catalogue["aircon"].pk}[^"]*)"', card)
    assert offer

    # "Offer" fills the call's intake form with the service and the caller chosen.
    page = client.get(url + offer.group(1).replace("&amp;", "&").split("#")[0]).content.decode()
    form = section(page, '<form id="intake"', "</form>")
    assert re.search(rf'<option value="{catalogue["aircon"].pk}" selected>', form)
    assert re.search(rf'value="{customer.pk}" checked', form)


def test_m24_the_customer_page_offers_the_suggestions(client, agent, customer, history, catalogue):
    client.force_login(agent)
    html = client.get(reverse("console:customer_detail", args=[customer.pk])).content.decode()
    card = section(html, '<article id="opportunities">', "</article>")
    assert "空调清洗" in card and "代收快递" in card and "家政保洁" not in card
    assert f"?customer={customer.pk}&amp;item={catalogue['aircon'].pk}" in card


def test_m24_the_portal_suggests_paid_services_and_asks_for_one(portal, history, catalogue):
    html = portal.get(reverse("portal:home")).content.decode()
    card = section(html, '<section id="suggestions">', "</section>")
    assert "空调清洗" in card and "代收快递" in card and "水电维修" not in card
    link = reverse("portal:request_new") + f"?item={catalogue['aircon'].pk}"
    assert link in card
    form = portal.get(link).content.decode()
    assert re.search(rf'<option value="{catalogue["aircon"].pk}" selected>', form)


def test_m24_the_recognition_api_lists_the_suggestions(api, agent, customer, history):
    api.force_authenticate(agent)
    body = api.get("/api/v1/hotline/recognise/", {"number": "13912345678"}).json()
    offered = body["customers"][0]["opportunities"]
    assert [o["name"] for o in offered] == ["空调清洗", "代收快递"]
    assert offered[0]["neighbours"] == 1 and offered[1]["is_special"] is True
