"""M22 in the resident portal and the customer API: a member or representative sees their
committee's meetings and actions with progress; anyone else is refused."""

import pytest
from django.urls import reverse

from propdesk.committee import services
from tests.queries import count_queries, same_queries

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def text(response) -> str:
    return response.content.decode()


def test_m22_a_member_sees_the_actions_and_their_progress(portal_as, action, agent, chair):
    services.action_progress(actor=agent, action=action, text="控制板已订货", progress=40, now=NOW)
    client = portal_as(chair.customer)
    home = client.get(reverse("portal:committee"))
    assert home.status_code == 200
    assert "更换3栋电梯控制板" in text(home) and "40%" in text(home)
    page = client.get(reverse("portal:committee_action", args=[action.pk]))
    assert "控制板已订货" in text(page) and "In progress" in text(page)
    meeting = client.get(reverse("portal:committee_meeting", args=[action.item.meeting_id]))
    assert "讨论了电梯维保与绿化。" in text(meeting) and "东门绿化带杂草多" in text(meeting)


def test_m22_a_representative_sees_them_too(portal_as, action, representative):
    home = portal_as(representative.customer).get(reverse("portal:committee"))
    assert home.status_code == 200 and "更换3栋电梯控制板" in text(home)


def test_m22_a_non_member_is_told_the_pages_are_for_the_committee(portal_as, action, outsider):
    client = portal_as(outsider)
    for url in (
        reverse("portal:committee"),
        reverse("portal:committee_action", args=[action.pk]),
        reverse("portal:committee_meeting", args=[action.item.meeting_id]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "These pages are for the members of the owners" in text(response)
        assert "更换3栋电梯控制板" not in text(response)


def test_m22_a_member_of_another_committee_does_not_find_this_ones(
    portal_as, action, other_committee, other_customer
):
    client = portal_as(other_customer)
    assert client.get(reverse("portal:committee")).status_code == 200
    assert "更换3栋电梯控制板" not in text(client.get(reverse("portal:committee")))
    assert client.get(reverse("portal:committee_action", args=[action.pk])).status_code == 404
    meeting_url = reverse("portal:committee_meeting", args=[action.item.meeting_id])
    assert client.get(meeting_url).status_code == 404


def test_m22_a_former_member_no_longer_sees_the_committee(portal_as, action, director, chair):
    import datetime as dt

    services.seat_update(
        actor=director,
        seat=chair,
        role="chair",
        term_from=chair.term_from,
        term_to=dt.date(2026, 6, 1),
        now=NOW,
    )
    assert portal_as(chair.customer).get(reverse("portal:committee")).status_code == 403


def test_m22_the_portal_page_costs_the_same_for_more_actions(
    portal_as, held, director, agent, department, chair
):
    client = portal_as(chair.customer)
    first_item, second_item = held.items.order_by("pk")
    services.item_act(
        actor=director,
        item=first_item,
        title="甲",
        owner=agent,
        department=department,
        due_on=NOW.date(),
        now=NOW,
    )
    with count_queries() as first:
        client.get(reverse("portal:committee"))
    services.item_act(
        actor=director,
        item=second_item,
        title="乙",
        owner=agent,
        department=department,
        due_on=NOW.date(),
        now=NOW,
    )
    with count_queries() as then:
        response = client.get(reverse("portal:committee"))
    same_queries(first, then)
    assert "甲" in text(response) and "乙" in text(response)


def test_m22_the_customer_api_lists_the_committees_actions(api_as, action, agent, chair):
    services.action_progress(actor=agent, action=action, text="已订货", progress=40, now=NOW)
    client = api_as(chair.customer)
    body = client.get("/api/v1/portal/committee/actions/").json()
    assert [a["title"] for a in body["results"]] == ["更换3栋电梯控制板"]
    assert body["results"][0]["progress"] == 40
    assert body["results"][0]["updates"][0]["text"] == "已订货"
    meeting = client.get(f"/api/v1/portal/committee/meetings/{action.item.meeting_id}/").json()
    assert meeting["minutes"] == "讨论了电梯维保与绿化。"
    assert [i["state"] for i in meeting["items"]] == ["action", "open"]


def test_m22_the_customer_api_refuses_a_non_member(api_as, action, outsider):
    client = api_as(outsider)
    response = client.get("/api/v1/portal/committee/actions/")
    assert response.status_code == 403 and response.json()["code"] == "not_a_member"
    detail = client.get(f"/api/v1/portal/committee/actions/{action.pk}/")
    assert detail.status_code == 403
