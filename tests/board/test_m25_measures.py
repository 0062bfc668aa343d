"""M25: the other rules' measures on the board, each exact on a hand-built case with the cases
behind it — M02 roster gaps, M13 sampled calls, M14 inspections, M15 rework's 24 hours, M19
complaints on time, M20 cause and prevention."""

import datetime as dt

import pytest

from propdesk.aftercare.models import FollowupCall
from propdesk.board import selectors
from propdesk.core.measures import Figure
from propdesk.hotline.models import DutyShift
from propdesk.org.models import HotlineLine
from tests import factories as f

from .conftest import NOW, WEEK_NOW, at, call, complaint, figure, inspection, preventive

pytestmark = pytest.mark.django_db


def _cases(user, key, office, missed=True):
    found = selectors.cases(user, key, office_id=office.pk, period=WEEK_NOW, missed=missed, now=NOW)
    return list(found.records), found


def test_m02_uncovered_hours_add_over_the_three_lines(office, agent, director):
    lines = {
        kind: f.HotlineLineFactory(office=office, kind=kind)
        for kind in (HotlineLine.Kind.COMPLAINT, HotlineLine.Kind.SERVICE)
    }  # no 24-hour duty line: the whole week uncovered
    week_start, week_end = WEEK_NOW.bounds()
    DutyShift.objects.create(
        line=lines["complaint"], staff=agent, starts_at=week_start, ends_at=week_end
    )
    # The service line is covered but for the 8 hours from Tuesday 00:00.
    DutyShift.objects.create(
        line=lines["service"], staff=agent, starts_at=week_start, ends_at=at(9, 0)
    )
    DutyShift.objects.create(
        line=lines["service"], staff=agent, starts_at=at(9, 8), ends_at=week_end
    )
    fig = figure("m02_roster_gaps", office)
    assert fig.numerator == 168 + 8
    cases, _found = _cases(director, "m02_roster_gaps", office)
    assert len(cases) == 2 and all(c.missed for c in cases)
    assert "2026-06-09 00:00 – 2026-06-09 08:00" in cases[1].detail


def test_m13_sampled_calls_made_in_their_week(customer, office, director):
    sample = FollowupCall.Kind.SAMPLE
    due = at(14, 23)
    call(customer, kind=sample, due=due, done=at(9))
    call(customer, kind=sample, due=due, done=at(9), state=FollowupCall.State.UNREACHED)
    late = call(customer, kind=sample, due=at(7, 23), done=at(8))  # last week's, made late
    call(customer, kind=sample, due=due)  # still to make this week: not judged yet
    assert figure("m13_sample_called", office) == Figure(2, 2)
    last = WEEK_NOW.previous()
    fig = figure("m13_sample_called", office, period=last)
    assert fig == Figure(0, 1)
    found = selectors.cases(
        director, "m13_sample_called", office_id=office.pk, period=last, missed=True, now=NOW
    )
    assert [c.pk for c in found.records] == [late.pk]


def test_m14_inspections_on_time(customer, office, director):
    on_time = inspection(customer, watcher=director, due=at(8), done=at(8, 9))
    late = inspection(customer, watcher=director, due=at(9), done=at(10))
    missed = inspection(customer, watcher=director, due=at(10, 9))
    inspection(customer, watcher=director, due=at(12))  # still to come
    assert figure("m14_inspections_on_time", office) == Figure(1, 3)
    cases, _ = _cases(director, "m14_inspections_on_time", office)
    assert [i.pk for i in cases] == [late.pk, missed.pk]
    assert on_time.pk not in [i.pk for i in cases]


def test_m15_rework_followed_up_within_24_hours(customer, office, director):
    rework = FollowupCall.Kind.REWORK
    call(customer, kind=rework, due=at(9), done=at(8, 20), complained_at=at(8))
    late = call(customer, kind=rework, due=at(9), done=at(9, 13), complained_at=at(8))
    overdue = call(customer, kind=rework, due=at(10, 9), complained_at=at(9, 9))
    assert figure("m15_rework_followup_24h", office) == Figure(1, 3)
    cases, _ = _cases(director, "m15_rework_followup_24h", office)
    assert [c.pk for c in cases] == [late.pk, overdue.pk]


def test_m19_complaints_responded_and_resolved_on_time(customer, office, director):
    ok = complaint(
        customer,
        received=at(8),
        response_due=at(8, 14),
        responded=at(8, 13),
        due=at(9),
        resolved=at(9, 9),
    )
    slow = complaint(
        customer, received=at(8), response_due=at(8, 14), responded=at(8, 15), due=at(10, 9)
    )
    assert figure("m19_responded_on_time", office) == Figure(1, 2)
    assert figure("m19_resolved_on_time", office) == Figure(1, 2)
    cases, _ = _cases(director, "m19_resolved_on_time", office)
    assert [c.pk for c in cases] == [slow.pk]
    cases, _ = _cases(director, "m19_responded_on_time", office)
    assert [c.pk for c in cases] == [slow.pk] and ok.pk


def test_m20_closed_complaints_with_cause_and_prevention(customer, office, director):
    common = {"received": at(1), "response_due": at(1, 14), "responded": at(1, 13), "due": at(5)}
    closed = {
        "state": "closed",
        "answered_at": at(8),
        "closed_at": at(9),
        "cause_category": "staff",
        "cause_analysis": "保洁排班不足",
    }
    prevented = complaint(customer, **common, **closed)
    preventive(prevented, owner=director, due_on=dt.date(2026, 6, 9), done=at(9, 10))
    bare = complaint(customer, **common, **closed)  # closed with a cause but no measure
    assert figure("m20_cause_and_prevention", office) == Figure(1, 2)
    cases, _ = _cases(director, "m20_cause_and_prevention", office)
    assert [c.pk for c in cases] == [bare.pk]


def test_m20_preventive_measures_done_by_their_date(customer, office, director):
    c = complaint(customer, received=at(1), response_due=at(1, 14), due=at(5))
    preventive(c, owner=director, due_on=dt.date(2026, 6, 8), done=at(8, 23))  # on its day
    late = preventive(c, owner=director, due_on=dt.date(2026, 6, 8), done=at(9, 1))
    undone = preventive(c, owner=director, due_on=dt.date(2026, 6, 9))
    preventive(c, owner=director, due_on=dt.date(2026, 6, 12))  # still to come
    assert figure("m20_prevention_done", office) == Figure(1, 3)
    cases, _ = _cases(director, "m20_prevention_done", office)
    assert [m.pk for m in cases] == [late.pk, undone.pk]
