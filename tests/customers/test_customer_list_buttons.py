"""The customer list offers the roster import only to the roles that may import."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _list(client, user):
    client.force_login(user)
    response = client.get(reverse("console:customer_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_agent_is_not_offered_the_roster_import(client, agent):
    assert reverse("console:customer_import") not in _list(client, agent)


def test_a_director_is_offered_the_roster_import(client, director):
    assert reverse("console:customer_import") in _list(client, director)
