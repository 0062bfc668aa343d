"""M19: two handlers on one complaint. Every change raises the complaint's version, and a change
made against an older one is refused (409 ``stale_version``, ``field`` ``version``) in the API
(``version`` in the body or ``If-Match``) and on the complaint's page, changing nothing; the
clock job's escalation raises it too."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from propdesk.complaints.lifecycle import COMPLAINTS, actions_for
from propdesk.complaints.models import Complaint, Escalation
from propdesk.complaints.services import clocks, handling, intake
from propdesk.core.errors import DomainError

from .conftest import NOW

pytestmark = pytest.mark.django_db
S, Owner = Complaint.State, Complaint.Owner
STALE = "Someone else changed this complaint meanwhile. Reload it and try again."
URL = "/api/v1/complaints/"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW + dt.timedelta(hours=1), tick=False)
    return time_machine


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(complaint, name="") -> str:
    return f"{URL}{complaint.pk}/" + (f"{name}/" if name else "")


def _version_of(complaint) -> int:
    return Complaint.objects.values_list("version", flat=True).get(pk=complaint.pk)


def _written(file):
    """A complaint sent in writing: it waits for its first response."""
    return file(channel="forum", listened=False, understanding="", explanation="")


def _meanwhile(complaint, actor) -> None:
    """Someone else changes the complaint without moving its state: its version goes up."""
    handling.complaint_reclassify(
        actor=actor, complaint=complaint, reason="补充: 客户索赔", involves_compensation=False
    )


def _unchanged(complaint, **expected) -> None:
    before = complaint.ticket.events.count()
    complaint.refresh_from_db()
    for name, value in expected.items():
        assert getattr(complaint, name) == value, name
    assert complaint.ticket.events.count() == before


RESPOND = {"understanding": "理解您", "explanation": "今天下午处理", "channel": "hotline"}


# --- the version --------------------------------------------------------------------------------


def test_every_change_raises_the_version_by_one(file, agent):
    complaint = _written(file)
    assert _version_of(complaint) == 1
    steps = [
        lambda c: handling.complaint_respond(actor=agent, complaint=c, **RESPOND),
        lambda c: _meanwhile(c, agent),
        lambda c: handling.complaint_resolve(actor=agent, complaint=c, resolution="已清理"),
    ]
    for expected, step in enumerate(steps, start=2):
        step(Complaint.objects.get(pk=complaint.pk))
        assert _version_of(complaint) == expected


def test_a_refused_change_leaves_the_version_as_it_was(file, agent):
    complaint = file()
    with pytest.raises(DomainError):
        handling.complaint_escalate(actor=agent, complaint=complaint, reason=" ")
    assert _version_of(complaint) == 1


def test_a_stale_version_is_refused_by_the_service_and_nothing_changes(file, agent):
    complaint = file()
    _meanwhile(complaint, agent)
    with pytest.raises(DomainError) as refused:
        handling.complaint_resolve(
            actor=agent, complaint=complaint, resolution="已清理", expected_version=1
        )
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        409,
        "stale_version",
        "version",
    )
    assert str(refused.value.message) == STALE
    _unchanged(complaint, state=S.IN_PROGRESS, resolution="", version=2)


def test_the_clock_jobs_escalation_raises_the_version(customer, quality):
    complaint = intake.complaint_file_by_customer(
        customer=customer, account="保安不让快递进门", category="security", now=NOW
    )
    version = _version_of(complaint)
    clocks.clock_alerts(now=NOW + dt.timedelta(hours=19))  # a reminder changes nothing
    assert _version_of(complaint) == version
    clocks.clock_alerts(now=NOW + dt.timedelta(hours=25))
    complaint.refresh_from_db()
    assert complaint.owner == Owner.QUALITY and complaint.version == version + 1
    clocks.clock_alerts(now=NOW + dt.timedelta(hours=26))  # once only
    assert _version_of(complaint) == version + 1


# --- the API ------------------------------------------------------------------------------------


def test_api_the_detail_carries_the_version_and_its_etag(file, agent):
    complaint = file()
    answer = _api(agent).get(_url(complaint))
    assert answer.status_code == 200
    assert answer.json()["version"] == 1 and answer["ETag"] == '"1"'


@pytest.mark.parametrize("how", ["body", "if_match"])
@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("respond", RESPOND, {"state": S.RECEIVED, "first_responded_at": None}),
        ("resolve", {"resolution": "已清理并消毒"}, {"state": S.IN_PROGRESS, "resolution": ""}),
        ("escalate", {"reason": "涉及外包合同"}, {"owner": Owner.SERVICE_CENTER}),
    ],
)
def test_api_a_stale_change_is_refused_and_changes_nothing(file, agent, how, name, body, expected):
    complaint = _written(file) if name == "respond" else file()
    api = _api(agent)
    seen = api.get(_url(complaint)).json()["version"]
    if name == "respond":
        # Someone else changes it meanwhile, leaving it still to be responded to.
        handling.complaint_reclassify(actor=agent, complaint=complaint, reason="补充")
    else:
        _meanwhile(complaint, agent)
    headers = {"HTTP_IF_MATCH": f'"{seen}"'} if how == "if_match" else {}
    data = {**body, "version": seen} if how == "body" else body
    answer = api.post(_url(complaint, name), data, format="json", **headers)
    assert answer.status_code == 409, answer.json()
    assert answer.json()["code"] == "stale_version" and answer.json()["field"] == "version"
    assert answer.json()["detail"] == STALE
    _unchanged(complaint, version=seen + 1, **expected)
    assert not Escalation.objects.exists()


@pytest.mark.parametrize("how", ["body", "if_match"])
@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("respond", RESPOND),
        ("resolve", {"resolution": "已清理并消毒"}),
        ("escalate", {"reason": "x"}),
    ],
)
def test_api_a_fresh_change_goes_through_and_raises_the_version(file, agent, how, name, body):
    complaint = _written(file) if name == "respond" else file()
    api = _api(agent)
    seen = api.get(_url(complaint)).json()["version"]
    headers = {"HTTP_IF_MATCH": f'W/"{seen}"'} if how == "if_match" else {}
    data = {**body, "version": seen} if how == "body" else body
    answer = api.post(_url(complaint, name), data, format="json", **headers)
    assert answer.status_code == 200, answer.json()
    assert answer.json()["version"] == seen + 1 and answer["ETag"] == f'"{seen + 1}"'


def test_api_a_bad_if_match_is_400(file, agent):
    complaint = file()
    answer = _api(agent).post(
        _url(complaint, "resolve"), {"resolution": "已清理"}, format="json", HTTP_IF_MATCH="x"
    )
    assert answer.status_code == 400 and answer.json()["field"] == "version"
    _unchanged(complaint, state=S.IN_PROGRESS, version=1)


def test_api_closing_takes_the_version_too(file, agent):
    complaint = file()
    _meanwhile(complaint, agent)
    answer = _api(agent).post(_url(complaint, "close"), {"version": 1}, format="json")
    assert answer.status_code == 409 and answer.json()["code"] == "stale_version"


# --- the console --------------------------------------------------------------------------------


def _page(complaint) -> str:
    return reverse("console:complaint", args=[complaint.pk])


def _post(complaint, name) -> str:
    return reverse(f"console:complaint_{name}", args=[complaint.pk])


def test_console_the_action_forms_carry_the_version_shown(client, file, agent):
    complaint = file()
    _meanwhile(complaint, agent)
    client.force_login(agent)
    page = client.get(_page(complaint)).content.decode()
    assert '<input type="hidden" name="version" value="2">' in page


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("respond", RESPOND, {"state": S.RECEIVED, "first_responded_at": None}),
        ("resolve", {"resolution": "已清理并消毒"}, {"state": S.IN_PROGRESS, "resolution": ""}),
        ("escalate", {"reason": "涉及外包合同"}, {"owner": Owner.SERVICE_CENTER}),
    ],
)
def test_console_a_stale_form_is_refused_on_the_page_and_changes_nothing(
    client, file, agent, name, data, expected
):
    complaint = _written(file) if name == "respond" else file()
    if name == "respond":
        handling.complaint_reclassify(actor=agent, complaint=complaint, reason="补充")
    else:
        _meanwhile(complaint, agent)
    client.force_login(agent)
    response = client.post(_post(complaint, name), {**data, "version": 1})
    assert response.status_code == 409
    assert STALE in response.content.decode()
    _unchanged(complaint, version=2, **expected)
    assert not Escalation.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("respond", RESPOND),
        ("resolve", {"resolution": "已清理并消毒"}),
        ("escalate", {"reason": "x"}),
    ],
)
def test_console_a_fresh_form_goes_through_and_raises_the_version(client, file, agent, name, data):
    complaint = _written(file) if name == "respond" else file()
    client.force_login(agent)
    response = client.post(_post(complaint, name), {**data, "version": 1})
    assert response.status_code == 302
    assert _version_of(complaint) == 2


def test_console_a_stale_close_is_refused(client, file, agent):
    complaint = file()
    _meanwhile(complaint, agent)
    client.force_login(agent)
    response = client.post(_post(complaint, "close"), {"version": 1})
    assert response.status_code == 409 and STALE in response.content.decode()
    _unchanged(complaint, state=S.IN_PROGRESS, closed_at=None)


# --- the lifecycle ------------------------------------------------------------------------------


def test_the_table_offers_what_the_services_accept(file, agent, quality):
    complaint = _written(file)
    assert actions_for(agent, complaint, plans=[], report=None)[:1] == ["respond"]
    assert "respond" not in actions_for(quality, complaint, plans=[], report=None)  # not hers
    handling.complaint_respond(actor=agent, complaint=complaint, **RESPOND)
    complaint.refresh_from_db()
    assert "respond" not in COMPLAINTS.actions_for(agent, complaint)
    with pytest.raises(DomainError) as refused:
        COMPLAINTS.check(complaint, "respond")
    assert str(refused.value.message) == "The complaint has already been responded to."
    assert (refused.value.code, refused.value.field) == ("transition_not_allowed", "state")


def test_a_company_level_complaint_resolves_only_after_its_plan(file, agent, quality):
    complaint = handling.complaint_escalate(actor=agent, complaint=file(), reason="需公司协调")
    offered = actions_for(quality, complaint, plans=[], report=None)
    assert "plan_issue" in offered and "resolve" not in offered
    assert "plan_issue" not in actions_for(agent, complaint, plans=[], report=None)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("escalate", {"reason": "涉及外包合同"}),
        ("resolve", {"resolution": "已清理"}),
        ("close", {}),
    ],
)
def test_api_a_change_without_a_version_is_428_and_changes_nothing(file, agent, name, body):
    complaint = file()
    if body is None:
        body = {
            "cause_category": "service",
            "cause_analysis": "保洁排班不足",
            "substantiated": True,
        }
    before = _version_of(complaint)
    response = _api(agent).post(_url(complaint, name), body, format="json")
    assert response.status_code == 428, response.content
    assert (response.json()["code"], response.json()["field"]) == ("version_required", "version")
    assert _version_of(complaint) == before
