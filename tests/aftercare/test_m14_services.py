"""M14: a repaired major defect is watched — inspections on a plan, each a special record, until
the watch is closed. The services are the contract of every interface, so they are tested hardest.

The fixtures here (``leak_item``, ``watch``…) are shared by the other ``test_m14_*`` modules.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.aftercare.models import DefectWatch, FollowupCall, Inspection, InspectionPhoto
from propdesk.aftercare.selectors import defects as selectors
from propdesk.aftercare.services import defects
from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.models import Notification
from propdesk.org.models import Role
from propdesk.tickets import services
from propdesk.tickets.models import Kind, ReworkSource, TicketEvent
from tests import factories as f

DAY = dt.timedelta(days=1)
CLEAN, RECURRED = Inspection.Result.CLEAN, Inspection.Result.RECURRED


# --- shared fixtures and helpers ---------------------------------------------------------------


def png(name="site.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def repair(make_ticket, agent, technician, item, *, kind=Kind.REPAIR, **kwargs):
    """A request for ``item`` taken, confirmed, dispatched to ``technician`` and completed."""
    ticket = make_ticket(item=item, kind=kind, **kwargs)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="上门查看屋面")
    ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
    for step in ticket.checklist.all():
        services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk)
    ticket.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=ticket, work_summary="屋面防水重做")


@pytest.fixture
def leak_item():
    return f.ServiceItemFactory(name="屋面漏水维修", is_major_defect=True)


@pytest.fixture
def repaired(make_ticket, agent, technician, director, leak_item):
    """A completed repair of a major defect: its watch is open."""
    return repair(make_ticket, agent, technician, leak_item)


@pytest.fixture
def watch(repaired):
    return DefectWatch.objects.get(ticket=repaired)


def record(watch, actor, result=CLEAN, *, at, findings="墙面干燥, 无渗水", photos=()):
    inspection = watch.inspections.get(done_at__isnull=True)
    return defects.inspection_record(
        actor=actor, inspection=inspection, findings=findings, result=result, photos=photos, now=at
    )


def snapshot(watch):
    watch.refresh_from_db()
    return (
        watch.state,
        watch.watcher_id,
        watch.interval_days,
        watch.planned_inspections,
        list(watch.inspections.values_list("number", "due_at", "done_at", "result", "findings")),
        InspectionPhoto.objects.count(),
        TicketEvent.objects.filter(ticket=watch.ticket).count(),
        watch.history.count(),
    )


# --- opening a watch ---------------------------------------------------------------------------


def test_m14_a_marked_repair_opens_a_watch_on_completion(repaired, director):
    watch = DefectWatch.objects.get(ticket=repaired)
    assert watch.state == DefectWatch.State.OPEN
    assert watch.office_id == repaired.office_id
    assert watch.customer_id == repaired.customer_id
    assert watch.household_id == repaired.household_id
    assert watch.watcher == director  # 管理处派专人: the director by default
    assert (watch.interval_days, watch.planned_inspections) == (30, 3)
    assert watch.opened_at == repaired.completed_at
    first = watch.inspections.get()
    assert first.number == 1
    assert first.due_at == watch.opened_at + dt.timedelta(days=30)
    event = TicketEvent.objects.get(ticket=repaired, kind="defect_watch_opened")
    assert director.display_name in event.note and not event.customer_visible
    told = Notification.objects.get(event="defect.opened", user=director)
    assert told.channel == "in_app" and told.link == f"/console/defects/{watch.pk}/"
    assert watch.history.count() == 1


def test_m14_an_unmarked_repair_opens_no_watch(make_ticket, agent, technician, director, free_item):
    repair(make_ticket, agent, technician, free_item)
    assert not DefectWatch.objects.exists()


def test_m14_a_marked_category_counts(make_ticket, agent, technician, director):
    item = f.ServiceItemFactory(category__is_major_defect=True, is_major_defect=False)
    ticket = repair(make_ticket, agent, technician, item)
    assert DefectWatch.objects.filter(ticket=ticket).exists()


def test_m14_only_repairs_are_watched(make_ticket, agent, technician, director, leak_item):
    repair(make_ticket, agent, technician, leak_item, kind=Kind.SERVICE)
    assert not DefectWatch.objects.exists()


def test_m14_opening_is_idempotent(repaired, watch):
    assert defects.watch_open_for(ticket=repaired, now=repaired.completed_at) is None
    assert DefectWatch.objects.count() == 1 and Inspection.objects.count() == 1


def test_m14_without_a_director_the_technician_who_did_it_watches(
    make_ticket, agent, technician, leak_item
):
    ticket = repair(make_ticket, agent, technician, leak_item)
    assert DefectWatch.objects.get(ticket=ticket).watcher == technician


def test_m14_rework_of_a_watched_repair_opens_no_second_watch(watch, director, technician):
    inspection = record(watch, director, RECURRED, at=watch.opened_at + 10 * DAY, findings="又漏了")
    rework = inspection.rework
    for step in rework.checklist.all():
        services.checklist_tick(actor=technician, ticket=rework, step_id=step.pk)
    rework.refresh_from_db()
    services.ticket_complete(actor=technician, ticket=rework, work_summary="返修完成")
    assert DefectWatch.objects.count() == 1
    assert watch.inspections.filter(done_at__isnull=True).count() == 1


# --- inspections on plan -----------------------------------------------------------------------


def test_m14_inspections_fall_due_on_plan(watch, director):
    at = watch.opened_at + 29 * DAY
    record(watch, director, at=at)
    second = watch.inspections.get(number=2)
    assert second.due_at == at + dt.timedelta(days=30) and second.done_at is None
    first = watch.inspections.get(number=1)
    assert (first.done_at, first.inspector, first.result) == (at, director, CLEAN)


def test_m14_three_clean_inspections_close_the_watch(watch, director):
    at = watch.opened_at
    for n in (1, 2, 3):
        at += 30 * DAY
        record(watch, director, at=at)
        watch.refresh_from_db()
        assert watch.state == (DefectWatch.State.CLOSED if n == 3 else DefectWatch.State.OPEN)
    assert watch.closed_at == at and watch.closed_by is None
    assert "3" in watch.close_reason
    assert watch.inspections.count() == 3  # no fourth falls due
    assert not watch.inspections.filter(done_at__isnull=True).exists()
    kinds = list(TicketEvent.objects.filter(ticket=watch.ticket).values_list("kind", flat=True))
    assert kinds.count("inspection_done") == 3 and kinds[-1] == "defect_watch_closed"


def test_m14_the_designated_technician_records_with_photos(watch, director, technician):
    defects.watch_reassign(actor=director, watch=watch, watcher=technician)
    at = watch.opened_at + 30 * DAY
    inspection = record(watch, technician, at=at, photos=[png(), png("b.png")])
    assert inspection.inspector == technician
    assert inspection.photos.count() == 2


def test_m14_a_recurring_defect_opens_linked_rework_and_the_watch_goes_on(
    watch, director, technician, followup
):
    at = watch.opened_at + 30 * DAY
    record(watch, director, at=at)  # one clean
    at += 20 * DAY
    inspection = record(watch, director, RECURRED, at=at, findings="卫生间顶棚又渗水")
    rework = inspection.rework
    assert rework.rework_of == watch.ticket
    assert "卫生间顶棚又渗水" in rework.description
    assert rework.assignee == technician  # back to who did the original (M15)
    assert rework.due_at == at + dt.timedelta(hours=24)
    call = FollowupCall.objects.get(ticket=rework)
    assert call.source == ReworkSource.INSPECTION and call.complained_at == at
    watch.refresh_from_db()
    assert watch.state == DefectWatch.State.OPEN
    third = watch.inspections.get(done_at__isnull=True)
    assert (third.number, third.due_at) == (3, at + dt.timedelta(days=30))
    assert selectors.clean_streak(watch) == 0  # the count of clean ones starts again
    # Three more clean ones are needed now, not two.
    for _ in range(2):
        at += 30 * DAY
        record(watch, director, at=at)
    watch.refresh_from_db()
    assert watch.state == DefectWatch.State.OPEN
    at += 30 * DAY
    record(watch, director, at=at)
    watch.refresh_from_db()
    assert watch.state == DefectWatch.State.CLOSED


def test_m14_a_technician_watcher_may_report_recurrence(watch, director, technician):
    defects.watch_reassign(actor=director, watch=watch, watcher=technician)
    inspection = record(watch, technician, RECURRED, at=watch.opened_at + DAY, findings="外墙裂缝")
    assert inspection.rework.rework_of == watch.ticket


# --- bad input changes nothing ------------------------------------------------------------------


def test_m14_no_inspection_on_a_closed_watch(watch, director):
    inspection = watch.inspections.get()
    defects.watch_close(actor=director, watch=watch, reason="客户已出售房屋")
    before = snapshot(watch)
    with pytest.raises(Conflict) as err:
        defects.inspection_record(actor=director, inspection=inspection, findings="x", result=CLEAN)
    assert (err.value.status, err.value.code) == (409, "watch_closed")
    assert snapshot(watch) == before


def test_m14_only_the_designated_person_or_the_director_records(watch, technician, agent):
    inspection = watch.inspections.get()
    before = snapshot(watch)
    for someone in (technician, agent):
        with pytest.raises(Forbidden) as err:
            defects.inspection_record(
                actor=someone, inspection=inspection, findings="干燥", result=CLEAN
            )
        assert err.value.field == "watcher"
    assert snapshot(watch) == before


def test_m14_another_office_may_not_record(watch, other_agent):
    with pytest.raises(Forbidden):
        defects.inspection_record(
            actor=other_agent, inspection=watch.inspections.get(), findings="x", result=CLEAN
        )


def test_m14_an_inspection_is_recorded_once(watch, director):
    first = watch.inspections.get()
    record(watch, director, at=watch.opened_at + DAY)
    before = snapshot(watch)
    with pytest.raises(Conflict) as err:
        defects.inspection_record(actor=director, inspection=first, findings="再记", result=CLEAN)
    assert err.value.code == "already_recorded"
    assert snapshot(watch) == before


@pytest.mark.parametrize("findings", ["", "   ", None])
def test_m14_findings_are_required(watch, director, findings):
    before = snapshot(watch)
    with pytest.raises(DomainError) as err:
        record(watch, director, at=watch.opened_at + DAY, findings=findings)
    assert err.value.field == "findings" and err.value.status == 400
    assert snapshot(watch) == before


def test_m14_the_result_must_be_one_of_the_choices(watch, director):
    before = snapshot(watch)
    with pytest.raises(DomainError) as err:
        record(watch, director, "maybe", at=watch.opened_at + DAY)
    assert err.value.field == "result"
    assert snapshot(watch) == before


def test_m14_a_non_image_photo_is_refused(watch, director):
    before = snapshot(watch)
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(DomainError) as err:
        record(watch, director, at=watch.opened_at + DAY, photos=[png(), fake])
    assert (err.value.field, err.value.code) == ("photos", "not_an_image")
    assert snapshot(watch) == before


def test_m14_at_most_five_photos(watch, director):
    before = snapshot(watch)
    with pytest.raises(DomainError) as err:
        record(watch, director, at=watch.opened_at + DAY, photos=[png() for _ in range(6)])
    assert err.value.field == "photos"
    assert snapshot(watch) == before


# --- the director's changes ---------------------------------------------------------------------


def test_m14_reassign_and_change_the_plan(watch, director, technician2):
    at = watch.opened_at + 5 * DAY
    defects.watch_reassign(
        actor=director,
        watch=watch,
        watcher=technician2,
        interval_days=14,
        planned_inspections=4,
        now=at,
    )
    watch.refresh_from_db()
    assert (watch.watcher, watch.interval_days, watch.planned_inspections) == (
        technician2,
        14,
        4,
    )
    # The open inspection follows the new interval, counted from the opening.
    assert watch.inspections.get().due_at == watch.opened_at + dt.timedelta(days=14)
    assert watch.history.first().history_user == director
    assert TicketEvent.objects.filter(ticket=watch.ticket, kind="defect_watch_changed").exists()
    assert Notification.objects.filter(event="defect.assigned", user=technician2).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("interval_days", 0),
        ("interval_days", 366),
        ("interval_days", "abc"),
        ("planned_inspections", 0),
        ("planned_inspections", 13),
    ],
)
def test_m14_the_plan_has_sane_bounds(watch, director, field, value):
    before = snapshot(watch)
    with pytest.raises(DomainError) as err:
        defects.watch_reassign(actor=director, watch=watch, watcher=director, **{field: value})
    assert err.value.field == field
    assert snapshot(watch) == before


def test_m14_the_plan_cannot_drop_below_the_clean_inspections_done(watch, director):
    record(watch, director, at=watch.opened_at + 30 * DAY)
    record(watch, director, at=watch.opened_at + 60 * DAY)
    with pytest.raises(DomainError) as err:
        defects.watch_reassign(actor=director, watch=watch, watcher=director, planned_inspections=2)
    assert err.value.field == "planned_inspections"


def test_m14_the_watcher_must_be_active_staff_of_the_office(
    watch, director, other_technician, followup
):
    retired = f.UserFactory(role=Role.TECHNICIAN, office=watch.office, is_active=False)
    before = snapshot(watch)
    for someone in (other_technician, followup, retired, None):
        with pytest.raises(DomainError) as err:
            defects.watch_reassign(actor=director, watch=watch, watcher=someone)
        assert err.value.field == "watcher"
    assert snapshot(watch) == before


def test_m14_only_the_director_reassigns(watch, agent, technician):
    with pytest.raises(Forbidden):
        defects.watch_reassign(actor=agent, watch=watch, watcher=technician)


def test_m14_early_close_needs_a_reason_and_the_director(watch, director, agent):
    before = snapshot(watch)
    with pytest.raises(DomainError) as err:
        defects.watch_close(actor=director, watch=watch, reason="  ")
    assert (err.value.field, err.value.status) == ("reason", 400)
    with pytest.raises(Forbidden):
        defects.watch_close(actor=agent, watch=watch, reason="不需要了")
    assert snapshot(watch) == before
    defects.watch_close(actor=director, watch=watch, reason="业主已委托第三方整体翻修")
    watch.refresh_from_db()
    assert watch.state == DefectWatch.State.CLOSED
    assert (watch.closed_by, watch.close_reason) == (director, "业主已委托第三方整体翻修")
    assert not watch.inspections.filter(done_at__isnull=True).exists()  # nothing more due
    event = TicketEvent.objects.get(ticket=watch.ticket, kind="defect_watch_closed")
    assert event.actor == director and event.note == "业主已委托第三方整体翻修"
    with pytest.raises(Conflict):
        defects.watch_close(actor=director, watch=watch, reason="again")


# --- overdue and reminders ----------------------------------------------------------------------


def test_m14_overdue_is_computed(watch, director):
    due = watch.inspections.get().due_at
    listed = lambda now: selectors.watch_list(  # noqa: E731
        director, selectors.WatchFilters(overdue=True), now=now
    )
    assert not listed(due - DAY).exists()
    row = listed(due + dt.timedelta(minutes=1)).get()
    assert selectors.is_overdue(row, due + dt.timedelta(minutes=1))


def test_m14_reminders_once_each(watch, director, technician):
    defects.watch_reassign(actor=director, watch=watch, watcher=technician)
    due = watch.inspections.get().due_at
    assert defects.defect_inspection_reminders(now=due - 2 * DAY) == {"due_soon": 0, "overdue": 0}
    assert defects.defect_inspection_reminders(now=due - dt.timedelta(hours=20)) == {
        "due_soon": 1,
        "overdue": 0,
    }
    assert defects.defect_inspection_reminders(now=due - dt.timedelta(hours=2)) == {
        "due_soon": 0,
        "overdue": 0,
    }
    soon = Notification.objects.get(event="defect.due_soon")
    assert soon.user == technician and watch.ticket.number in soon.subject
    assert defects.defect_inspection_reminders(now=due + DAY) == {"due_soon": 0, "overdue": 1}
    assert defects.defect_inspection_reminders(now=due + 3 * DAY) == {"due_soon": 0, "overdue": 0}
    late = Notification.objects.get(event="defect.overdue")
    assert late.user == director and technician.display_name in late.body


def test_m14_no_reminders_for_a_closed_watch(watch, director):
    due = watch.inspections.get().due_at
    defects.watch_close(actor=director, watch=watch, reason="业主要求")
    assert defects.defect_inspection_reminders(now=due + DAY) == {"due_soon": 0, "overdue": 0}


def test_m14_the_reminder_job_is_scheduled_daily():
    from propdesk.core import jobs

    job = jobs.get_job("defect_inspection_reminders")
    assert job.when.hour == {8} and job.when.minute == {0}
