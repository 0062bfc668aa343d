"""The portal's pages: sign in, one's own households and requests only, switching unit."""

import re

from propdesk.core.models import Notification
from tests import factories as f


def test_signing_in_with_a_code_in_the_browser(client, customer):
    client.post("/portal/login/", {"action": "ask", "ask-phone": "13912345678"})
    code = re.search(r"\b(\d{6})\b", Notification.objects.get(event="portal.code").body).group(1)
    response = client.post(
        "/portal/login/", {"action": "code", "code-phone": "13912345678", "code-code": code}
    )
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert customer.name in client.get("/portal/").content.decode()


def test_a_wrong_code_shows_the_message(client, customer):
    response = client.post(
        "/portal/login/", {"action": "code", "code-phone": "13912345678", "code-code": "000000"}
    )
    assert response.status_code == 400
    assert "The mobile number or the code is not right." in response.content.decode()


def test_the_portal_needs_signing_in(client, db):
    assert client.get("/portal/")["Location"] == "/portal/login/"


def test_m01_a_customer_sees_only_their_own_households_and_requests(
    portal, customer, make_ticket, other_customer, agent, office
):
    mine = make_ticket()
    neighbour = f.CustomerFactory(office=office, name="邻居")
    theirs = make_ticket(customer=neighbour)
    page = portal.get("/portal/").content.decode()
    assert mine.number in page and theirs.number not in page
    assert customer.households.get().address in page
    assert neighbour.households.get().address not in page


def test_switching_between_ones_units(portal, customer, office, make_ticket):
    second = f.HouseholdFactory(unit__building__community__office=office)
    customer.residences.create(household=second, kind="owner")
    there = make_ticket(household=second)
    assert portal.post(f"/portal/households/{second.pk}/switch/").status_code == 302
    page = portal.get("/portal/").content.decode()
    assert second.address in page and there.number in page


def test_switching_to_someone_elses_unit_is_not_found(portal, other_customer):
    theirs = other_customer.households.get()
    assert portal.post(f"/portal/households/{theirs.pk}/switch/").status_code == 404
