"""``propdesk demo``: builds only into an empty database, and says what it built."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from propdesk.org.models import Office, User
from propdesk.tickets.models import Ticket
from tests import factories as f


def run_demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def test_demo_builds_a_company_and_prints_a_summary(db, fast_hasher):
    output = run_demo(scale=0.02, seed=3)

    assert Office.objects.count() == 3
    assert Ticket.objects.exists()
    assert "Requests by status" in output
    assert "tickets.Ticket" in output and "customers.Customer" in output


def test_demo_refuses_a_database_that_has_offices(db):
    office = f.OfficeFactory()
    users = User.objects.count()

    with pytest.raises(CommandError, match="only into an empty database"):
        run_demo(scale=0.02)

    assert list(Office.objects.all()) == [office]
    assert User.objects.count() == users
    assert not Ticket.objects.exists()


def test_demo_refuses_when_a_demo_login_is_taken(db, fast_hasher):
    f.UserFactory(username="admin", office=None, role="admin")

    with pytest.raises(CommandError, match="admin already exist"):
        run_demo(scale=0.02)

    assert not Office.objects.exists()
    assert User.objects.count() == 1


@pytest.mark.parametrize("scale", ["0", "-1"])
def test_demo_refuses_a_scale_that_is_not_positive(db, scale):
    with pytest.raises(CommandError, match="more than zero"):
        call_command("demo", "--scale", scale, stdout=io.StringIO())

    assert not Office.objects.exists()
