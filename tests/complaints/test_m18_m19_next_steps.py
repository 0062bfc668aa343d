"""What may happen next to a complaint is decided once, by ``complaints.lifecycle.COMPLAINTS``:
a step its state or its level does not allow is neither offered (the console's page, the API's
``actions``) nor let through by the service, which refuses it with the documented status and
code (docs/api.md). Here for a closed complaint, and for staff of the wrong level."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from propdesk.complaints.models import Complaint
from propdesk.complaints.services import handling, prevention
from propdesk.core.errors import Conflict, Forbidden

from .conftest import NOW, close_out

pytestmark = pytest.mark.django_db
S, Owner = Complaint.State, Complaint.Owner
NOT_YOURS = "This complaint is handled at another level: you may not do this."


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _api_url(complaint, name="") -> str:
    return f"/api/v1/complaints/{complaint.pk}/" + (f"{name}/" if name else "")


def _page(client, user, complaint):
    client.force_login(user)
    return client.get(reverse("console:complaint", args=[complaint.pk]))


def _as_it_was(complaint):
    """The complaint's state, version and timeline, to compare after a refusal."""
    complaint.refresh_from_db()
    return complaint.state, complaint.version, complaint.owner, complaint.ticket.events.count()


def test_m19_a_closed_complaint_offers_nothing_and_closing_again_is_refused(file, agent, client):
    complaint = close_out(file(), handler=agent)
    before = _as_it_was(complaint)
    api = _api(agent)
    body = api.get(_api_url(complaint)).json()
    assert body["state"] == S.CLOSED and body["actions"] == []
    page = _page(client, agent, complaint).content.decode()
    assert reverse("console:complaint_close", args=[complaint.pk]) not in page
    assert "Nothing for you to do on this complaint now." in page

    again = api.post(_api_url(complaint, "close"), {"version": body["version"]}, format="json")
    assert again.status_code == 409, again.json()
    assert (again.json()["code"], again.json()["field"]) == ("closed", "state")
    assert again.json()["detail"] == "The complaint is already closed."
    cause = {"cause_category": "staff", "cause_analysis": "x", "version": body["version"]}
    late = api.post(_api_url(complaint, "cause"), cause, format="json")
    assert (late.status_code, late.json()["code"]) == (409, "closed")
    with pytest.raises(Conflict) as refused:
        handling.complaint_close(actor=agent, complaint=complaint, now=NOW)
    assert (refused.value.code, refused.value.field) == ("closed", "state")

    # The console's closing page refuses at once too, rather than offering its button.
    client.force_login(agent)
    confirm = client.get(reverse("console:complaint_close", args=[complaint.pk]))
    assert confirm.status_code == 409
    assert "The complaint is already closed." in confirm.content.decode()
    assert _as_it_was(complaint) == before


def test_m18_staff_of_another_level_are_offered_nothing_and_refused(file, agent, quality, client):
    complaint = file()
    handling.complaint_escalate(actor=agent, complaint=complaint, reason="需公司协调", now=NOW)
    before = _as_it_was(complaint)
    assert before[2] == Owner.QUALITY

    # Quality handles it now: its steps are offered to Quality...
    offered = _api(quality).get(_api_url(complaint)).json()["actions"]
    assert {"escalate", "plan_issue", "cause", "measure_add"} <= set(offered)
    # ...and to the office's agent, who still sees it, none of them.
    api = _api(agent)
    body = api.get(_api_url(complaint)).json()
    assert body["actions"] == []
    page = _page(client, agent, complaint).content.decode()
    assert "Nothing for you to do on this complaint now." in page
    assert 'id="action-cause"' not in page and 'id="action-escalate"' not in page

    cause = {"cause_category": "staff", "cause_analysis": "漏扫", "version": body["version"]}
    refused = api.post(_api_url(complaint, "cause"), cause, format="json")
    assert refused.status_code == 403, refused.json()
    assert (refused.json()["code"], refused.json()["detail"]) == ("not_your_level", NOT_YOURS)
    up = api.post(_api_url(complaint, "escalate"), {"reason": "x", "version": body["version"]})
    assert (up.status_code, up.json()["code"]) == (403, "not_your_level")
    with pytest.raises(Forbidden) as err:
        prevention.measure_add(
            actor=agent,
            complaint=complaint,
            description="核对",
            owner=agent,
            due_on=NOW.date(),
            now=NOW,
        )
    assert err.value.code == "not_your_level"
    client.force_login(agent)
    posted = client.post(
        reverse("console:complaint_cause", args=[complaint.pk]),
        {"cause_category": "staff", "cause_analysis": "漏扫", "version": body["version"]},
    )
    assert posted.status_code == 403 and NOT_YOURS in posted.content.decode()
    assert _as_it_was(complaint) == before
