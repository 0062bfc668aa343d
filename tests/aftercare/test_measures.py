"""The weekly after-service measures: computed per office and ISO week from a small fixture,
written once (a second run changes nothing), read through the API and the console page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.aftercare.models import (
    DefectWatch,
    FollowupBatch,
    FollowupCall,
    Inspection,
    WeeklyMeasure,
)
from propdesk.aftercare.services.measures import weekly_measures
from propdesk.aftercare.weeks import monday_of as parse_week
from propdesk.aftercare.weeks import week_bounds, week_key, week_start_of
from propdesk.core import jobs
from tests.queries import count_queries, same_queries

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# Wednesday of ISO week 2026-W24 (Monday 8 June); the previous week is 2026-W23 (Monday 1 June).
NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 1, 0))
THIS_MONDAY = dt.date(2026, 6, 8)
LAST_MONDAY = dt.date(2026, 6, 1)
LAST_WEEK = timezone.make_aware(dt.datetime(2026, 6, 2, 10, 0))  # a Tuesday of 2026-W23


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_iso_weeks_in_local_time():
    # Sunday 23:30 in Shanghai is still the week that began on Monday 1 June.
    sunday_night = timezone.make_aware(dt.datetime(2026, 6, 7, 23, 30))
    assert week_start_of(sunday_night) == LAST_MONDAY
    assert week_start_of(sunday_night + H) == THIS_MONDAY
    assert week_key(THIS_MONDAY) == "2026-W24"
    assert parse_week("2026-W24") == THIS_MONDAY
    assert parse_week("2026-W60") is None and parse_week("june") is None
    first, following = week_bounds(THIS_MONDAY)
    assert following - first == 7 * DAY
    assert timezone.localtime(first).hour == 0


@pytest.fixture
def fixture(office, other_office, customer, make_ticket, followup, technician):
    """Last week in ``office``: a sample of 4 calls, 2 inspections, 3 rework follow-ups."""
    tickets = iter([make_ticket() for _n in range(12)])

    def call(kind, **fields):
        return FollowupCall.objects.create(
            kind=kind, office=office, ticket=next(tickets), customer=customer, **fields
        )

    batch = FollowupBatch.objects.create(
        office=office, week="2026-W23", week_start=LAST_MONDAY, seed="s", created_at=NOW
    )
    sample = FollowupCall.Kind.SAMPLE
    made = {"done_at": LAST_WEEK + DAY, "done_by": followup}
    call(sample, batch=batch, due_at=LAST_WEEK, state="done", reached=True, satisfied=True, **made)
    call(sample, batch=batch, due_at=LAST_WEEK, state="done", reached=True, satisfied=False, **made)
    call(sample, batch=batch, due_at=LAST_WEEK, state="unreached", reached=False, **made)
    call(sample, batch=batch, due_at=LAST_WEEK)  # not called yet
    # A sample of the week before does not count for last week.
    older = FollowupBatch.objects.create(
        office=office, week="2026-W22", week_start=LAST_MONDAY - 7 * DAY, seed="t", created_at=NOW
    )
    call(sample, batch=older, due_at=LAST_WEEK - 7 * DAY)

    watch = DefectWatch.objects.create(
        office=office,
        ticket=next(tickets),
        customer=customer,
        watcher=technician,
        opened_at=LAST_WEEK - 30 * DAY,
    )
    Inspection.objects.create(watch=watch, number=1, due_at=LAST_WEEK, done_at=LAST_WEEK - H)
    Inspection.objects.create(watch=watch, number=2, due_at=LAST_WEEK + H, done_at=LAST_WEEK + DAY)
    Inspection.objects.create(watch=watch, number=3, due_at=NOW + DAY)  # this week, not yet done

    rework = FollowupCall.Kind.REWORK
    call(rework, due_at=LAST_WEEK, complained_at=LAST_WEEK - DAY, done_at=LAST_WEEK - H)  # on time
    call(rework, due_at=LAST_WEEK, complained_at=LAST_WEEK - DAY, done_at=LAST_WEEK + H)  # late
    call(rework, due_at=LAST_WEEK + DAY, complained_at=LAST_WEEK)  # never made
    call(rework, due_at=NOW + H, complained_at=NOW - 23 * H)  # this week, still due
    return office


NUMBERS = [
    "sample_required",
    "sample_done",
    "followups_reached",
    "followups_satisfied",
    "inspections_due",
    "inspections_on_time",
    "rework_followups_due",
    "rework_followups_on_time",
]


def numbers(office, week):
    row = WeeklyMeasure.objects.get(office=office, week=week)
    return [getattr(row, name) for name in NUMBERS]


def test_measures_are_computed_per_office_and_week(fixture, office, other_office):
    assert weekly_measures(now=NOW) == {"created": 4, "updated": 0}
    assert numbers(office, "2026-W23") == [4, 3, 2, 1, 2, 1, 3, 1]
    assert numbers(office, "2026-W24") == [0, 0, 0, 0, 1, 0, 1, 0]
    assert numbers(other_office, "2026-W23") == [0] * 8
    assert WeeklyMeasure.objects.get(office=office, week="2026-W23").week_start == LAST_MONDAY


def test_measures_twice_change_nothing_and_follow_the_records(fixture, office):
    weekly_measures(now=NOW)
    before = list(WeeklyMeasure.objects.order_by("pk").values())
    assert weekly_measures(now=NOW + H) == {"created": 0, "updated": 0}
    assert list(WeeklyMeasure.objects.order_by("pk").values()) == before
    # The open rework follow-up of this week is made in time: only that row is rewritten.
    call = FollowupCall.objects.get(kind="rework", due_at=NOW + H)
    call.state, call.done_at = "done", NOW
    call.save(update_fields=["state", "done_at"])
    assert weekly_measures(now=NOW + 2 * H) == {"created": 0, "updated": 1}
    assert numbers(office, "2026-W24")[6:] == [1, 1]
    assert WeeklyMeasure.objects.count() == 4


def test_measures_take_a_fixed_number_of_queries(fixture, make_ticket, office, customer):
    with count_queries() as few:
        weekly_measures(now=NOW)
    for _n in range(5):
        FollowupCall.objects.create(
            kind="rework", office=office, ticket=make_ticket(), customer=customer, due_at=NOW
        )
    with count_queries() as many:
        weekly_measures(now=NOW + H)
    same_queries(few, many)


def test_measures_job_runs_daily_by_name(fixture):
    job = jobs.get_job("weekly_measures")
    assert job.when._orig_hour == 1 and job.when._orig_minute == 0
    assert jobs.run_job("weekly_measures", now=NOW).result == {"created": 4, "updated": 0}
    assert jobs.run_job("weekly_measures", now=NOW).result == {"created": 0, "updated": 0}


# --- reading them ---------------------------------------------------------------------------------

API = "/api/v1/weekly-measures/"
PAGE = reverse("console:aftercare_measures")


def test_measures_api_lists_my_office_and_filters(api, agent, fixture, office, quality):
    weekly_measures(now=NOW)
    api.force_authenticate(agent)
    rows = api.get(API).json()["results"]
    assert {(r["office"]["id"], r["week"]) for r in rows} == {
        (office.pk, "2026-W23"),
        (office.pk, "2026-W24"),
    }
    [row] = api.get(API, {"week": "2026-W23"}).json()["results"]
    assert (row["rework_followups_due"], row["rework_followups_on_time"]) == (3, 1)
    assert api.get(API, {"week": "W23"}).json()["field"] == "week"
    api.force_authenticate(quality)
    assert len(api.get(API).json()["results"]) == 4
    assert len(api.get(API, {"office": office.pk}).json()["results"]) == 2


def test_measures_console_page(client, director, fixture, technician):
    weekly_measures(now=NOW)
    director.language = "en"  # the console speaks Chinese unless the person chose English
    director.save(update_fields=["language"])
    client.force_login(director)
    body = client.get(PAGE).content.decode()
    # Each week by its dates, not its ISO key.
    assert "1 Jun – 7 Jun 2026" in body and "8 Jun – 14 Jun 2026" in body
    assert "2026-W23" not in body and "2026-W24" not in body
    assert "1 / 3" in body  # rework follow-ups on time of those due, last week
    assert client.get(PAGE, {"week": "nope"}).status_code == 400
    client.force_login(technician)
    assert client.get(PAGE).status_code == 403
