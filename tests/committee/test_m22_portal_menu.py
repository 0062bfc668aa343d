"""M22 in the portal's menu: the owners' committee is offered to those who sit on one (members and
customer representatives), not to every customer; the pages still refuse anyone else who finds
their address."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.committee import services

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def menu_offers_committee(client) -> bool:
    home = client.get(reverse("portal:hub"))  # the portal's community tab
    assert home.status_code == 200
    return f'href="{reverse("portal:committee")}"' in home.content.decode()


def test_m22_the_menu_offers_the_committee_to_a_member_and_a_representative(
    portal_as, chair, representative
):
    assert menu_offers_committee(portal_as(chair.customer))
    assert menu_offers_committee(portal_as(representative.customer))


def test_m22_the_menu_does_not_offer_the_committee_to_other_customers(portal_as, action, outsider):
    client = portal_as(outsider)
    assert not menu_offers_committee(client)
    # and typing its address is still refused
    response = client.get(reverse("portal:committee"))
    assert response.status_code == 403
    assert "更换3栋电梯控制板" not in response.content.decode()
    assert client.get(reverse("portal:committee_action", args=[action.pk])).status_code == 403


def test_m22_the_menu_stops_offering_it_when_the_term_ends(portal_as, director, chair):
    client = portal_as(chair.customer)
    assert menu_offers_committee(client)
    services.seat_update(
        actor=director,
        seat=chair,
        role="chair",
        term_from=chair.term_from,
        term_to=dt.date(2026, 6, 1),
        now=NOW,
    )
    assert not menu_offers_committee(client)
