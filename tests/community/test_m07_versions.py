"""M07: an activity's version and lifecycle. Two people changing one activity cannot silently
overwrite each other: a change sent with the version it was made against (the API's ``version``
or If-Match, the console's hidden field) is refused with 409 when someone changed the activity
meanwhile, and changes nothing. What the API offers (``allowed_actions``) and the console shows
is what the services accept."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse

from propdesk.community import services
from propdesk.community.lifecycle import ACTIVITIES, REGISTRATIONS
from propdesk.community.models import Activity
from propdesk.core.errors import DomainError
from propdesk.org.models import Role
from tests import factories as f

from .conftest import NOW, START

pytestmark = pytest.mark.django_db

LIST = "/api/v1/activities/"
STALE = "Someone else changed this activity meanwhile. Reload it and try again."


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def other_director(other_office):
    return f.UserFactory(username="other_director", role=Role.DIRECTOR, office=other_office)


def detail(activity) -> str:
    return f"{LIST}{activity.pk}/"


def _stale(activity, director):
    """Someone else changes the activity: its version moves on from the one first read."""
    seen = activity.version
    services.activity_update(actor=director, activity=activity, description="场地已确认。")
    activity.refresh_from_db()
    assert activity.version == seen + 1
    return seen


def _refused_stale(response, activity):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["field"] == "version"
    assert body["detail"] == STALE


# --- the services -----------------------------------------------------------------------------


def test_m07_versions_each_change_raises_the_version(make_activity, agent, director, customer):
    activity = make_activity()
    assert activity.version == 1
    activity = services.activity_update(actor=agent, activity=activity, title="新标题")
    assert activity.version == 2
    # Nothing changed: nothing saved, the version stays.
    activity = services.activity_update(actor=agent, activity=activity, title="新标题")
    assert activity.version == 2
    activity = services.activity_publish(
        actor=director, activity=activity, notify_customers=False, expected_version=2
    )
    assert activity.version == 3
    # A registration changes the places taken, not the activity: the version stays.
    services.register(activity=activity, customer=customer, actor=agent)
    activity.refresh_from_db()
    assert activity.version == 3
    activity = services.activity_cancel(
        actor=director, activity=activity, reason="暴雨预警", expected_version=3
    )
    assert activity.version == 4


def test_m07_versions_a_stale_version_changes_nothing(make_activity, agent, director):
    activity = make_activity()
    seen = _stale(activity, agent)
    for call in (
        lambda: services.activity_update(
            actor=agent, activity=activity, title="改名", expected_version=seen
        ),
        lambda: services.activity_publish(
            actor=director, activity=activity, notify_customers=False, expected_version=seen
        ),
        lambda: services.activity_cancel(
            actor=director, activity=activity, reason="取消", expected_version=seen
        ),
    ):
        with pytest.raises(DomainError) as err:
            call()
        assert (err.value.status, err.value.code, err.value.field) == (
            409,
            "stale_version",
            "version",
        )
    activity.refresh_from_db()
    assert (activity.title, activity.state, activity.version) == ("中秋游园会", "draft", seen + 1)


def test_m07_versions_finish_refuses_a_stale_version(open_activity, director, time_machine):
    time_machine.move_to(START + dt.timedelta(hours=1), tick=False)
    seen = open_activity.version
    services.activity_update(actor=director, activity=open_activity, capacity=3)
    with pytest.raises(DomainError) as err:
        services.activity_finish(actor=director, activity=open_activity, expected_version=seen)
    assert err.value.code == "stale_version"
    open_activity.refresh_from_db()
    assert open_activity.state == Activity.State.PUBLISHED


# --- the API ----------------------------------------------------------------------------------


def test_m07_versions_detail_carries_version_and_etag(api, director, make_activity):
    activity = make_activity()
    api.force_authenticate(director)
    response = api.get(detail(activity))
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'
    assert response.json()["allowed_actions"] == ["edit", "publish", "cancel"]


@pytest.mark.parametrize("how", ["body", "if_match"])
@pytest.mark.parametrize("change", ["edit", "publish", "cancel"])
def test_m07_versions_api_refuses_a_stale_change(api, director, make_activity, how, change):
    activity = make_activity()
    seen = _stale(activity, director)
    body = {
        "edit": {"title": "改名"},
        "publish": {"notify_customers": False},
        "cancel": {"reason": "取消"},
    }[change]
    headers = {}
    if how == "body":
        body = {**body, "version": seen}
    else:
        headers = {"HTTP_IF_MATCH": f'"{seen}"'}
    api.force_authenticate(director)
    if change == "edit":
        response = api.patch(detail(activity), body, format="json", **headers)
    else:
        response = api.post(f"{detail(activity)}{change}/", body, format="json", **headers)
    _refused_stale(response, activity)
    activity.refresh_from_db()
    assert (activity.title, activity.state, activity.version) == ("中秋游园会", "draft", seen + 1)
    assert activity.notice_id is None


@pytest.mark.parametrize("how", ["body", "if_match"])
@pytest.mark.parametrize("change", ["edit", "publish", "cancel"])
def test_m07_versions_api_a_fresh_change_raises_the_version(
    api, director, make_activity, how, change
):
    activity = make_activity()
    api.force_authenticate(director)
    etag = api.get(detail(activity))["ETag"]
    body = {
        "edit": {"title": "改名"},
        "publish": {"notify_customers": False},
        "cancel": {"reason": "取消"},
    }[change]
    headers = {}
    if how == "body":
        body = {**body, "version": activity.version}
    else:
        headers = {"HTTP_IF_MATCH": etag}
    if change == "edit":
        response = api.patch(detail(activity), body, format="json", **headers)
    else:
        response = api.post(f"{detail(activity)}{change}/", body, format="json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    activity.refresh_from_db()
    assert activity.version == 2


def test_m07_versions_api_a_bad_if_match_is_refused(api, director, make_activity):
    activity = make_activity()
    api.force_authenticate(director)
    response = api.patch(detail(activity), {"title": "改名"}, format="json", HTTP_IF_MATCH="abc")
    assert response.status_code == 400
    assert response.json()["field"] == "version"
    activity.refresh_from_db()
    assert activity.title == "中秋游园会"


def test_m07_versions_api_a_change_without_a_version_is_428(api, director, make_activity):
    activity = make_activity()
    _stale(activity, director)
    api.force_authenticate(director)
    response = api.patch(detail(activity), {"title": "改名"}, format="json")
    assert response.status_code == 428
    assert (response.json()["code"], response.json()["field"]) == ("version_required", "version")
    activity.refresh_from_db()
    assert activity.version == 2 and activity.title != "改名"


# --- the console ------------------------------------------------------------------------------


def _console(name, activity):
    return reverse(f"console:{name}", args=[activity.pk])


def test_m07_versions_console_forms_carry_the_version(client, director, make_activity):
    activity = make_activity()
    client.force_login(director)
    for name in ("activity_edit", "activity_publish", "activity_cancel"):
        page = client.get(_console(name, activity)).content.decode()
        assert 'name="version" value="1"' in page, name
    services.activity_publish(actor=director, activity=activity, notify_customers=False)
    page = client.get(_console("activity_finish", activity)).content.decode()
    assert 'name="version" value="2"' in page


def test_m07_versions_console_refuses_a_stale_edit(client, director, make_activity):
    activity = make_activity()
    seen = _stale(activity, director)
    client.force_login(director)
    response = client.post(
        _console("activity_edit", activity),
        {
            "kind": activity.kind,
            "title": "改名",
            "description": "",
            "facilities": "",
            "place": activity.place,
            "starts_at": "2026-06-06T18:00",
            "ends_at": "2026-06-06T20:00",
            "registration_closes_at": "",
            "capacity": str(activity.capacity),
            "community": "",
            "version": str(seen),
        },
    )
    assert response.status_code == 409
    assert STALE in response.content.decode()
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("中秋游园会", seen + 1)


def test_m07_versions_console_a_fresh_edit_raises_the_version(client, director, make_activity):
    activity = make_activity()
    client.force_login(director)
    response = client.post(
        _console("activity_edit", activity),
        {
            "kind": activity.kind,
            "title": "改名",
            "description": "",
            "facilities": "",
            "place": activity.place,
            "starts_at": "2026-06-06T18:00",
            "ends_at": "2026-06-06T20:00",
            "registration_closes_at": "",
            "capacity": str(activity.capacity),
            "community": "",
            "version": str(activity.version),
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("改名", 2)


@pytest.mark.parametrize(
    ("name", "data"),
    [("activity_publish", {"notify_customers": ""}), ("activity_cancel", {"reason": "取消"})],
)
def test_m07_versions_console_refuses_a_stale_publish_or_cancel(
    client, director, make_activity, name, data
):
    activity = make_activity()
    seen = _stale(activity, director)
    client.force_login(director)
    response = client.post(_console(name, activity), {**data, "version": str(seen)})
    assert response.status_code == 409
    assert STALE in response.content.decode()
    activity.refresh_from_db()
    assert (activity.state, activity.version, activity.notice_id) == ("draft", seen + 1, None)


@pytest.mark.parametrize(
    ("name", "data", "state"),
    [
        ("activity_publish", {"notify_customers": ""}, "published"),
        ("activity_cancel", {"reason": "取消"}, "cancelled"),
    ],
)
def test_m07_versions_console_a_fresh_publish_or_cancel(
    client, director, make_activity, name, data, state
):
    activity = make_activity()
    client.force_login(director)
    response = client.post(_console(name, activity), {**data, "version": "1"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.state, activity.version) == (state, 2)


# --- what is offered is what is accepted ------------------------------------------------------


def _attempt(name, user, activity, customer) -> bool:
    """Does the service accept ``name`` from ``user`` now? Whatever it does is rolled back."""
    calls = {
        "edit": lambda: services.activity_update(
            actor=user, activity=activity, description="说明已更新。"
        ),
        "publish": lambda: services.activity_publish(
            actor=user, activity=activity, notify_customers=False
        ),
        "register": lambda: services.register(activity=activity, customer=customer, actor=user),
        "finish": lambda: services.activity_finish(actor=user, activity=activity),
        "cancel": lambda: services.activity_cancel(actor=user, activity=activity, reason="取消"),
    }

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            calls[name]()
            raise Undo
    except Undo:
        return True
    except DomainError:
        return False


@pytest.mark.parametrize("moment", ["draft", "open", "started", "cancelled"])
def test_m07_versions_allowed_actions_are_what_the_services_accept(
    api,
    make_activity,
    agent,
    director,
    technician,
    other_director,
    customer,
    household,
    time_machine,
    moment,
):
    activity = make_activity()
    if moment in ("open", "started"):
        services.activity_publish(actor=director, activity=activity, notify_customers=False)
    if moment == "cancelled":
        services.activity_cancel(actor=director, activity=activity, reason="取消")
    if moment == "started":
        time_machine.move_to(START + dt.timedelta(minutes=30), tick=False)
    activity.refresh_from_db()
    offered_by = {}
    for user in (agent, director, technician, other_director):
        offered = ACTIVITIES.actions_for(user, activity)
        accepted = [name for name in ACTIVITIES.actions if _attempt(name, user, activity, customer)]
        assert offered == accepted, (user.username, moment)
        api.force_authenticate(user)
        response = api.get(detail(activity))
        if user is other_director:
            assert response.status_code == 404  # another office's activity is not there at all
        else:
            assert response.json()["allowed_actions"] == offered
        offered_by[user.username] = offered
    expected = {
        "draft": {"agent": ["edit"], "director": ["edit", "publish", "cancel"]},
        "open": {"agent": ["register"], "director": ["edit", "register", "cancel"]},
        "started": {"agent": [], "director": ["edit", "finish", "cancel"]},
        "cancelled": {"agent": [], "director": []},
    }[moment]
    assert offered_by == {**expected, "tech": [], "other_director": []}


def test_m07_versions_registration_actions_are_what_the_services_accept(
    open_activity, agent, director, technician, customer, household, time_machine
):
    registration = services.register(activity=open_activity, customer=customer, actor=agent)
    registration.activity.refresh_from_db()
    assert REGISTRATIONS.actions_for(agent, registration) == ["cancel"]
    assert REGISTRATIONS.actions_for(technician, registration) == []
    # On the day: check-in opens, cancelling closes once it starts.
    time_machine.move_to(START + dt.timedelta(minutes=10), tick=False)
    assert REGISTRATIONS.actions_for(director, registration) == ["check_in"]
    registration = services.registration_check_in(actor=agent, registration=registration)
    assert REGISTRATIONS.actions_for(agent, registration) == ["feedback"]
    assert REGISTRATIONS.actions_for(technician, registration) == []
    services.registration_feedback(registration=registration, actor=agent, rating=5)
    registration.refresh_from_db()
    assert REGISTRATIONS.actions_for(agent, registration) == []
    open_activity.refresh_from_db()
    assert open_activity.version == 2  # registrations, check-in and feedback leave it as it was
