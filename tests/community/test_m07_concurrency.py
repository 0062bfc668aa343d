"""M07 on PostgreSQL: many customers registering for the last places at the same moment never
take more places than there are; the rest wait, in order."""

import pytest

from propdesk.community import services
from propdesk.community.models import Registration
from propdesk.core.errors import Conflict
from tests.tickets.test_concurrency import run_together

from .conftest import NOW

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_m07_a_rush_for_the_last_places_never_overfills(open_activity, make_customer):
    customers = [make_customer() for _ in range(6)]
    results = run_together(
        *(
            (lambda c=c: services.register(activity=open_activity, customer=c, now=NOW))
            for c in customers
        )
    )
    assert all(isinstance(r, Registration) for r in results), results
    states = sorted(r.state for r in results)
    assert states == ["confirmed"] * 2 + ["waiting"] * 4
    assert services.seats_taken(open_activity) == open_activity.capacity == 2


def test_m07_the_same_customer_twice_at_once_registers_once(open_activity, customer):
    results = run_together(
        lambda: services.register(activity=open_activity, customer=customer, now=NOW),
        lambda: services.register(activity=open_activity, customer=customer, now=NOW),
    )
    assert sum(isinstance(r, Registration) for r in results) == 1, results
    (refused,) = [r for r in results if not isinstance(r, Registration)]
    assert isinstance(refused, Conflict) and refused.code == "already_registered"
    assert open_activity.registrations.count() == 1
