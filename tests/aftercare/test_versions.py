"""After service's two records that several people change carry a version (M13 follow-up calls,
M14 defect watches): a change made against an older one is refused (409 ``stale_version``) in the
API (body ``version`` or ``If-Match``) and in the console, and changes nothing; a fresh one goes
through and raises the version. What the API offers (``allowed_actions``) is exactly what the
services accept, from one table (``aftercare.lifecycle``)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from propdesk.aftercare.lifecycle import DEFECT_WATCHES, FOLLOWUP_CALLS
from propdesk.aftercare.models import DefectWatch, FollowupCall
from propdesk.aftercare.services import defects, followups
from propdesk.core.errors import DomainError
from propdesk.org.models import Role
from tests import factories as f

from . import test_m13_api as m13
from . import test_m14_services as shared
from .test_m13_console import record_url
from .test_m14_services import png, snapshot
from .test_m14_views import page_of

sampled = m13.sampled
leak_item = shared.leak_item
repaired = shared.repaired
watch = shared.watch

CALLS = "/api/v1/followup-calls/"
WATCHES = "/api/v1/defect-watches/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def other_director(other_office):
    return f.UserFactory(username="other_director", role=Role.DIRECTOR, office=other_office)


class _Undo(Exception):
    """Raised inside a savepoint to undo a change that went through."""


def accepted(tries: dict) -> list[str]:
    """The actions whose service goes through (each undone at once), in the order given."""
    names = []
    for name, run in tries.items():
        try:
            with transaction.atomic():
                run()
                raise _Undo
        except _Undo:
            names.append(name)
        except DomainError:
            pass
    return names


def call_state(call) -> tuple:
    call.refresh_from_db()
    return call.state, call.attempts, call.satisfied, call.version, call.attempts_made.count()


# --- M13: follow-up calls -----------------------------------------------------------------------


def test_m13_a_calls_detail_carries_its_version_as_etag(api, sampled, followup):
    api.force_authenticate(followup)
    response = api.get(f"{CALLS}{sampled['mine'].pk}/")
    body = response.json()
    assert body["version"] == 1 and response["ETag"] == '"1"'
    assert body["allowed_actions"] == ["attempt", "outcome"] and body["can_record"] is True


def test_m13_a_fresh_change_goes_through_and_raises_the_version(api, sampled, followup):
    call = sampled["mine"]
    api.force_authenticate(followup)
    tried = api.post(f"{CALLS}{call.pk}/attempt/", {"reached": False, "version": 1}, format="json")
    assert tried.status_code == 200, tried.json()
    assert tried.json()["version"] == 2 and tried["ETag"] == '"2"'
    answered = api.post(
        f"{CALLS}{call.pk}/outcome/", {"satisfied": True}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert answered.status_code == 200, answered.json()
    assert answered.json()["version"] == 3 and answered.json()["state"] == "done"
    assert answered.json()["allowed_actions"] == []


@pytest.mark.parametrize("how", ["body", "if_match"])
def test_m13_a_stale_change_is_refused_in_the_api_and_changes_nothing(api, sampled, followup, how):
    call = sampled["mine"]
    followups.call_attempt(actor=followup, call=call, reached=False)  # someone tried meanwhile
    before = call_state(call)
    assert before[3] == 2
    api.force_authenticate(followup)
    url = f"{CALLS}{call.pk}/outcome/"
    if how == "body":
        response = api.post(url, {"satisfied": True, "version": 1}, format="json")
    else:
        response = api.post(url, {"satisfied": True}, format="json", HTTP_IF_MATCH='W/"1"')
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["field"]) == ("stale_version", "version")
    assert "follow-up call" in body["detail"]
    assert call_state(call) == before


def test_m13_a_bad_if_match_is_bad_input(api, sampled, followup):
    api.force_authenticate(followup)
    call = sampled["mine"]
    response = api.post(
        f"{CALLS}{call.pk}/attempt/", {"reached": False}, format="json", HTTP_IF_MATCH="soon"
    )
    assert response.status_code == 400 and response.json()["field"] == "version"
    assert call_state(call)[3] == 1


def test_m13_the_console_card_carries_the_version(client, sampled, followup):
    client.force_login(followup)
    page = client.get(f"/console/followups/{sampled['mine'].pk}/").content.decode()
    assert 'name="version" value="1"' in page


def test_m13_a_stale_change_is_refused_on_the_page_and_changes_nothing(client, sampled, followup):
    call = sampled["mine"]
    followups.call_attempt(actor=followup, call=call, reached=True)
    before = call_state(call)
    client.force_login(followup)
    response = client.post(record_url(call), {"outcome": "satisfied", "version": 1})
    assert response.status_code == 409
    assert "follow-up call meanwhile" in response.content.decode()
    assert call_state(call) == before


def test_m13_a_fresh_change_on_the_page_raises_the_version(client, sampled, followup):
    call = sampled["mine"]
    client.force_login(followup)
    response = client.post(record_url(call), {"outcome": "unreached", "version": 1})
    assert response.status_code == 302
    state, attempts, _satisfied, version, _tries = call_state(call)
    assert (state, attempts, version) == ("open", 1, 2)


def _call_tries(call, user) -> dict:
    return {
        "attempt": lambda: followups.call_attempt(actor=user, call=call, reached=False),
        "outcome": lambda: followups.call_outcome(actor=user, call=call, satisfied=True),
    }


@pytest.mark.parametrize("who", ["followup", "director", "agent", "other_director", "colleague"])
def test_m13_allowed_actions_are_what_the_services_accept(
    api, request, sampled, followup, director, agent, other_director, who
):
    user = (
        f.UserFactory(role=Role.FOLLOWUP, office=None)  # a specialist the call is not assigned to
        if who == "colleague"
        else request.getfixturevalue(who)
    )
    call = sampled["mine"]
    offered = FOLLOWUP_CALLS.actions_for(user, call)
    assert offered == accepted(_call_tries(call, user))
    assert offered == (["attempt", "outcome"] if who == "followup" else [])
    api.force_authenticate(user)
    response = api.get(f"{CALLS}{call.pk}/")
    if who == "other_director":
        assert response.status_code == 404  # another office's call is not found
    else:
        assert response.json()["allowed_actions"] == offered
    # Once the call is done, nobody may record anything more on it.
    followups.call_outcome(actor=followup, call=call, satisfied=True)
    call.refresh_from_db()
    assert FOLLOWUP_CALLS.actions_for(user, call) == accepted(_call_tries(call, user)) == []


def test_m13_the_weekly_draw_makes_calls_at_version_one(sampled):
    assert set(FollowupCall.objects.values_list("version", flat=True)) == {1}


# --- M14: defect watches -----------------------------------------------------------------------


def test_m14_a_watchs_detail_carries_its_version_as_etag(api, director, watch):
    api.force_authenticate(director)
    response = api.get(f"{WATCHES}{watch.pk}/")
    assert response.json()["version"] == 1 and response["ETag"] == '"1"'
    assert response.json()["allowed_actions"] == ["inspect", "reassign", "close"]


def test_m14_fresh_changes_go_through_and_raise_the_version(api, director, technician, watch):
    api.force_authenticate(director)
    moved = api.post(
        f"{WATCHES}{watch.pk}/reassign/",
        {"watcher": technician.pk, "interval_days": 20},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["version"] == 2 and moved["ETag"] == '"2"'
    api.force_authenticate(technician)
    assert api.get(f"{WATCHES}{watch.pk}/").json()["allowed_actions"] == ["inspect"]
    recorded = api.post(
        f"{WATCHES}{watch.pk}/inspections/1/record/",
        {"findings": "dry", "result": "clean", "version": "2", "photos": [png()]},
        format="multipart",
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["version"] == 3  # the next inspection is due: the watch changed
    api.force_authenticate(director)
    closed = api.post(
        f"{WATCHES}{watch.pk}/close/", {"reason": "moved out", "version": 3}, format="json"
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["version"] == 4 and closed.json()["state"] == "closed"
    assert closed.json()["allowed_actions"] == []


@pytest.mark.parametrize("action", ["record", "reassign", "close"])
@pytest.mark.parametrize("how", ["body", "if_match"])
def test_m14_a_stale_change_is_refused_in_the_api_and_changes_nothing(
    api, director, technician, watch, action, how
):
    defects.watch_reassign(actor=director, watch=watch, watcher=director, interval_days=20)
    before = snapshot(watch)
    assert watch.version == 2
    api.force_authenticate(director)
    url, data, fmt = {
        "record": (
            f"{WATCHES}{watch.pk}/inspections/1/record/",
            {"findings": "dry", "result": "clean"},
            "multipart",
        ),
        "reassign": (f"{WATCHES}{watch.pk}/reassign/", {"watcher": technician.pk}, "json"),
        "close": (f"{WATCHES}{watch.pk}/close/", {"reason": "moved out"}, "json"),
    }[action]
    if how == "body":
        response = api.post(url, {**data, "version": 1}, format=fmt)
    else:
        response = api.post(url, data, format=fmt, HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["field"]) == ("stale_version", "version")
    assert "defect watch" in body["detail"]
    assert snapshot(watch) == before and watch.version == 2


def test_m14_the_console_forms_carry_the_version(client, director, watch):
    client.force_login(director)
    page = client.get(page_of(watch)).content.decode()
    assert page.count('name="version" value="1"') == 3  # record, reassign, close


@pytest.mark.parametrize("action", ["record", "reassign", "close"])
def test_m14_a_stale_change_is_refused_on_the_page_and_changes_nothing(
    client, director, technician, watch, action
):
    defects.watch_reassign(actor=director, watch=watch, watcher=director, planned_inspections=4)
    before = snapshot(watch)
    data = {
        "record": {"findings": "dry", "result": "clean"},
        "reassign": {"watcher": technician.pk, "interval_days": 30, "planned_inspections": 3},
        "close": {"reason": "moved out", "confirm": "on"},
    }[action]
    client.force_login(director)
    response = client.post(page_of(watch, action), {**data, "version": 1})
    assert response.status_code == 409
    assert "defect watch meanwhile" in response.content.decode()
    assert snapshot(watch) == before and watch.version == 2


def test_m14_a_fresh_change_on_the_page_raises_the_version(client, director, watch):
    client.force_login(director)
    response = client.post(
        page_of(watch, "close"), {"reason": "moved out", "confirm": "on", "version": 1}
    )
    assert response.status_code == 302
    watch.refresh_from_db()
    assert (watch.state, watch.version) == (DefectWatch.State.CLOSED, 2)


def _watch_tries(watch, user, technician, inspection) -> dict:
    now = timezone.now()
    return {
        "inspect": lambda: defects.inspection_record(
            actor=user,
            inspection=inspection,
            findings="dry",
            result="clean",
            now=now,
        ),
        "reassign": lambda: defects.watch_reassign(
            actor=user, watch=watch, watcher=technician, interval_days=10, now=now
        ),
        "close": lambda: defects.watch_close(actor=user, watch=watch, reason="moved", now=now),
    }


@pytest.mark.parametrize(
    "who", ["director", "technician", "agent", "followup", "other_director", "designated"]
)
def test_m14_allowed_actions_are_what_the_services_accept(
    api, request, director, technician, agent, followup, other_director, watch, who
):
    if who == "designated":
        defects.watch_reassign(actor=director, watch=watch, watcher=agent)
        watch.refresh_from_db()
        user = agent
    else:
        user = request.getfixturevalue(who)
    tries = _watch_tries(watch, user, technician, watch.inspections.get())
    offered = DEFECT_WATCHES.actions_for(user, watch)
    assert offered == accepted(tries)
    assert offered == {
        "director": ["inspect", "reassign", "close"],
        "designated": ["inspect"],
    }.get(who, [])
    api.force_authenticate(user)
    response = api.get(f"{WATCHES}{watch.pk}/")
    if who == "other_director":
        assert response.status_code == 404  # another office's watch is not found
    else:
        assert response.json()["allowed_actions"] == offered
    # A closed watch offers nothing, and every change is refused.
    defects.watch_close(actor=director, watch=watch, reason="moved")
    watch.refresh_from_db()
    assert DEFECT_WATCHES.actions_for(user, watch) == []
    assert accepted(tries) == []


def test_m14_the_reminder_job_raises_no_version(watch):
    due = watch.inspections.get().due_at
    told = defects.defect_inspection_reminders(now=due + dt.timedelta(hours=1))
    assert told["overdue"] == 1
    watch.refresh_from_db()
    assert watch.version == 1


# --- no version at all: 428 -------------------------------------------------------------------


def _refused_without_version(response):
    assert response.status_code == 428, response.content
    body = response.json()
    assert (body["code"], body["field"]) == ("version_required", "version")
    assert "If-Match" in body["detail"]


def test_m13_a_change_to_a_call_without_a_version_is_428_and_changes_nothing(sampled, followup):
    api = APIClient()
    api.force_authenticate(followup)
    call = sampled["mine"]
    before = call_state(call)
    for action, body in (("attempt", {"reached": False}), ("outcome", {"satisfied": True})):
        _refused_without_version(api.post(f"{CALLS}{call.pk}/{action}/", body, format="json"))
    assert call_state(call) == before


def test_m14_a_change_to_a_watch_without_a_version_is_428_and_changes_nothing(
    director, technician, watch
):
    api = APIClient()
    api.force_authenticate(director)
    before = snapshot(watch)
    url = f"{WATCHES}{watch.pk}/"
    _refused_without_version(api.post(f"{url}reassign/", {"watcher": technician.pk}, format="json"))
    _refused_without_version(api.post(f"{url}close/", {"reason": "业主要求"}, format="json"))
    assert snapshot(watch) == before
