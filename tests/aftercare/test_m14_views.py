"""M14 in the console: the defect-watch board and one watch's page with its forms."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from propdesk.aftercare.models import DefectWatch, Inspection
from propdesk.aftercare.services import defects
from propdesk.org.models import Role
from propdesk.tickets import services
from tests import factories as f
from tests.queries import count_queries, same_queries

from . import test_m14_services as shared
from .test_m14_services import png, repair, snapshot

# The shared fixtures: a watched repair of a major defect.
leak_item = shared.leak_item
repaired = shared.repaired
watch = shared.watch


DAY = dt.timedelta(days=1)
BOARD = reverse("console:defect_board")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def page_of(watch, action=""):
    if action:
        return reverse(f"console:defect_{action}", args=[watch.pk])
    return reverse("console:defect_watch", args=[watch.pk])


def more_watches(office, n):
    """``n`` more watched repairs in ``office``, each for another customer, item and watcher."""
    technician = f.UserFactory(role=Role.TECHNICIAN, office=office)
    agent = f.UserFactory(role=Role.AGENT, office=office)
    for _ in range(n):
        customer = f.CustomerFactory(office=office)
        item = f.ServiceItemFactory(is_major_defect=True, steps=[])

        def make(*, customer=customer, **kwargs):
            return services.ticket_create(
                actor=agent, customer=customer, channel="hotline", description="外墙开裂", **kwargs
            )

        repair(make, agent, technician, item)


# --- the board ---------------------------------------------------------------------------------


def test_m14_the_board_lists_open_watches_of_my_office(client, director, watch):
    client.force_login(director)
    response = client.get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert watch.ticket.number in body
    assert watch.customer.name in body and watch.household.address in body
    assert watch.ticket.item.name in body and director.display_name in body
    assert 'badge red">overdue' not in body


def test_m14_the_board_flags_overdue_inspections(client, director, watch, time_machine):
    time_machine.move_to(watch.inspections.get().due_at + DAY)
    client.force_login(director)
    assert 'badge red">overdue' in client.get(BOARD).content.decode()
    listed = client.get(BOARD, {"state": "open", "overdue": "on"}).content.decode()
    assert watch.ticket.number in listed


def test_m14_the_overdue_filter_leaves_out_watches_not_overdue(client, director, watch):
    client.force_login(director)
    body = client.get(BOARD, {"state": "open", "overdue": "on"}).content.decode()
    assert watch.ticket.number not in body


def test_m14_other_offices_do_not_see_the_watch(client, other_agent, watch):
    client.force_login(other_agent)
    assert watch.ticket.number not in client.get(BOARD).content.decode()
    assert client.get(page_of(watch)).status_code == 404
    response = client.post(page_of(watch, "close"), {"reason": "x", "confirm": "on"})
    assert response.status_code == 404


def test_m14_company_roles_see_every_office_and_filter_by_office(
    client, quality, watch, other_office
):
    client.force_login(quality)
    assert watch.ticket.number in client.get(BOARD).content.decode()
    body = client.get(BOARD, {"state": "open", "office": other_office.pk}).content.decode()
    assert watch.ticket.number not in body


def test_m14_a_technician_sees_his_watches_by_default(client, director, technician, watch):
    client.force_login(technician)
    assert watch.ticket.number not in client.get(BOARD).content.decode()
    defects.watch_reassign(actor=director, watch=watch, watcher=technician)
    assert watch.ticket.number in client.get(BOARD).content.decode()


def test_m14_closed_watches_by_the_state_filter(client, director, watch):
    defects.watch_close(actor=director, watch=watch, reason="业主要求")
    client.force_login(director)
    assert watch.ticket.number not in client.get(BOARD).content.decode()
    assert watch.ticket.number in client.get(BOARD, {"state": "closed"}).content.decode()


def test_m14_the_board_takes_a_constant_number_of_queries(client, director, office, watch):
    client.force_login(director)
    with count_queries() as few:
        assert client.get(BOARD).status_code == 200
    more_watches(office, 4)
    with count_queries() as many:
        response = client.get(BOARD)
    assert response.content.decode().count("/console/defects/") >= 5
    same_queries(few, many)


def test_m14_a_bad_filter_is_400(client, director):
    client.force_login(director)
    assert client.get(BOARD, {"state": "nonsense"}).status_code == 400


# --- one watch ---------------------------------------------------------------------------------


def test_m14_the_watch_page_shows_plan_and_forms_to_the_director(client, director, watch):
    client.force_login(director)
    body = client.get(page_of(watch)).content.decode()
    assert "An inspection every 30 days, until 3 in a row find no defect" in body
    assert 'id="action-record"' in body
    assert 'id="action-reassign"' in body and 'id="action-close"' in body


def test_m14_an_agent_reads_the_watch_but_has_no_forms(client, agent, watch):
    client.force_login(agent)
    body = client.get(page_of(watch)).content.decode()
    assert watch.ticket.number in body
    assert "action-record" not in body and "action-close" not in body


def test_m14_recording_an_inspection_with_photos(client, director, watch):
    client.force_login(director)
    response = client.post(
        page_of(watch, "record"),
        {"findings": "顶棚干燥", "result": "clean", "photos": [png(), png("b.png")]},
    )
    assert response.status_code == 302
    first = watch.inspections.get(number=1)
    assert first.result == Inspection.Result.CLEAN and first.photos.count() == 2
    body = client.get(page_of(watch)).content.decode()
    assert "顶棚干燥" in body
    photo = first.photos.first()
    assert client.get(reverse("media", args=[photo.image.name])).status_code == 200


def test_m14_inspection_photos_are_not_served_to_another_office(
    client, director, other_agent, watch
):
    defects.inspection_record(
        actor=director,
        inspection=watch.inspections.get(),
        findings="干燥",
        result="clean",
        photos=[png()],
    )
    url = reverse("media", args=[watch.inspections.get(number=1).photos.get().image.name])
    client.force_login(other_agent)
    assert client.get(url).status_code == 404


def test_m14_a_recurrence_in_the_console_links_the_rework(client, director, watch):
    client.force_login(director)
    client.post(page_of(watch, "record"), {"findings": "又渗水了", "result": "recurred"})
    rework = watch.inspections.get(number=1).rework
    body = client.get(page_of(watch)).content.decode()
    assert reverse("console:ticket_detail", args=[rework.pk]) in body


def test_m14_bad_input_in_the_console_is_shown_and_changes_nothing(client, director, watch):
    client.force_login(director)
    before = snapshot(watch)
    response = client.post(page_of(watch, "record"), {"findings": " ", "result": "clean"})
    assert response.status_code == 400
    assert "Say what you found on site." in response.content.decode()
    fake = SimpleUploadedFile("leak.png", b"text", content_type="image/png")
    response = client.post(
        page_of(watch, "record"), {"findings": "干燥", "result": "clean", "photos": [fake]}
    )
    assert "not a photo" in response.content.decode()
    assert response.status_code == 400
    assert snapshot(watch) == before


def test_m14_someone_not_designated_gets_403_in_the_console(client, technician, watch):
    client.force_login(technician)
    response = client.post(page_of(watch, "record"), {"findings": "干燥", "result": "clean"})
    assert response.status_code == 403


def test_m14_the_director_reassigns_in_the_console(client, director, technician, watch):
    client.force_login(director)
    response = client.post(
        page_of(watch, "reassign"),
        {"watcher": technician.pk, "interval_days": 20, "planned_inspections": 2},
    )
    assert response.status_code == 302
    watch.refresh_from_db()
    assert (watch.watcher, watch.interval_days, watch.planned_inspections) == (technician, 20, 2)
    response = client.post(
        page_of(watch, "reassign"),
        {"watcher": technician.pk, "interval_days": 400, "planned_inspections": 2},
    )
    assert response.status_code == 400
    assert "from 1 to 365" in response.content.decode()


def test_m14_early_close_in_the_console_needs_a_reason_and_confirmation(client, director, watch):
    client.force_login(director)
    assert client.post(page_of(watch, "close"), {"reason": "业主要求"}).status_code == 400
    response = client.post(page_of(watch, "close"), {"reason": "", "confirm": "on"})
    assert response.status_code == 400
    assert "Say why the watch is closed early." in response.content.decode()
    watch.refresh_from_db()
    assert watch.state == DefectWatch.State.OPEN
    response = client.post(page_of(watch, "close"), {"reason": "业主要求", "confirm": "on"})
    assert response.status_code == 302
    watch.refresh_from_db()
    assert watch.state == DefectWatch.State.CLOSED
    # On a closed watch the record action answers 409.
    response = client.post(page_of(watch, "record"), {"findings": "x", "result": "clean"})
    assert response.status_code == 409


def test_m14_an_agent_may_not_close(client, agent, watch):
    client.force_login(agent)
    response = client.post(page_of(watch, "close"), {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
