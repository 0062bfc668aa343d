"""M16 follow-up: who may do what, role × action × whose office. Office staff act on their own
office's follow-ups (another office's is not found); company roles on every office's; a
technician and company leadership do not follow up; public replies are quality's company-wide
and a director's to his own office's customers."""

import pytest

from propdesk.core.errors import Forbidden, NotFound
from propdesk.surveys.models import FollowUp
from propdesk.surveys.services.followups import followup_open_request, followup_record
from propdesk.surveys.services.replies import reply_publish

from .followups_fixtures import *  # noqa: F403
from .followups_fixtures import AFTER

pytestmark = pytest.mark.django_db

OK, NO, HIDDEN = "ok", Forbidden, NotFound
ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin_user"]

# action → role → (own office, other office)
FOLLOWUP_MATRIX = {
    "agent": (OK, HIDDEN),
    "technician": (NO, HIDDEN),
    "director": (OK, HIDDEN),
    "followup": (OK, OK),
    "quality": (OK, OK),
    "leadership": (NO, NO),
    "admin_user": (OK, OK),
}
# role → (company-wide, own office, other office)
REPLY_MATRIX = {
    "agent": (NO, NO, HIDDEN),
    "technician": (NO, NO, HIDDEN),
    "director": (NO, OK, HIDDEN),
    "followup": (NO, NO, NO),
    "quality": (OK, OK, OK),
    "leadership": (NO, NO, NO),
    "admin_user": (OK, OK, OK),
}


def _followup(customer) -> FollowUp:
    return FollowUp.objects.get(household=customer.households.get(), kind="callback")


def _outcome(expected, call) -> None:
    if expected == OK:
        call()
    else:
        with pytest.raises(expected):
            call()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", [0, 1], ids=["own", "other"])
def test_m16_recording_an_outcome_by_role_and_office(request, opened, role, whose):
    actor = request.getfixturevalue(role)
    customer = request.getfixturevalue("customer" if whose == 0 else "other_customer")
    expected = FOLLOWUP_MATRIX[role][whose]
    _outcome(
        expected,
        lambda: followup_record(
            actor=actor, followup=_followup(customer), outcome="已回访", now=AFTER
        ),
    )
    assert _followup(customer).state == ("done" if expected == OK else "open")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("whose", [0, 1], ids=["own", "other"])
def test_m16_opening_a_request_by_role_and_office(request, opened, role, whose):
    actor = request.getfixturevalue(role)
    customer = request.getfixturevalue("customer" if whose == 0 else "other_customer")
    expected = FOLLOWUP_MATRIX[role][whose]
    _outcome(
        expected,
        lambda: followup_open_request(actor=actor, followup=_followup(customer), now=AFTER),
    )
    assert (_followup(customer).ticket_id is not None) == (expected == OK)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", [0, 1, 2], ids=["company", "own", "other"])
def test_m16_publishing_a_reply_by_role_and_audience(request, round_, role, where):
    actor = request.getfixturevalue(role)
    office = [None, request.getfixturevalue("office"), request.getfixturevalue("other_office")]
    expected = REPLY_MATRIX[role][where]
    _outcome(
        expected,
        lambda: reply_publish(
            actor=actor,
            campaign=round_["campaign"],
            topic="电梯",
            body="将更换电梯。",
            office=office[where],
            now=AFTER,
        ),
    )
