"""M15: rework from any complaint channel, dispatched at once, linked, due 24 hours after the
complaint, with its special follow-up due at the same time. The service, the console action on
the request page and POST /api/v1/tickets/{id}/rework/; refusals change nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.aftercare.models import FollowupCall
from propdesk.tickets import services
from propdesk.tickets.models import Priority, ReworkSource, Status, Ticket, TicketEvent

H = dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def complete(ticket, technician):
    """Tick every step of a dispatched work order and complete it."""
    for step in ticket.checklist.all():
        services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk)
    ticket.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=ticket, work_summary="已修好")


def close(ticket, agent):
    return services.ticket_customer_confirm(actor=agent, ticket=ticket, satisfied=True)


@pytest.fixture
def completed(dispatched, technician):
    return complete(dispatched, technician)


@pytest.fixture
def closed(completed, agent):
    return close(completed, agent)


def snapshot():
    """What a refused rework must leave as it was."""
    return (
        Ticket.objects.count(),
        FollowupCall.objects.count(),
        TicketEvent.objects.filter(kind="rework_opened").count(),
    )


# --- the service ---------------------------------------------------------------------------------


def test_m15_rework_is_due_24_hours_after_the_complaint_not_after_it_was_recorded(
    closed, agent, technician, followup
):
    now = timezone.now()
    complained_at = now - 5 * H  # the customer rang this morning; the agent records it now
    rework = services.rework_open(
        actor=agent,
        original=closed,
        complaint="卫生间又漏水了",
        source=ReworkSource.HOTLINE,
        complained_at=complained_at,
        now=now,
    )
    assert rework.due_at == complained_at + 24 * H
    assert rework.rework_of_id == closed.pk and rework.priority == Priority.HIGH
    # Dispatched at once, to the technician who did the work.
    assert (rework.status, rework.assignee_id) == (Status.DISPATCHED, technician.pk)
    # The special follow-up falls due at the same time, with the complaint's time and source.
    call = FollowupCall.objects.get(kind=FollowupCall.Kind.REWORK, ticket=rework)
    assert call.due_at == complained_at + 24 * H
    assert (call.complained_at, call.source) == (complained_at, ReworkSource.HOTLINE)
    assert (call.state, call.assignee_id, call.office_id) == ("open", followup.pk, closed.office_id)
    # Both timelines say so; the original keeps its status.
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED
    assert closed.events.filter(kind="rework_opened", note=rework.number).exists()
    assert rework.events.filter(kind="rework_opened", note=closed.number).exists()


def test_m15_lateness_on_time_late_and_open_past_due(closed, agent):
    now = timezone.now()
    rework = services.rework_open(
        actor=agent, original=closed, complaint="还漏", source="hotline", now=now - 30 * H
    )
    call = FollowupCall.objects.get(ticket=rework)
    due = call.due_at
    assert not call.is_late(due - H)  # open, not yet due
    assert call.is_late(due + H)  # open past its due time
    call.done_at = due - H
    assert not call.is_late(due + 10 * H)  # made in time stays on time
    call.done_at = due + H
    assert call.is_late(due + 2 * H)  # made after its due time


def test_m15_rework_goes_to_the_chosen_technician(closed, agent, technician2):
    rework = services.rework_open(
        actor=agent, original=closed, complaint="还漏", source="followup", technician=technician2
    )
    assert rework.assignee_id == technician2.pk


# --- the console action --------------------------------------------------------------------------


def detail(ticket):
    return reverse("console:ticket_detail", args=[ticket.pk])


def act(client, ticket, **data):
    ticket.refresh_from_db()
    data.setdefault("version", ticket.version)
    data.setdefault("source", "hotline")
    return client.post(reverse("console:ticket_action", args=[ticket.pk, "rework"]), data)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_m15_the_action_is_offered_on_done_work_to_roles_that_may_open_rework(
    client, agent, technician, make_ticket, closed, completed
):
    client.force_login(agent)
    assert 'id="action-rework"' in client.get(detail(closed)).content.decode()
    assert 'id="action-rework"' not in client.get(detail(make_ticket())).content.decode()
    # An answered inquiry is closed without any work done: nothing to redo.
    inquiry = services.ticket_answer(
        actor=agent, ticket=make_ticket(kind="inquiry"), answer="周一至周五"
    )
    assert 'id="action-rework"' not in client.get(detail(inquiry)).content.decode()
    client.force_login(technician)
    assert 'id="action-rework"' not in client.get(detail(closed)).content.decode()


def test_m15_console_opens_rework_dispatched_and_shows_its_special_followup(
    client, agent, closed, technician, followup
):
    client.force_login(agent)
    complained = timezone.now() - 2 * H
    response = act(client, closed, complaint="又漏了", complained_at=local(complained))
    assert response.status_code == 302
    rework = Ticket.objects.get(rework_of=closed)
    assert rework.status == Status.DISPATCHED and rework.assignee_id == technician.pk
    expected_due = complained.replace(second=0, microsecond=0) + 24 * H
    assert rework.due_at == expected_due
    page = client.get(detail(closed)).content.decode()
    assert f"Rework {rework.number} is opened and dispatched to" in page
    assert "Special follow-up" in page and followup.display_name in page
    assert timezone.localtime(expected_due).strftime("%Y-%m-%d %H:%M") in page
    # The rework's own page shows it too, with its original.
    page = client.get(detail(rework)).content.decode()
    assert "Special follow-up" in page and detail(closed) in page


def test_m15_console_shows_a_late_special_followup(client, agent, closed):
    services.rework_open(
        actor=agent,
        original=closed,
        complaint="还漏",
        source="hotline",
        complained_at=timezone.now() - 30 * H,
    )
    client.force_login(agent)
    page = client.get(detail(closed)).content.decode()
    assert 'class="badge red" title="Not made within 24 hours of the complaint">late' in page


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"complaint": ""}, 400, "Say what defect remains."),
        ({"complaint": "又漏了", "complained_at": "FUTURE"}, 400, "cannot be in the future"),
        ({"complaint": "又漏了", "source": "portal"}, 400, "Select a valid choice"),
    ],
)
def test_m15_console_bad_input_is_refused_and_changes_nothing(
    client, agent, closed, data, status, message
):
    if data.get("complained_at") == "FUTURE":
        data["complained_at"] = local(timezone.now() + 3 * H)
    client.force_login(agent)
    before = snapshot()
    response = act(client, closed, **data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert snapshot() == before


def test_m15_console_rework_of_work_not_done_is_409(client, agent, dispatched):
    client.force_login(agent)
    before = snapshot()
    response = act(client, dispatched, complaint="又漏了")
    assert response.status_code == 409
    assert "Rework is for work that has been done" in response.content.decode()
    assert snapshot() == before


def test_m15_console_another_offices_request_is_404(client, other_agent, closed):
    client.force_login(other_agent)
    before = snapshot()
    assert act(client, closed, complaint="又漏了").status_code == 404
    assert snapshot() == before


# --- the API -------------------------------------------------------------------------------------


def rework_url(ticket):
    return f"/api/v1/tickets/{ticket.pk}/rework/"


def test_m15_api_opens_rework_and_answers_with_it(api, agent, closed, technician):
    api.force_authenticate(agent)
    complained = timezone.now() - 3 * H
    response = api.post(
        rework_url(closed),
        {"complaint": "墙面又渗水", "source": "hotline", "complained_at": complained.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rework_of"]["id"] == closed.pk
    assert (body["status"], body["priority"]) == ("dispatched", "high")
    assert body["assignee"]["id"] == technician.pk
    rework = Ticket.objects.get(pk=body["id"])
    assert rework.due_at == complained + 24 * H
    assert FollowupCall.objects.get(ticket=rework).due_at == complained + 24 * H
    # The original now lists it, and offers rework again (to those who may).
    original = api.get(f"/api/v1/tickets/{closed.pk}/").json()
    assert [r["id"] for r in original["reworks"]] == [rework.pk]
    assert "rework" in original["allowed_actions"]


def test_m15_api_rework_of_a_request_not_done_is_409(api, agent, dispatched):
    api.force_authenticate(agent)
    before = snapshot()
    response = api.post(
        rework_url(dispatched), {"complaint": "又漏", "source": "hotline"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["field"] == "status"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "hotline"}, "complaint"),
        ({"complaint": "   ", "source": "hotline"}, "complaint"),
        ({"complaint": "又漏", "source": "hotline", "complained_at": "FUTURE"}, "complained_at"),
        ({"complaint": "又漏", "source": "hotline", "complained_at": "yesterday"}, "complained_at"),
        ({"complaint": "又漏"}, "source"),
        ({"complaint": "又漏", "source": "portal"}, "source"),
        ({"complaint": "又漏", "source": "hotline", "technician": "OTHER"}, "technician"),
    ],
)
def test_m15_api_bad_input_is_400_naming_the_field_and_changes_nothing(
    api, agent, closed, other_technician, body, field
):
    if body.get("complained_at") == "FUTURE":
        body["complained_at"] = (timezone.now() + H).isoformat()
    if body.get("technician") == "OTHER":
        body["technician"] = other_technician.pk
    api.force_authenticate(agent)
    before = snapshot()
    response = api.post(rework_url(closed), body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert snapshot() == before


def test_m15_api_another_offices_request_is_404(api, other_agent, closed):
    api.force_authenticate(other_agent)
    before = snapshot()
    response = api.post(rework_url(closed), {"complaint": "又漏", "source": "hotline"})
    assert response.status_code == 404
    assert snapshot() == before


def test_m15_api_a_technician_may_not_open_rework(api, technician, closed):
    api.force_authenticate(technician)
    before = snapshot()
    response = api.post(rework_url(closed), {"complaint": "又漏", "source": "hotline"})
    assert response.status_code == 403
    assert snapshot() == before


def test_m15_a_company_follow_up_specialist_opens_rework_from_a_call(api, followup, closed):
    api.force_authenticate(followup)
    response = api.post(
        rework_url(closed), {"complaint": "回访时客户说还漏", "source": "followup"}, format="json"
    )
    assert response.status_code == 201
    assert FollowupCall.objects.get(ticket_id=response.json()["id"]).source == "followup"
