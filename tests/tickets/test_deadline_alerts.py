"""M09: staff hear of requests due within two hours and of those overdue, each deadline once."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from propdesk.core.models import Notification
from propdesk.tickets import jobs, services
from propdesk.tickets.jobs import ticket_deadline_alerts
from propdesk.tickets.models import Kind
from tests.queries import count_queries, same_queries

HOUR = dt.timedelta(hours=1)


def alerts(event=None):
    rows = Notification.objects.filter(event__in=["ticket.due_soon", "ticket.overdue"])
    return rows.filter(event=f"ticket.{event}") if event else rows


def told(event) -> set[str]:
    return set(alerts(event).values_list("user__username", flat=True))


def test_due_soon_and_nobody_dispatched_tells_the_office_desk_once(
    make_ticket, agent, director, technician, other_agent
):
    ticket = make_ticket()

    assert ticket_deadline_alerts(now=ticket.due_at - 3 * HOUR) == {"due_soon": 0, "overdue": 0}
    assert ticket_deadline_alerts(now=ticket.due_at - HOUR) == {"due_soon": 2, "overdue": 0}
    assert ticket_deadline_alerts(now=ticket.due_at - HOUR) == {"due_soon": 0, "overdue": 0}
    ticket_deadline_alerts(now=ticket.due_at - HOUR / 2)

    # The desk: agents and director of the request's office, not its technicians nor other offices.
    assert told("due_soon") == {"agent", "director"}
    assert alerts().count() == 2  # in-app only: no one has an e-mail address
    message = alerts("due_soon").get(user=agent)
    assert message.subject == f"Request {ticket.number} is due by {local(ticket.due_at)}"
    assert "张伟" in message.body and "厨房水管漏水" in message.body
    assert message.link == f"/console/requests/{ticket.pk}/"


def test_due_soon_with_a_technician_tells_him_alone(dispatched, agent, director, technician):
    ticket_deadline_alerts(now=dispatched.due_at - HOUR)
    assert told("due_soon") == {"tech"}


def test_due_soon_tells_the_technician_who_holds_the_work_order_now(
    dispatched, agent, technician, technician2
):
    services.ticket_transfer(
        actor=agent, ticket=dispatched, technician=technician2, reason="刘强今天请假"
    )
    ticket_deadline_alerts(now=dispatched.due_at - HOUR)
    assert told("due_soon") == {"tech2"}


def test_overdue_tells_the_technician_and_the_director(dispatched, agent, director, technician):
    assert ticket_deadline_alerts(now=dispatched.due_at + 10 * dt.timedelta(minutes=1)) == {
        "due_soon": 0,
        "overdue": 2,
    }
    ticket_deadline_alerts(now=dispatched.due_at + HOUR)

    assert told("overdue") == {"tech", "director"}
    assert alerts("overdue").count() == 2
    assert alerts("overdue").get(user=director).subject == (
        f"Request {dispatched.number} is overdue"
    )


def test_overdue_and_nobody_dispatched_tells_the_director(make_ticket, agent, director):
    ticket = make_ticket()
    ticket_deadline_alerts(now=ticket.due_at + HOUR)
    assert told("overdue") == {"director"}


def test_a_request_overdue_for_long_is_not_announced_late(make_ticket, agent, director):
    ticket = make_ticket()
    ticket_deadline_alerts(now=ticket.due_at + jobs.OVERDUE_LOOKBACK + HOUR)
    assert not alerts().exists()


def test_an_extended_deadline_alerts_again(dispatched, agent, technician):
    ticket_deadline_alerts(now=dispatched.due_at - HOUR)
    services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=dispatched.due_at + dt.timedelta(days=1),
        reason="等配件",
        contact_summary="电话说明, 客户同意",
        customer_agreed=True,
    )
    dispatched.refresh_from_db()

    ticket_deadline_alerts(now=dispatched.due_at - HOUR)
    ticket_deadline_alerts(now=dispatched.due_at - HOUR)

    mine = alerts("due_soon").filter(user=technician).order_by("pk")
    assert mine.count() == 2
    assert local(dispatched.due_at) in mine.last().subject


@pytest.mark.parametrize("outcome", ["cancelled", "completed", "closed"])
def test_requests_no_longer_open_never_alert(
    make_ticket, dispatched, agent, technician, director, outcome
):
    if outcome == "cancelled":
        ticket = services.ticket_cancel(actor=agent, ticket=make_ticket(), reason="客户自行修好")
    elif outcome == "completed":
        for step in dispatched.checklist.all():
            services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
        dispatched.refresh_from_db()
        ticket = services.ticket_complete(
            actor=technician, ticket=dispatched, work_summary="已更换阀门"
        )
    else:
        inquiry = make_ticket(kind=Kind.INQUIRY, description="物业费怎么交?")
        ticket = services.ticket_answer(actor=agent, ticket=inquiry, answer="在服务中心或网上缴纳")
    assert ticket.status == outcome
    Notification.objects.all().delete()

    for now in (ticket.due_at - HOUR, ticket.due_at + HOUR):
        ticket_deadline_alerts(now=now)

    assert not alerts().filter(link=f"/console/requests/{ticket.pk}/").exists()


def test_alerts_speak_each_recipients_language(dispatched, director, technician):
    technician.language = "zh-hans"
    technician.save(update_fields=["language"])
    director.language = "en"
    director.save(update_fields=["language"])

    ticket_deadline_alerts(now=dispatched.due_at + HOUR)

    english = alerts("overdue").get(user=director)
    assert (english.language, english.subject) == ("en", f"Request {dispatched.number} is overdue")
    chinese = alerts("overdue").get(user=technician)
    subject, _body = jobs.MESSAGES["overdue"]
    with translation.override("zh-hans"):
        in_chinese = str(subject) % {"number": dispatched.number}
    assert (chinese.language, chinese.subject) == ("zh-hans", in_chinese)


def test_the_job_reads_in_a_few_queries_however_many_requests_are_due(
    make_ticket, agent, director, technician
):
    def queries_for_second_run(count):
        tickets = [make_ticket(description=f"漏水 {i}") for i in range(count)]
        now = max(t.due_at for t in tickets) - HOUR
        ticket_deadline_alerts(now=now)  # the first run writes the alerts
        with count_queries() as queries:
            assert ticket_deadline_alerts(now=now) == {"due_soon": 0, "overdue": 0}
        return queries

    few = queries_for_second_run(2)
    many = queries_for_second_run(6)
    # Per window the ids, then per chunk the requests, their assignments, the desks and the
    # alerts already written (and a savepoint).
    same_queries(few, many)
    assert len(many) <= 10, many


def test_runjob_runs_the_alerts(make_ticket, agent, director):
    ticket = make_ticket()
    at = timezone.localtime(ticket.due_at - HOUR).strftime("%Y-%m-%dT%H:%M:%S")
    out = StringIO()
    call_command("runjob", "ticket_deadline_alerts", "--at", at, stdout=out)
    assert out.getvalue() == "ticket_deadline_alerts: due_soon=2, overdue=0\n"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
