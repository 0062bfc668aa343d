"""M22 in the staff API: recording a meeting, deciding its opinions, reporting progress; each
bad input answered with the field at fault and nothing changed."""

import pytest
from rest_framework.test import APIClient

from propdesk.committee.models import Action, Item, Meeting

from .conftest import DUE, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_m22_a_meeting_is_planned_held_and_its_opinions_decided(
    director, agent, committee, chair, representative, department
):
    api = as_user(director)
    planned = api.post(
        "/api/v1/committee/meetings/",
        {
            "committee": committee.pk,
            "planned_for": "2026-06-09T10:00:00+08:00",
            "place": "会议室",
            "agenda": "电梯",
        },
        format="json",
    )
    assert planned.status_code == 201, planned.json()
    pk = planned.json()["id"]
    held = api.post(
        f"/api/v1/committee/meetings/{pk}/hold/",
        {
            "minutes": "纪要",
            "seats": [chair.pk, representative.pk],
            "opinions": ["电梯停运"],
            "version": 1,
        },
        format="json",
    )
    assert held.status_code == 200, held.json()
    body = held.json()
    assert body["state"] == "held" and body["staff_attendees"] == [director.pk]
    item = body["items"][0]["id"]
    act = api.post(
        f"/api/v1/committee/items/{item}/act/",
        {
            "title": "修电梯",
            "owner": agent.pk,
            "department": department.pk,
            "due_on": DUE.isoformat(),
        },
        format="json",
    )
    assert act.status_code == 201 and act.json()["state"] == "open"
    progress = as_user(agent).post(
        f"/api/v1/committee/actions/{act.json()['id']}/progress/",
        {"text": "已订货", "progress": 50, "version": 1},
        format="json",
    )
    assert progress.status_code == 200 and progress.json()["progress"] == 50
    assert progress.headers["ETag"] == '"2"'


def test_m22_minutes_for_a_future_meeting_are_refused_by_the_api(director, committee, chair):
    api = as_user(director)
    pk = api.post(
        "/api/v1/committee/meetings/",
        {
            "committee": committee.pk,
            "planned_for": "2026-06-20T10:00:00+08:00",
            "place": "会议室",
            "agenda": "电梯",
        },
        format="json",
    ).json()["id"]
    response = api.post(
        f"/api/v1/committee/meetings/{pk}/hold/",
        {"minutes": "纪要", "seats": [chair.pk], "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "meeting_in_future"
    assert response.json()["field"] == "held_at"
    assert Meeting.objects.get(pk=pk).state == "planned"


@pytest.mark.parametrize("missing", ["owner", "due_on"])
def test_m22_an_action_without_owner_or_due_date_is_refused_by_the_api(
    director, agent, held, department, missing
):
    item = held.items.first()
    data = {
        "title": "修电梯",
        "owner": agent.pk,
        "department": department.pk,
        "due_on": DUE.isoformat(),
    }
    del data[missing]
    response = as_user(director).post(
        f"/api/v1/committee/items/{item.pk}/act/", data, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == missing
    assert Item.objects.get(pk=item.pk).state == "open" and not Action.objects.exists()


def test_m22_a_change_without_the_version_is_refused(agent, action):
    response = as_user(agent).post(
        f"/api/v1/committee/actions/{action.pk}/progress/", {"text": "盲改"}, format="json"
    )
    assert response.status_code == 428
    assert not action.updates.exists()


def test_m22_staff_of_another_office_find_nothing(other_agent, action, committee):
    api = as_user(other_agent)
    assert api.get(f"/api/v1/committee/actions/{action.pk}/").status_code == 404
    assert api.get(f"/api/v1/committee/committees/{committee.pk}/").status_code == 404
    assert api.get("/api/v1/committee/meetings/").json()["results"] == []


def test_m22_company_roles_see_every_office(quality, action, other_committee):
    body = as_user(quality).get("/api/v1/committee/committees/").json()
    assert len(body["results"]) == 2
    assert as_user(quality).get(f"/api/v1/committee/actions/{action.pk}/").status_code == 200


def test_m22_the_schema_documents_the_committee_endpoints(admin_user):
    schema = as_user(admin_user).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/committee/meetings/{id}/hold/" in text
    assert "/api/v1/portal/committee/actions/" in text
