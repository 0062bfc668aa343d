"""M22 in the console: the committee page, recording a meeting, turning its opinions into
actions or answers, the lists with their filters and query counts, and the PDF."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.committee import services
from propdesk.committee.models import Action, Item, Meeting
from tests.queries import count_queries, same_queries

from .conftest import DUE, NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def as_director(client, director):
    client.force_login(director)
    return client


def text(response) -> str:
    return response.content.decode()


def test_m22_the_committee_page_lists_members_terms_and_representatives(
    as_director, committee, chair, representative
):
    response = as_director.get(reverse("console:committees"), follow=True)
    assert response.status_code == 200
    body = text(response)
    assert committee.name in body and "张伟" in body and "Chair" in body
    assert "2030-05-31" in body and "李强" in body


def test_m22_a_director_records_a_meeting_and_its_opinions(
    as_director, planned, chair, representative, agent, director
):
    response = as_director.post(
        reverse("console:committee_meeting_hold", args=[planned.pk]),
        {
            "held_at": "2026-06-08 10:00",
            "staff": [agent.pk, director.pk],
            "seats": [chair.pk, representative.pk],
            "minutes": "讨论了电梯。",
            "opinions": "3栋电梯经常停运\n\n东门绿化带杂草多\n",
            "version": planned.version,
        },
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.state == Meeting.State.HELD and planned.minutes == "讨论了电梯。"
    assert list(planned.items.values_list("text", flat=True)) == [
        "3栋电梯经常停运",
        "东门绿化带杂草多",
    ]
    page = text(as_director.get(reverse("console:committee_meeting", args=[planned.pk])))
    assert "Turn into an improvement action" in page and "2 awaiting a decision" in page


def test_m22_minutes_for_a_future_meeting_are_refused_on_the_form(
    as_director, committee, agent, chair
):
    future = services.meeting_plan(
        actor=agent,
        committee=committee,
        planned_for=NOW + dt.timedelta(days=2),
        place="会议室",
        agenda="年度计划",
        now=NOW,
    )
    response = as_director.post(
        reverse("console:committee_meeting_hold", args=[future.pk]),
        {"held_at": "2026-06-12 10:00", "seats": [chair.pk], "minutes": "预写", "version": 1},
    )
    assert response.status_code == 400
    assert "has not happened yet" in text(response)
    future.refresh_from_db()
    assert future.state == Meeting.State.PLANNED and future.minutes == ""


def test_m22_an_action_without_an_owner_is_refused_on_the_form(as_director, held, department):
    item = held.items.first()
    response = as_director.post(
        reverse("console:committee_item_act", args=[item.pk]),
        {
            f"i{item.pk}-title": "修电梯",
            f"i{item.pk}-department": department.pk,
            f"i{item.pk}-due_on": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert "Choose who owns this action." in text(response)
    item.refresh_from_db()
    assert item.state == Item.State.OPEN and not Action.objects.exists()


def test_m22_opinions_become_actions_and_answers_from_the_meeting_page(
    as_director, held, agent, department
):
    first, second = held.items.order_by("pk")
    response = as_director.post(
        reverse("console:committee_item_act", args=[first.pk]),
        {
            f"i{first.pk}-title": "修电梯",
            f"i{first.pk}-owner": agent.pk,
            f"i{first.pk}-department": department.pk,
            f"i{first.pk}-due_on": DUE.isoformat(),
        },
    )
    assert response.status_code == 302
    response = as_director.post(
        reverse("console:committee_item_answer", args=[second.pk]),
        {f"a{second.pk}-answer": "属市政绿化，已转街道。"},
    )
    assert response.status_code == 302
    assert set(held.items.values_list("state", flat=True)) == {"action", "answered"}


def test_m22_the_owner_reports_progress_and_a_stale_page_is_refused(client, action, agent):
    client.force_login(agent)
    url = reverse("console:committee_action_step", args=[action.pk, "progress"])
    ok = client.post(url, {"text": "已订货", "progress": 30, "version": 1})
    assert ok.status_code == 302
    stale = client.post(url, {"text": "旧页面", "progress": 90, "version": 1})
    assert stale.status_code == 409
    action.refresh_from_db()
    assert action.progress == 30 and action.updates.count() == 1


def test_m22_another_offices_meeting_is_not_found(client, other_agent, held):
    client.force_login(other_agent)
    assert client.get(reverse("console:committee_meeting", args=[held.pk])).status_code == 404
    assert client.get(reverse("console:committee_action", args=[1])).status_code == 404


def test_m22_the_meetings_list_filters_and_costs_the_same_for_more_rows(
    as_director, committee, agent, chair
):
    def plan(days):
        services.meeting_plan(
            actor=agent,
            committee=committee,
            planned_for=NOW - dt.timedelta(days=days),
            place="会议室",
            agenda="例会",
            now=NOW,
        )

    plan(40)
    url = reverse("console:committee_meetings")
    with count_queries() as first:
        assert as_director.get(url).status_code == 200
    for days in (70, 100, 130):
        plan(days)
    with count_queries() as then:
        response = as_director.get(url)
    same_queries(first, then)
    assert text(response).count("会议室") == 4
    held_only = as_director.get(url, {"state": "held"})
    assert "No meeting matches these filters." in text(held_only)


def test_m22_the_actions_list_shows_overdue_ones_and_costs_the_same(
    as_director, action, held, director, agent, department, time_machine
):
    url = reverse("console:committee_actions")
    with count_queries() as first:
        as_director.get(url)
    second = held.items.order_by("pk").last()
    services.item_act(
        actor=director,
        item=second,
        title="清理绿化",
        owner=agent,
        department=department,
        due_on=dt.date(2026, 7, 10),
        now=NOW,
    )
    with count_queries() as then:
        response = as_director.get(url)
    same_queries(first, then)
    assert "清理绿化" in text(response) and "Overdue</span>" not in text(response)
    time_machine.move_to(dt.datetime(2026, 7, 5, 2, 0, tzinfo=dt.UTC), tick=False)
    as_director.force_login(director)  # the sign-in of 5 weeks ago has lapsed
    overdue = text(as_director.get(url, {"overdue": "on"}))
    # Only the action due on 30 June is late on 5 July.
    assert "更换3栋电梯控制板" in overdue and "清理绿化" not in overdue
    assert "Overdue</span>" in overdue


def test_m22_the_agenda_and_minutes_print_as_a_pdf(as_director, action):
    meeting = action.item.meeting
    response = as_director.get(reverse("console:committee_meeting_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000


def test_m22_a_seat_is_added_from_the_committee_page(as_director, committee, outsider):
    response = as_director.post(
        reverse("console:committee_seat_add", args=[committee.pk]),
        {
            "customer": outsider.pk,
            "kind": "member",
            "role": "member",
            "term_from": "2026-06-01",
            "version": committee.version,
        },
    )
    assert response.status_code == 302
    assert committee.seats.filter(customer=outsider).exists()


def test_m22_a_second_chair_is_refused_on_the_form(as_director, committee, chair, outsider):
    committee.refresh_from_db()
    response = as_director.post(
        reverse("console:committee_seat_add", args=[committee.pk]),
        {
            "customer": outsider.pk,
            "kind": "member",
            "role": "chair",
            "term_from": "2026-06-01",
            "version": committee.version,
        },
    )
    assert response.status_code == 409
    assert "already has a chair" in text(response)
    assert not committee.seats.filter(customer=outsider).exists()
