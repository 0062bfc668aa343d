"""M15 in the demo company: every rework order has its special follow-up call, made as the
follow-up contact on it says (mostly within 24 hours, some late), and the weekly measures exist."""

import datetime as dt

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from propdesk.aftercare.models import FollowupCall, WeeklyMeasure
from propdesk.demo import data
from propdesk.demo.builder import build_demo
from propdesk.org.models import Office
from propdesk.tickets.models import Channel, Ticket


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media
        ),
        transaction.atomic(),
    ):
        yield build_demo(seed=2026, scale=0.05)
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo", "db")


def test_m15_every_demo_rework_has_its_special_followup_as_the_contact_says():
    reworks = Ticket.objects.filter(rework_of__isnull=False)
    assert reworks.exists()
    calls = {c.ticket_id: c for c in FollowupCall.objects.filter(kind="rework")}
    assert set(calls) == set(reworks.values_list("pk", flat=True))
    done = [c for c in calls.values() if c.state == FollowupCall.State.DONE]
    assert done
    for call in done:
        # Made through the follow-up service: its contact is in the customer's history.
        assert call.ticket.contacts.filter(
            channel=Channel.FOLLOWUP, at=call.done_at, staff_id=call.done_by_id
        ).exists()
        assert call.done_by_id == call.assignee_id
        assert (call.reached, call.satisfied, call.comment) == (True, True, data.REWORK_FOLLOWUP)
        assert call.attempts == call.attempts_made.count() == 1
        assert call.due_at == call.complained_at + dt.timedelta(hours=24)
    # Still open only where the follow-up lies in the demo's future.
    assert all(c.done_at is None for c in calls.values() if c.state == FollowupCall.State.OPEN)
    now = timezone.now()
    on_time = sum(not c.is_late(now) for c in done)
    assert on_time >= len(done) * 0.6


def test_the_demo_has_this_and_last_weeks_measures():
    assert WeeklyMeasure.objects.count() == 2 * Office.objects.count()
