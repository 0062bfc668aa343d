"""M14 in the API: /api/v1/defect-watches/ — the list, one watch, and its three actions."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from propdesk.aftercare.models import DefectWatch, Inspection
from tests.queries import count_queries, same_queries

from . import test_m14_services as shared
from .test_m14_services import png, snapshot
from .test_m14_views import more_watches

# The shared fixtures: a watched repair of a major defect.
leak_item = shared.leak_item
repaired = shared.repaired
watch = shared.watch

URL = "/api/v1/defect-watches/"
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_m14_list_and_detail(api, director, watch):
    api.force_authenticate(director)
    body = api.get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == watch.pk and row["ticket"]["number"] == watch.ticket.number
    assert row["watcher"] == {"id": director.pk, "name": director.display_name}
    assert row["state"] == "open" and row["overdue"] is False
    assert row["next_inspection"]["number"] == 1
    assert row["address"] == watch.household.address
    detail = api.get(f"{URL}{watch.pk}/").json()
    assert detail["inspections"][0]["number"] == 1 and detail["clean_in_a_row"] == 0


def test_m14_list_filters(api, director, watch, time_machine):
    api.force_authenticate(director)
    assert api.get(URL, {"state": "closed"}).json()["count"] == 0
    assert api.get(URL, {"overdue": "true"}).json()["count"] == 0
    assert api.get(URL, {"watcher": director.pk}).json()["count"] == 1
    time_machine.move_to(watch.inspections.get().due_at + DAY)
    body = api.get(URL, {"overdue": "true"}).json()
    assert body["count"] == 1 and body["results"][0]["overdue"] is True
    response = api.get(URL, {"state": "nonsense"})
    assert response.status_code == 400 and response.json()["field"] == "state"


def test_m14_list_takes_a_constant_number_of_queries(api, director, office, watch):
    api.force_authenticate(director)
    with count_queries() as few:
        api.get(URL)
    more_watches(office, 4)
    with count_queries() as many:
        assert api.get(URL).json()["count"] == 5
    same_queries(few, many)


def test_m14_another_office_gets_404(api, other_agent, watch):
    api.force_authenticate(other_agent)
    assert api.get(URL).json()["count"] == 0
    assert api.get(f"{URL}{watch.pk}/").status_code == 404
    record = api.post(
        f"{URL}{watch.pk}/inspections/1/record/", {"findings": "x", "result": "clean"}
    )
    assert record.status_code == 404
    assert api.post(f"{URL}{watch.pk}/close/", {"reason": "x"}).status_code == 404


def test_m14_record_with_photos_in_multipart(api, director, watch):
    api.force_authenticate(director)
    response = api.post(
        f"{URL}{watch.pk}/inspections/1/record/",
        {"findings": "屋面无渗漏", "result": "clean", "photos": [png(), png("b.png")]},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    first = body["inspections"][0]
    assert first["result"] == "clean" and len(first["photos"]) == 2
    assert first["photos"][0]["url"].startswith("/media/inspections/")
    assert body["next_inspection"]["number"] == 2
    assert body["clean_in_a_row"] == 1


def test_m14_recurred_in_the_api_links_rework(api, director, watch):
    api.force_authenticate(director)
    body = api.post(
        f"{URL}{watch.pk}/inspections/1/record/",
        {"findings": "外墙裂缝扩大", "result": "recurred"},
        format="json",
    ).json()
    rework = watch.inspections.get(number=1).rework
    assert body["inspections"][0]["rework"] == {"id": rework.pk, "number": rework.number}


def test_m14_bad_record_input_is_clear_and_changes_nothing(api, director, technician, watch):
    api.force_authenticate(director)
    url = f"{URL}{watch.pk}/inspections/1/record/"
    before = snapshot(watch)
    response = api.post(url, {"findings": "", "result": "clean"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "findings"
    response = api.post(url, {"findings": "x", "result": "maybe"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "result"
    fake = SimpleUploadedFile("a.png", b"no image", content_type="image/png")
    response = api.post(url, {"findings": "x", "result": "clean", "photos": [fake]})
    assert response.status_code == 400 and response.json()["code"] == "not_an_image"
    assert api.post(f"{URL}{watch.pk}/inspections/9/record/", {}).status_code == 404
    api.force_authenticate(technician)
    response = api.post(url, {"findings": "x", "result": "clean"}, format="json")
    assert response.status_code == 403
    assert snapshot(watch) == before


def test_m14_twice_and_on_a_closed_watch_is_409(api, director, watch):
    api.force_authenticate(director)
    url = f"{URL}{watch.pk}/inspections/1/record/"
    assert api.post(url, {"findings": "x", "result": "clean"}, format="json").status_code == 200
    response = api.post(url, {"findings": "x", "result": "clean"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_recorded"
    assert api.post(f"{URL}{watch.pk}/close/", {"reason": "业主要求"}).status_code == 200
    response = api.post(
        f"{URL}{watch.pk}/inspections/2/record/", {"findings": "x", "result": "clean"}
    )
    # The open inspection went with the early close: there is no No. 2 left to record.
    assert response.status_code == 404
    response = api.post(
        f"{URL}{watch.pk}/inspections/1/record/", {"findings": "x", "result": "clean"}
    )
    assert response.status_code == 409 and response.json()["code"] == "watch_closed"


def test_m14_reassign_in_the_api(api, director, technician, other_technician, watch):
    api.force_authenticate(director)
    url = f"{URL}{watch.pk}/reassign/"
    body = api.post(url, {"watcher": technician.pk, "interval_days": 10}, format="json").json()
    assert body["watcher"]["id"] == technician.pk and body["interval_days"] == 10
    assert watch.inspections.get().due_at == watch.opened_at + dt.timedelta(days=10)
    for bad in ({"watcher": other_technician.pk}, {"watcher": 999999}):
        response = api.post(url, bad, format="json")
        assert response.status_code == 400 and response.json()["field"] == "watcher"
    response = api.post(url, {"watcher": technician.pk, "planned_inspections": 50}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "planned_inspections"


def test_m14_close_in_the_api(api, director, agent, watch):
    api.force_authenticate(agent)
    assert api.post(f"{URL}{watch.pk}/close/", {"reason": "x"}).status_code == 403
    api.force_authenticate(director)
    response = api.post(f"{URL}{watch.pk}/close/", {"reason": ""}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "reason"
    body = api.post(f"{URL}{watch.pk}/close/", {"reason": "业主要求"}, format="json").json()
    assert body["state"] == "closed" and body["close_reason"] == "业主要求"
    assert body["closed_by"]["id"] == director.pk and body["next_inspection"] is None
    assert DefectWatch.objects.get().state == DefectWatch.State.CLOSED
    assert not Inspection.objects.filter(done_at__isnull=True).exists()
