"""M15's rework board, /console/rework/ and GET /api/v1/rework/: each rework order with its
original, the complaint's source and time, its status and technician, and the special follow-up's
due time, state and lateness; filters, this week's late count, and a constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.aftercare.models import FollowupCall
from propdesk.aftercare.weeks import week_key, week_start_of
from propdesk.tickets import services
from tests.queries import count_queries, same_queries

from .test_m15_rework import close, complete

H = dt.timedelta(hours=1)
BOARD = reverse("console:rework_board")
API = "/api/v1/rework/"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def rework_for(agent, technician, make_ticket, free_item):
    """A closed repair of ``office`` and its rework, complained about ``hours_ago``."""

    def make(hours_ago=2, source="hotline"):
        ticket = services.ticket_confirm(
            actor=agent, ticket=make_ticket(item=free_item), confirmation="上门"
        )
        ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
        original = close(complete(ticket, technician), agent)
        rework = services.rework_open(
            actor=agent,
            original=original,
            complaint="又漏了",
            source=source,
            complained_at=timezone.now() - hours_ago * H,
        )
        return FollowupCall.objects.get(ticket=rework)

    return make


@pytest.fixture
def theirs(other_agent, other_customer, other_technician):
    ticket = services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind="repair",
        channel="hotline",
        description="阳台漏水",
    )
    ticket = services.ticket_confirm(actor=other_agent, ticket=ticket, confirmation="上门")
    ticket = services.ticket_dispatch(actor=other_agent, ticket=ticket, technician=other_technician)
    original = close(complete(ticket, other_technician), other_agent)
    rework = services.rework_open(
        actor=other_agent, original=original, complaint="还漏", source="followup"
    )
    return FollowupCall.objects.get(ticket=rework)


def made(call, at):
    call.state, call.done_at = FollowupCall.State.DONE, at
    call.save(update_fields=["state", "done_at"])
    return call


def test_m15_board_lists_my_offices_rework_with_its_followup(
    client, agent, rework_for, theirs, technician, followup
):
    call = rework_for(hours_ago=3)
    client.force_login(agent)
    response = client.get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    rework = call.ticket
    assert rework.number in body and rework.rework_of.number in body
    assert "Hotline" in body and technician.display_name in body and followup.display_name in body
    assert timezone.localtime(call.due_at).strftime("%m-%d %H:%M") in body
    assert theirs.ticket.number not in body  # another office's


def test_m15_board_flags_late_followups_and_counts_them_this_week(client, agent, rework_for):
    on_time = made(rework_for(hours_ago=30), timezone.now() - 10 * H)  # made within 24 hours
    late_done = made(rework_for(hours_ago=30), timezone.now() - 2 * H)  # made after due
    late_open = rework_for(hours_ago=26)  # still open past due
    waiting = rework_for(hours_ago=1)  # open, due tomorrow
    client.force_login(agent)

    def listed(**params):
        body = client.get(BOARD, params).content.decode()
        calls = [on_time, late_done, late_open, waiting]
        return {c.pk for c in calls if f">{c.ticket.number}</a>" in body}, body

    rows, body = listed()
    assert rows == {on_time.pk, late_done.pk, late_open.pk, waiting.pk}
    rows_html = body.split("<tbody>")[1]
    assert rows_html.count('<span class="badge red">late</span>') == 2
    this_week = week_start_of(timezone.now())
    due_this_week = [
        c for c in (on_time, late_done, late_open, waiting) if week_start_of(c.due_at) == this_week
    ]
    late_this_week = [c for c in due_this_week if c in (late_done, late_open)]
    assert (
        f"This week: {len(due_this_week)} special follow-ups due, {len(late_this_week)} late."
        in body
    )
    assert listed(state="late")[0] == {late_done.pk, late_open.pk}
    assert listed(state="open")[0] == {late_open.pk, waiting.pk}
    assert listed(state="done")[0] == {on_time.pk, late_done.pk}
    week = week_key(week_start_of(waiting.due_at))
    assert waiting.pk in listed(week=week)[0]
    assert listed(week="2020-W01")[0] == set()


def test_m15_board_bad_filter_is_400(client, agent):
    client.force_login(agent)
    response = client.get(BOARD, {"week": "last week"})
    assert response.status_code == 400
    assert "“last week” is not a date. Pick any day of the week you want." in (
        response.content.decode()
    )


def test_m15_company_roles_see_every_office_and_filter_by_office(
    client, quality, rework_for, theirs, office, other_office
):
    mine = rework_for()
    client.force_login(quality)
    body = client.get(BOARD).content.decode()
    assert mine.ticket.number in body and theirs.ticket.number in body
    body = client.get(BOARD, {"office": other_office.pk}).content.decode()
    assert mine.ticket.number not in body and theirs.ticket.number in body


def test_m15_a_technician_may_not_see_the_board(client, technician):
    client.force_login(technician)
    assert client.get(BOARD).status_code == 403


def test_m15_board_takes_a_constant_number_of_queries(client, agent, rework_for):
    rework_for()
    client.force_login(agent)
    client.get(BOARD)  # the session, once
    with count_queries() as few:
        assert client.get(BOARD).status_code == 200
    for hours in (1, 5, 30):
        made(rework_for(hours_ago=hours), timezone.now())
    with count_queries() as many:
        assert client.get(BOARD).status_code == 200
    same_queries(few, many)


# --- the API -------------------------------------------------------------------------------------


def test_m15_api_lists_the_board(api, agent, rework_for, theirs):
    call = rework_for(hours_ago=26, source="followup")
    api.force_authenticate(agent)
    response = api.get(API)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == call.pk
    assert row["rework"]["number"] == call.ticket.number
    assert row["rework"]["status"] == "dispatched" and row["rework"]["technician"]["id"]
    assert row["original"]["id"] == call.ticket.rework_of_id
    assert (row["source"], row["state"], row["is_late"]) == ("followup", "open", True)
    assert api.get(API, {"state": "done"}).json()["results"] == []
    assert len(api.get(API, {"state": "late"}).json()["results"]) == 1


def test_m15_api_bad_filter_names_the_field(api, agent):
    api.force_authenticate(agent)
    response = api.get(API, {"week": "2026-24"})
    assert (response.status_code, response.json()["field"]) == (400, "week")
    response = api.get(API, {"state": "someday"})
    assert (response.status_code, response.json()["field"]) == (400, "state")


def test_m15_api_a_technician_is_refused(api, technician):
    api.force_authenticate(technician)
    assert api.get(API).status_code == 403


def test_m15_api_takes_a_constant_number_of_queries(api, agent, rework_for):
    rework_for()
    api.force_authenticate(agent)
    with count_queries() as few:
        assert api.get(API).status_code == 200
    for hours in (1, 5, 30):
        rework_for(hours_ago=hours)
    with count_queries() as many:
        assert len(api.get(API).json()["results"]) == 4
    same_queries(few, many)
