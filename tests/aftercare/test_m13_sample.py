"""M13: the weekly 20% sample of each office's completed repair orders — who is in it, how many,
that anyone can re-draw it, one per office and week however often the job runs, and who calls."""

import datetime as dt
import random
import threading
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from propdesk.aftercare.models import FollowupBatch, FollowupCall
from propdesk.aftercare.services import followups
from propdesk.core import jobs
from propdesk.core.errors import Conflict, DomainError, Forbidden
from propdesk.core.models import JobRun
from propdesk.org.models import Role
from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind, ReworkSource, Status, Ticket
from tests import factories as f

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
JOB = "weekly_followup_sample"
# The job runs on Monday of ISO week 2026-W24 and samples 2026-W23 (1 to 7 June).
MONDAY = dt.datetime(2026, 6, 8, 0, 30, tzinfo=SHANGHAI)
IN_W23 = dt.datetime(2026, 6, 3, 10, 0, tzinfo=SHANGHAI)
W23_START = dt.datetime(2026, 6, 1, 0, 0, tzinfo=SHANGHAI)
W24_START = dt.datetime(2026, 6, 8, 0, 0, tzinfo=SHANGHAI)


def completed_repair(customer, *, at, kind=Kind.REPAIR, technician=None):
    """A request of ``customer``'s office taken through the services and completed at ``at``."""
    office = customer.office
    agent = f.UserFactory(role=Role.AGENT, office=office)
    technician = technician or f.UserFactory(role=Role.TECHNICIAN, office=office)
    before = at - dt.timedelta(hours=3)
    ticket = services.ticket_create(
        actor=agent,
        customer=customer,
        kind=kind,
        channel=Channel.HOTLINE,
        description="卫生间漏水",
        item=f.ServiceItemFactory(steps=[]),
        now=before,
    )
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="上门", now=before)
    ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician, now=before)
    return services.ticket_complete(
        actor=technician, ticket=ticket, work_summary="更换密封圈", now=at
    )


def repairs_completed(customer, n, *, at=IN_W23) -> list[int]:
    """``n`` repair orders completed at ``at``, made quickly: received, then marked completed."""
    agent = f.UserFactory(role=Role.AGENT, office=customer.office)
    ids = [
        services.ticket_create(
            actor=agent,
            customer=customer,
            kind=Kind.REPAIR,
            channel=Channel.HOTLINE,
            description=f"维修 {i}",
        ).pk
        for i in range(n)
    ]
    Ticket.objects.filter(pk__in=ids).update(status=Status.COMPLETED, completed_at=at)
    return ids


def last_week() -> tuple[str, dt.datetime]:
    """Last week by the real clock (the console and the API act now): its key, and a moment in
    it when a repair was completed."""
    monday = followups.week_start_of(timezone.now()) - dt.timedelta(days=7)
    moment = dt.datetime.combine(monday + dt.timedelta(days=2), dt.time(10), tzinfo=SHANGHAI)
    return followups.week_key(monday), moment


@pytest.fixture
def specialists(db):
    return [f.UserFactory(role=Role.FOLLOWUP, office=None) for _ in range(3)]


# --- how many --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "sample"),
    [(0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (11, 3), (100, 20), (101, 21)],
)
def test_m13_sample_is_a_fifth_rounded_up_and_at_least_one(population, sample):
    assert followups.sample_size(population) == sample
    drawn = followups.draw(list(range(1, population + 1)), "ab12")
    assert len(drawn) == sample
    assert len(set(drawn)) == sample  # no order twice


# --- who is in it -----------------------------------------------------------------------------


def test_m13_only_repairs_completed_last_week_in_that_office(
    office, other_office, customer, other_customer, specialists, make_ticket
):
    in_week = [
        completed_repair(customer, at=W23_START).pk,  # Monday 00:00, the first moment
        completed_repair(customer, at=IN_W23).pk,
        completed_repair(customer, at=W24_START - dt.timedelta(seconds=1)).pk,  # Sunday night
    ]
    in_week += repairs_completed(customer, 3)
    completed_repair(customer, at=W23_START - dt.timedelta(seconds=1))  # the week before
    completed_repair(customer, at=W24_START)  # this week: next week's sample
    completed_repair(customer, at=IN_W23, kind=Kind.SERVICE)  # not a repair
    make_ticket()  # received, not completed
    in_week_other = repairs_completed(other_customer, 1)

    outcome = jobs.run_job(JOB, now=MONDAY)

    assert outcome.result == {"week": "2026-W23", "batches": 2, "calls": 3}
    batch = FollowupBatch.objects.get(office=office)
    assert (batch.week, batch.week_start) == ("2026-W23", dt.date(2026, 6, 1))
    assert batch.population == sorted(in_week)
    assert len(batch.sample) == 2 and set(batch.sample) <= set(in_week)
    assert len(set(batch.sample)) == 2
    other = FollowupBatch.objects.get(office=other_office)
    assert (other.population, other.sample) == (in_week_other, in_week_other)
    calls = FollowupCall.objects.filter(batch=batch)
    assert sorted(c.ticket_id for c in calls) == sorted(batch.sample)
    assert {(c.kind, c.state, c.office_id) for c in calls} == {("sample", "open", office.pk)}
    assert all(c.customer_id == customer.pk for c in calls)


def test_m13_rework_orders_are_repairs_too(office, customer, technician, specialists):
    original = completed_repair(
        customer, at=W23_START - dt.timedelta(days=2), technician=technician
    )
    rework = services.rework_open(
        original=original, complaint="还在漏", source=ReworkSource.HOTLINE, now=IN_W23
    )
    rework.refresh_from_db()
    assert rework.status == Status.DISPATCHED
    services.ticket_complete(actor=technician, ticket=rework, work_summary="重新密封", now=IN_W23)

    followups.weekly_sample(now=MONDAY)

    assert FollowupBatch.objects.get(office=office).population == [rework.pk]


def test_m13_an_office_without_repairs_gets_an_empty_batch_so_the_board_shows_it_was_checked(
    office, other_office, customer, specialists
):
    repairs_completed(customer, 2)
    followups.weekly_sample(now=MONDAY)
    empty = FollowupBatch.objects.get(office=other_office)
    assert (empty.population, empty.sample, empty.week) == ([], [], "2026-W23")
    assert not empty.calls.exists()
    assert len(empty.seed) == 32


# --- reproducible -------------------------------------------------------------------------------


def test_m13_the_stored_seed_redraws_the_stored_sample(office, customer, specialists):
    repairs_completed(customer, 23)
    followups.weekly_sample(now=MONDAY)
    batch = FollowupBatch.objects.get(office=office)
    assert len(batch.sample) == 5
    assert followups.redraw(batch) == batch.sample
    # …and without propdesk, as the model says: the draw is plain Python.
    assert random.Random(batch.seed).sample(sorted(batch.population), 5) == batch.sample
    # A fresh seed each week and office: another draw would (almost surely) differ.
    assert followups.draw(batch.population, batch.seed + "0") != batch.sample


# --- who calls, and by when ---------------------------------------------------------------------


def test_m13_calls_are_spread_evenly_across_specialists(office, customer, specialists):
    repairs_completed(customer, 30)  # six calls
    followups.weekly_sample(now=MONDAY)
    per_specialist = [FollowupCall.objects.filter(assignee=s).count() for s in specialists]
    assert per_specialist == [2, 2, 2]


def test_m13_a_busier_specialist_gets_fewer_new_calls(
    office, other_office, customer, other_customer, specialists
):
    busy = specialists[0]
    for ticket_id in repairs_completed(customer, 3, at=IN_W23 - dt.timedelta(days=14)):
        FollowupCall.objects.create(
            kind=FollowupCall.Kind.REWORK,
            office=office,
            ticket_id=ticket_id,
            customer=customer,
            assignee=busy,
            due_at=IN_W23,
        )
    repairs_completed(customer, 20)  # four calls here…
    repairs_completed(other_customer, 10)  # …and two there, counted together
    followups.weekly_sample(now=MONDAY)
    new = [
        FollowupCall.objects.filter(assignee=s, kind=FollowupCall.Kind.SAMPLE).count()
        for s in specialists
    ]
    assert new == [0, 3, 3]  # the busy one already had three open
    open_now = [FollowupCall.objects.filter(assignee=s, state="open").count() for s in specialists]
    assert open_now == [3, 3, 3]


def test_m13_calls_are_due_at_the_end_of_the_week_of_calling(office, customer, specialists):
    repairs_completed(customer, 6)
    followups.weekly_sample(now=MONDAY)
    sunday_night = dt.datetime(2026, 6, 14, 23, 59, 59, tzinfo=SHANGHAI)
    assert set(FollowupCall.objects.values_list("due_at", flat=True)) == {sunday_night}


def test_m13_without_a_specialist_the_calls_wait_unassigned(office, customer):
    repairs_completed(customer, 2)
    followups.weekly_sample(now=MONDAY)
    assert FollowupCall.objects.get().assignee is None


def test_m13_without_a_specialist_the_job_warns_once_not_once_an_office(
    office, other_office, customer, other_customer, caplog
):
    repairs_completed(customer, 1)
    repairs_completed(other_customer, 1)
    with caplog.at_level("WARNING", logger="propdesk"):
        followups.weekly_sample(now=MONDAY)
    warnings = [r.getMessage() for r in caplog.records if "follow-up specialist" in r.getMessage()]
    assert warnings == ["no active follow-up specialist: the 2 calls of 2026-W23 are unassigned"]


# --- once per office and week -------------------------------------------------------------------


def test_m13_the_job_twice_makes_one_batch_per_office_and_week(
    office, other_office, customer, specialists
):
    repairs_completed(customer, 6)
    first = jobs.run_job(JOB, now=MONDAY)
    again = jobs.run_job(JOB, now=MONDAY + dt.timedelta(hours=5))
    assert (first.ran, again.ran) == (True, False)
    # Called directly, past the JobRun, the batches' unique key still holds.
    assert followups.weekly_sample(now=MONDAY)["batches"] == 0
    assert FollowupBatch.objects.count() == 2
    assert FollowupCall.objects.count() == 2
    assert JobRun.objects.filter(job=JOB).count() == 1


def test_m13_runjob_prints_what_the_sample_did(office, customer, specialists):
    repairs_completed(customer, 11)
    out = StringIO()
    call_command("runjob", JOB, "--at", "2026-06-08T00:30", stdout=out)
    assert out.getvalue().strip() == f"{JOB} (2026-W24): week=2026-W23, batches=1, calls=3"
    out = StringIO()
    call_command("runjob", JOB, "--at", "2026-06-10T09:00", stdout=out)
    assert "already done" in out.getvalue()
    assert FollowupBatch.objects.get().sample_size == 3


def test_m13_the_schedule_runs_it_early_on_monday_once_a_week():
    job = jobs.get_job(JOB)
    assert job.period == "week"
    assert jobs.is_due(job.when, MONDAY - dt.timedelta(minutes=1), MONDAY)
    assert not jobs.is_due(job.when, MONDAY, MONDAY + dt.timedelta(days=6))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["run_job", "direct"])
def test_m13_two_runs_at_once_make_one_batch_per_office(how, company):
    office = f.OfficeFactory(company=company)
    other = f.OfficeFactory(company=company)
    for _ in range(2):
        f.UserFactory(role=Role.FOLLOWUP, office=None)
    customer = f.CustomerFactory(office=office)
    repairs_completed(customer, 11)
    barrier = threading.Barrier(2)
    errors, results = [], []

    def run():
        try:
            barrier.wait()
            if how == "run_job":
                results.append(jobs.run_job(JOB, now=MONDAY).ran)
            else:
                results.append(followups.weekly_sample(now=MONDAY)["batches"])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    if how == "run_job":
        assert sorted(results) == [False, True]
    else:
        assert sum(results) == 2  # two offices, each drawn by one of the runs
    assert FollowupBatch.objects.filter(office=office).count() == 1
    assert FollowupBatch.objects.filter(office=other).count() == 1
    assert FollowupCall.objects.count() == 3


# --- a chosen week ----------------------------------------------------------------------------


def test_m13_a_chosen_past_week_can_be_sampled_by_the_follow_up_team(
    office, customer, followup, specialists
):
    repairs_completed(customer, 6, at=IN_W23 - dt.timedelta(days=7))  # in 2026-W22
    done = followups.sample_week(office=office, week="2026-W22", now=MONDAY, actor=followup)
    assert done.created and done.batch.week == "2026-W22"
    assert done.batch.sample_size == 2
    again = followups.sample_week(office=office, week="2026-05-27", now=MONDAY, actor=followup)
    assert (again.created, again.batch.pk) == (False, done.batch.pk)


@pytest.mark.parametrize("week", ["2026-W24", "2026-06-10", "2026-W30"])
def test_m13_a_week_not_yet_over_is_refused_and_changes_nothing(
    office, customer, followup, specialists, week
):
    repairs_completed(customer, 6, at=MONDAY + dt.timedelta(hours=1))
    wednesday = MONDAY + dt.timedelta(days=2)
    with pytest.raises(Conflict) as err:
        followups.sample_week(office=office, week=week, now=wednesday, actor=followup)
    assert (err.value.field, err.value.code) == ("week", "week_not_over")
    assert not FollowupBatch.objects.exists() and not FollowupCall.objects.exists()


def test_m13_a_week_long_past_is_refused(office, followup):
    with pytest.raises(DomainError) as err:
        followups.sample_week(office=office, week="2026-W15", now=MONDAY, actor=followup)
    assert (err.value.status, err.value.field, err.value.code) == (400, "week", "week_too_old")
    assert followups.sample_week(office=office, week="2026-W16", now=MONDAY, actor=followup)


@pytest.mark.parametrize(
    "week", ["", "2026-W60", "next week", "2026-13-01", "9999-W52", "9999-12-31", "0001-W01"]
)
def test_m13_a_week_that_is_no_week_is_refused(office, followup, week):
    with pytest.raises(DomainError) as err:
        followups.sample_week(office=office, week=week, now=MONDAY, actor=followup)
    assert err.value.status == 400 and err.value.field == "week"
    assert not FollowupBatch.objects.exists()


@pytest.mark.parametrize("role", ["agent", "director", "quality", "leadership"])
def test_m13_only_the_follow_up_team_samples_a_chosen_week(office, customer, role, request):
    person = request.getfixturevalue(role)
    with pytest.raises(Forbidden):
        followups.sample_week(office=office, week="2026-W23", now=MONDAY, actor=person)
    assert not FollowupBatch.objects.exists()
