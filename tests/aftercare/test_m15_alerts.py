"""M15's 24-hour clock: ``rework_followup_alerts`` tells the office's director two hours before a
special follow-up falls due (and the specialist it is assigned to), and the director again when it
is due and not made — each once, however often the job runs, in a bounded number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.aftercare.models import FollowupCall
from propdesk.aftercare.services.rework import rework_followup_alerts
from propdesk.core import jobs
from propdesk.core.models import Notification
from propdesk.org.models import Role
from propdesk.tickets import services
from tests import factories as f
from tests.queries import count_queries, same_queries

from .test_m15_rework import close, complete

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
# The customer complained at 09:00 on a Wednesday; the follow-up is due at 09:00 on Thursday.
COMPLAINED = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
DUE = COMPLAINED + 24 * H


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def closed(dispatched, technician, agent):
    return close(complete(dispatched, technician), agent)


@pytest.fixture
def call(closed, agent, director, followup, other_office):
    f.UserFactory(role=Role.DIRECTOR, office=other_office)  # hears nothing of this office
    rework = services.rework_open(
        actor=agent,
        original=closed,
        complaint="又漏了",
        source="hotline",
        complained_at=COMPLAINED,
        now=COMPLAINED + H,
    )
    return FollowupCall.objects.get(ticket=rework)


def told(event):
    return sorted(
        Notification.objects.filter(event=f"followup.rework_{event}").values_list(
            "user__username", flat=True
        )
    )


def test_m15_nothing_to_say_more_than_two_hours_before(call):
    assert rework_followup_alerts(now=DUE - 2 * H - M) == {"due_soon": 0, "late": 0}
    assert not Notification.objects.filter(event__startswith="followup.").exists()


def test_m15_director_and_specialist_hear_two_hours_before_once(call, director, followup):
    assert rework_followup_alerts(now=DUE - 2 * H) == {"due_soon": 2, "late": 0}
    assert told("due_soon") == ["director", "followup"]
    message = Notification.objects.get(event="followup.rework_due_soon", user=director)
    assert call.ticket.number in message.subject
    assert "2026-06-11 09:00" in message.body and followup.display_name in message.body
    # Every five minutes until the deadline: nothing more.
    for minutes in (5, 60, 115):
        assert rework_followup_alerts(now=DUE - 2 * H + minutes * M) == {
            "due_soon": 0,
            "late": 0,
        }
    assert told("due_soon") == ["director", "followup"]


def test_m15_director_hears_again_at_the_deadline_once(call, director):
    rework_followup_alerts(now=DUE - H)
    assert rework_followup_alerts(now=DUE) == {"due_soon": 0, "late": 1}
    assert told("late") == ["director"]
    assert "has not been made" in Notification.objects.get(event="followup.rework_late").body
    assert rework_followup_alerts(now=DUE + 5 * M) == {"due_soon": 0, "late": 0}
    assert rework_followup_alerts(now=DUE + 10 * H) == {"due_soon": 0, "late": 0}
    assert told("late") == ["director"]


def test_m15_a_followup_made_in_time_raises_no_late_alert(call, followup):
    rework_followup_alerts(now=DUE - H)
    call.state, call.done_at, call.done_by = FollowupCall.State.DONE, DUE - 30 * M, followup
    call.save(update_fields=["state", "done_at", "done_by"])
    assert rework_followup_alerts(now=DUE + M) == {"due_soon": 0, "late": 0}
    assert told("late") == []


def test_m15_late_news_only_within_a_day(call):
    """After a long stop, follow-ups that fell due days ago are on the board, not announced."""
    assert rework_followup_alerts(now=DUE + 25 * H) == {"due_soon": 0, "late": 0}


def test_m15_the_job_is_on_the_schedule_and_runs_by_name(call):
    outcome = jobs.run_job("rework_followup_alerts", now=DUE - H)
    assert outcome.result == {"due_soon": 2, "late": 0}
    assert jobs.get_job("rework_followup_alerts").when._orig_minute == "*/5"


def test_m15_alerts_take_a_bounded_number_of_queries(
    call, agent, dispatched, technician, make_ticket, free_item
):
    def run():
        with count_queries() as queries:
            rework_followup_alerts(now=DUE - H)
        return queries

    rework_followup_alerts(now=DUE - H)
    one = run()  # everyone told already: only the reads
    for _n in range(3):
        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=free_item), confirmation="上门"
        )
        ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
        original = close(complete(ticket, technician), agent)
        services.rework_open(
            actor=agent,
            original=original,
            complaint="又漏",
            source="hotline",
            complained_at=COMPLAINED,
            now=COMPLAINED + H,
        )
    rework_followup_alerts(now=DUE - H)
    same_queries(one, run())
