"""The campaigns console's personas (M16): ``running`` is the June campaign launched at NOW
over ``office``'s three households (张伟 and two neighbours) and ``other_office``'s one; every
role of ``office`` and of the company, and ``other_director`` of ``other_office``; ``signed_in``
signs the test client in as one of them. The views read the real clock: it stands at NOW."""

import pytest

from propdesk.org.models import Role
from tests import factories as f

from .conftest import NOW

__all__ = ["clock", "neighbours", "other_director", "running", "signed_in", "staff"]


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def other_director(other_office):
    return f.UserFactory(username="other_director", role=Role.DIRECTOR, office=other_office)


@pytest.fixture
def staff(agent, technician, director, followup, quality, leadership, admin_user, other_director):
    """Everyone by a short name: the office's roles, the company's, and another office's."""
    return {
        "agent": agent,
        "technician": technician,
        "director": director,
        "followup": followup,
        "quality": quality,
        "leadership": leadership,
        "admin": admin_user,
        "other_director": other_director,
    }


@pytest.fixture
def signed_in(client, staff):
    def sign_in(who):
        client.force_login(staff[who] if isinstance(who, str) else who)
        return client

    return sign_in


@pytest.fixture
def neighbours(make_customer):
    return [make_customer(name="王芳"), make_customer(name="李娜")]


@pytest.fixture
def running(clock, make_campaign, customer, neighbours, other_customer):
    return make_campaign()
