"""Hotline fixtures: the office's three lines, another office's line, calls and shifts."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.hotline.models import Call, DutyShift
from propdesk.org.models import HotlineLine
from tests import factories as f

# 2026-03-02 is a Monday; 10:00 in Asia/Shanghai.
NOW = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))


def at(hours: float) -> dt.datetime:
    return NOW + dt.timedelta(hours=hours)


@pytest.fixture
def lines(office):
    """``office``'s three lines (M02), keyed by kind."""
    numbers = {
        HotlineLine.Kind.COMPLAINT: "+8675588100001",
        HotlineLine.Kind.SERVICE: "+8675588100002",
        HotlineLine.Kind.DUTY: "+8675588100003",
    }
    return {
        kind: f.HotlineLineFactory(office=office, kind=kind, number=number)
        for kind, number in numbers.items()
    }


@pytest.fixture
def line(lines):
    return lines[HotlineLine.Kind.SERVICE]


@pytest.fixture
def other_line(other_office):
    return f.HotlineLineFactory(
        office=other_office, kind=HotlineLine.Kind.SERVICE, number="+8675588200002"
    )


@pytest.fixture
def make_call():
    def make(line, *, caller="+8613912345678", state=Call.State.RINGING, started=None, **kw):
        return Call.objects.create(
            line=line,
            office_id=line.office_id,
            caller_number=caller,
            caller_e164=caller,
            state=state,
            started_at=started or timezone.now(),
            **kw,
        )

    return make


@pytest.fixture
def make_shift():
    def make(line, staff, start, end):
        return DutyShift.objects.create(line=line, staff=staff, starts_at=start, ends_at=end)

    return make
