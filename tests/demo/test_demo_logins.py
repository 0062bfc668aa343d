"""The demo logins table that ``propdesk serve`` prints: only logins that work."""

import io

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import translation

from propdesk.demo import data
from propdesk.demo.logins import DEMO_LOGINS, DEMO_OFFICE, DEMO_PASSWORD, print_logins
from propdesk.org.models import OFFICE_ROLES, Role
from tests import factories as f


@pytest.fixture
def demo_users(db, fast_hasher):
    office = f.OfficeFactory(name=DEMO_OFFICE, code="cuiyuan")
    users = {}
    for username, label, _office in DEMO_LOGINS:
        role = next(r for r in Role if r.label == label)
        users[username] = f.UserFactory(
            username=username,
            role=role,
            office=office if role in OFFICE_ROLES else None,
            password=DEMO_PASSWORD,
        )
    return users


def printed() -> str:
    out = io.StringIO()
    print_logins(out)
    return out.getvalue()


def test_demo_logins_name_every_role_once_and_the_demo_office():
    assert sorted(label for _u, label, _o in DEMO_LOGINS) == sorted(r.label for r in Role)
    assert data.OFFICES[0]["name"] == DEMO_OFFICE


def test_prints_every_demo_login_with_the_password_and_office(demo_users):
    output = printed()

    assert DEMO_PASSWORD in output
    for username, _label, _office in DEMO_LOGINS:
        assert f"  {username} " in output
    assert DEMO_OFFICE in output


def test_leaves_out_a_login_whose_password_was_changed(demo_users):
    demo_users["admin"].set_password("a-secret-of-its-own")
    demo_users["admin"].save()

    output = printed()

    assert "  admin " not in output
    assert "  agent " in output


def test_leaves_out_a_deactivated_login(demo_users):
    demo_users["leader"].is_active = False
    demo_users["leader"].save()

    assert "  leader " not in printed()


def test_prints_nothing_when_there_are_no_demo_logins(db):
    assert printed() == ""


def test_prints_the_demo_residents_portal_login(demo_users):
    from propdesk.portal.models import PortalAccount

    customer = f.CustomerFactory(office=demo_users["agent"].office)
    PortalAccount.objects.create(
        customer=customer, phone="+8613912345678", password=make_password(DEMO_PASSWORD)
    )
    with translation.override("en"):
        assert "mobile 139 1234 5678, the same password" in printed()
