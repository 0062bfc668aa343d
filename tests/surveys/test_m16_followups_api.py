"""M16 follow-up through the staff API: the list with filters and a constant number of
queries, the detail with its version and allowed actions, assign, record (version required,
stale 409), a request opened once, and a campaign's public replies; the permission matrix."""

import pytest
from rest_framework.test import APIClient

from propdesk.notices.models import Notice
from propdesk.surveys.models import FollowUp, PublicReply
from tests.queries import count_queries, same_queries

from .followups_fixtures import *  # noqa: F403
from .followups_fixtures import OPINION

pytestmark = pytest.mark.django_db

BASE = "/api/v1/surveys/followups/"


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _mine(customer) -> FollowUp:
    return FollowUp.objects.get(household=customer.households.get(), kind="callback")


def test_m16_the_list_is_scoped_and_filtered(opened, agent, followup):
    office = _client(agent).get(BASE)
    assert office.status_code == 200
    assert {r["office"] for r in office.json()["results"]} == {agent.office_id}

    company = _client(followup)
    assert company.get(BASE).json()["count"] == 3
    assert [r["kind"] for r in company.get(BASE, {"kind": "visit"}).json()["results"]] == ["visit"]
    assert company.get(BASE, {"mine": "true"}).json()["count"] == 0
    bad = company.get(BASE, {"kind": "letter"})
    assert bad.status_code == 400 and bad.json()["field"] == "kind"


def test_m16_the_list_takes_as_many_queries_with_more_rows(opened, followup):
    client = _client(followup)
    with count_queries() as few:
        client.get(BASE)
    FollowUp.objects.update(assigned_to=followup)
    for fu in list(FollowUp.objects.filter(kind="callback")):
        FollowUp.objects.create(
            campaign=fu.campaign,
            office=fu.office,
            participant=fu.participant,
            household=fu.household,
            customer=fu.customer,
            kind="visit",
            due_at=fu.due_at,
        )
    with count_queries() as many:
        assert client.get(BASE).json()["count"] == 5
    same_queries(few, many)


def test_m16_the_detail_has_answers_version_and_actions(opened, agent, customer):
    answer = _client(agent).get(f"{BASE}{_mine(customer).pk}/")

    body = answer.json()
    assert answer.status_code == 200 and answer["ETag"] == '"1"'
    assert body["opinion"] == OPINION and "Repairs" in body["low_areas"]
    assert body["allowed_actions"] == ["assign", "record"]
    assert body["customer_phone"] == customer.phones.get().number


def test_m16_another_offices_followup_is_404(opened, agent, other_customer):
    pk = _mine(other_customer).pk
    assert _client(agent).get(f"{BASE}{pk}/").status_code == 404
    answer = _client(agent).post(f"{BASE}{pk}/record/", {"outcome": "x", "version": 1})
    assert answer.status_code == 404


def test_m16_recording_needs_the_version_and_an_outcome(opened, agent, customer):
    client = _client(agent)
    url = f"{BASE}{_mine(customer).pk}/record/"

    assert client.post(url, {"outcome": "好"}, format="json").status_code == 428
    missing = client.post(url, {"outcome": "", "version": 1}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "outcome"
    stale = client.post(url, {"outcome": "好", "version": 5}, format="json")
    assert stale.status_code == 409
    done = client.post(url, {"outcome": "已回访", "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "done"
    again = client.post(url, {"outcome": "再次", "version": 2}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "followup_done"


def test_m16_assign_through_the_api(opened, agent, customer, followup, other_agent):
    client = _client(agent)
    url = f"{BASE}{_mine(customer).pk}/assign/"
    refused = client.post(url, {"assigned_to": other_agent.pk, "version": 1}, format="json")
    assert refused.status_code == 400 and refused.json()["field"] == "assigned_to"
    done = client.post(url, {"assigned_to": followup.pk, "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["assigned_to"] == followup.pk


def test_m16_a_complaint_opened_through_the_api_once(opened, agent, customer):
    client = _client(agent)
    url = f"{BASE}{_mine(customer).pk}/open-request/"

    opened_ = client.post(url, {"what": "complaint", "version": 1}, format="json")
    assert opened_.status_code == 201 and opened_.json()["ticket"]
    again = client.post(url, {"what": "request", "version": 2}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_opened"


def test_m16_replies_through_the_api(round_, quality, director, agent):
    url = f"/api/v1/surveys/campaigns/{round_['campaign'].pk}/replies/"

    refused = _client(agent).post(url, {"topic": "电梯", "body": "x"}, format="json")
    assert refused.status_code == 403
    missing = _client(quality).post(url, {"topic": "电梯"}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "body"
    created = _client(quality).post(url, {"topic": "电梯", "body": "更换电梯。"}, format="json")
    assert created.status_code == 201
    notice = Notice.objects.get(pk=created.json()["notice"])
    assert notice.state == "published"
    listed = _client(director).get(url).json()
    assert [r["topic"] for r in listed["results"]] == ["电梯"]
    assert PublicReply.objects.count() == 1


def test_m16_a_reply_notice_says_nothing_private(round_, quality, customer):
    url = f"/api/v1/surveys/campaigns/{round_['campaign'].pk}/replies/"
    created = _client(quality).post(url, {"topic": "电梯", "body": "更换电梯。"}, format="json")
    notice = Notice.objects.get(pk=created.json()["notice"])
    text = notice.title + notice.body
    assert customer.name not in text and OPINION not in text
