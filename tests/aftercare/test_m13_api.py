"""M13 through the API: the calls (worklist, filters, tries and outcomes) and the weekly samples,
with the project's error shape, office scoping and constant query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.aftercare.models import FollowupBatch, FollowupCall
from propdesk.aftercare.services import followups
from tests import factories as f
from tests.queries import max_queries

from .test_m13_console import more_calls
from .test_m13_sample import MONDAY, completed_repair, last_week, repairs_completed

CALLS = "/api/v1/followup-calls/"
BATCHES = "/api/v1/followup-batches/"


@pytest.fixture
def sampled(office, other_office, customer, other_customer, technician, followup):
    completed_repair(customer, at=MONDAY - dt.timedelta(days=3), technician=technician)
    repairs_completed(other_customer, 1, at=MONDAY - dt.timedelta(days=2))
    followups.weekly_sample(now=MONDAY)
    return {
        "mine": FollowupCall.objects.get(office=office),
        "theirs": FollowupCall.objects.get(office=other_office),
    }


def ids(response):
    return sorted(row["id"] for row in response.json()["results"])


# --- reading calls -------------------------------------------------------------------------------


def test_m13_my_worklist_through_the_api(api, sampled, followup, office):
    colleague = f.UserFactory(role="followup", office=None)
    more_calls(office, 2, colleague)
    api.force_authenticate(followup)
    body = api.get(CALLS, {"assignee": "me", "state": "open"}).json()
    assert sorted(r["id"] for r in body["results"]) == sorted(
        c.pk for c in (sampled["mine"], sampled["theirs"])
    )
    row = next(r for r in body["results"] if r["id"] == sampled["mine"].pk)
    assert row["ticket"]["number"] == sampled["mine"].ticket.number
    assert (row["kind"], row["state"], row["week"], row["assignee"]["id"]) == (
        "sample",
        "open",
        "2026-W23",
        followup.pk,
    )
    assert row["overdue"] is True  # due 14 June 2026


def test_m13_calls_filter_by_office_state_kind_and_week(api, sampled, quality, other_office):
    api.force_authenticate(quality)
    assert ids(api.get(CALLS, {"office": other_office.pk})) == [sampled["theirs"].pk]
    assert ids(api.get(CALLS, {"state": "done"})) == []
    assert ids(api.get(CALLS, {"kind": "rework"})) == []
    assert len(ids(api.get(CALLS, {"week": "2026-W24"}))) == 2
    assert ids(api.get(CALLS, {"week": "2026-06-20"})) == []
    bad = api.get(CALLS, {"week": "someday"})
    assert bad.status_code == 400 and bad.json()["field"] == "week"
    assert api.get(CALLS, {"state": "maybe"}).json()["field"] == "state"
    assert api.get(CALLS, {"assignee": "you"}).json()["field"] == "assignee"


def test_m13_the_call_list_costs_constant_queries(api, sampled, quality, office, followup):
    api.force_authenticate(quality)
    more_calls(office, 6, followup)
    with max_queries(4):
        body = api.get(CALLS).json()
    assert body["count"] == 8


def test_m13_office_staff_see_their_offices_calls_only(api, sampled, director, technician):
    api.force_authenticate(director)
    assert ids(api.get(CALLS)) == [sampled["mine"].pk]
    assert api.get(f"{CALLS}{sampled['theirs'].pk}/").status_code == 404
    mine = api.get(f"{CALLS}{sampled['mine'].pk}/").json()
    assert mine["can_record"] is False and mine["tries"] == []
    api.force_authenticate(technician)
    assert api.get(CALLS).status_code == 403
    assert api.get(f"{CALLS}{sampled['mine'].pk}/").status_code == 403


# --- recording -----------------------------------------------------------------------------------


def test_m13_three_tries_through_the_api(api, sampled, followup):
    call = sampled["mine"]
    api.force_authenticate(followup)
    assert api.get(f"{CALLS}{call.pk}/").json()["can_record"] is True
    for n in range(3):
        body = api.post(f"{CALLS}{call.pk}/attempt/", {"reached": False}, format="json").json()
        assert body["attempts"] == n + 1
    assert body["state"] == "unreached" and len(body["tries"]) == 3
    again = api.post(f"{CALLS}{call.pk}/attempt/", {"reached": False}, format="json")
    assert again.status_code == 409 and again.json()["field"] == "state"


def test_m13_an_unsatisfied_answer_through_the_api_opens_rework(api, sampled, followup):
    call = sampled["mine"]
    api.force_authenticate(followup)
    answer = api.post(
        f"{CALLS}{call.pk}/outcome/", {"satisfied": False, "comment": "还是漏"}, format="json"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["state"], body["satisfied"], body["comment"]) == ("done", False, "还是漏")
    rework = body["rework"]
    assert rework["status"] == "dispatched"
    special = api.get(CALLS, {"kind": "rework"}).json()["results"]
    assert [r["ticket"]["id"] for r in special] == [rework["id"]]
    assert special[0]["source"] == "followup"


def test_m13_refusals_through_the_api_change_nothing(api, sampled, followup, agent):
    call = sampled["mine"]
    url = f"{CALLS}{call.pk}/outcome/"
    colleague = f.UserFactory(role="followup", office=None)
    api.force_authenticate(colleague)
    not_mine = api.post(url, {"satisfied": True}, format="json")
    assert not_mine.status_code == 403 and not_mine.json()["code"] == "not_assignee"
    api.force_authenticate(agent)
    assert api.post(url, {"satisfied": True}, format="json").status_code == 403
    api.force_authenticate(followup)
    missing = api.post(url, {"satisfied": False}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "comment"
    assert api.post(url, {}, format="json").json()["field"] == "satisfied"
    call.refresh_from_db()
    assert (call.state, call.attempts, call.history.count()) == ("open", 0, 1)
    assert api.post(url, {"satisfied": True}, format="json").status_code == 200
    closed = api.post(url, {"satisfied": True}, format="json")
    assert closed.status_code == 409 and closed.json()["code"] == "call_closed"


def test_m13_another_offices_call_is_not_found_for_office_staff(api, sampled, director):
    api.force_authenticate(director)
    url = f"{CALLS}{sampled['theirs'].pk}/attempt/"
    assert api.post(url, {"reached": False}, format="json").status_code == 404
    assert api.get(f"{CALLS}999999/").status_code == 404


# --- the weekly samples -----------------------------------------------------------------------


def test_m13_batches_through_the_api(api, sampled, quality, office, director, other_office):
    api.force_authenticate(quality)
    body = api.get(BATCHES, {"week": "2026-W23"}).json()
    assert body["count"] == 2
    batch = FollowupBatch.objects.get(office=office)
    detail = api.get(f"{BATCHES}{batch.pk}/").json()
    assert (detail["population"], detail["sample"], detail["seed"]) == (
        batch.population,
        batch.sample,
        batch.seed,
    )
    assert (detail["population_size"], detail["sample_size"], detail["calls_made"]) == (1, 1, 0)
    assert [c["id"] for c in detail["calls"]] == [sampled["mine"].pk]
    api.force_authenticate(director)
    assert [b["office"]["id"] for b in api.get(BATCHES).json()["results"]] == [office.pk]
    theirs = FollowupBatch.objects.get(office=other_office)
    assert api.get(f"{BATCHES}{theirs.pk}/").status_code == 404


def test_m13_the_batch_list_costs_constant_queries(api, quality, company):
    for _ in range(5):
        f.OfficeFactory(company=company)
    followups.weekly_sample(now=MONDAY)
    api.force_authenticate(quality)
    with max_queries(4):
        assert api.get(BATCHES).json()["count"] == 5


def test_m13_sampling_a_chosen_week_through_the_api(api, office, customer, followup, agent):
    week, moment = last_week()
    repairs_completed(customer, 6, at=moment)
    api.force_authenticate(followup)
    this_week = followups.week_key(followups.week_start_of(timezone.now()))
    early = api.post(BATCHES, {"office": office.pk, "week": this_week}, format="json")
    assert early.status_code == 409
    assert (early.json()["field"], early.json()["code"]) == ("week", "week_not_over")
    assert not FollowupBatch.objects.exists()
    made = api.post(BATCHES, {"office": office.pk, "week": week}, format="json")
    assert made.status_code == 201 and made.json()["sample_size"] == 2
    a_day_in_it = moment.date().isoformat()
    again = api.post(BATCHES, {"office": office.pk, "week": a_day_in_it}, format="json")
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    unknown = api.post(BATCHES, {"office": 999999, "week": week}, format="json")
    assert unknown.status_code == 404
    old = api.post(BATCHES, {"office": office.pk, "week": "2020-W10"}, format="json")
    assert old.status_code == 400 and old.json()["code"] == "week_too_old"
    api.force_authenticate(agent)
    refused = api.post(BATCHES, {"office": office.pk, "week": week}, format="json")
    assert refused.status_code == 403
    assert FollowupBatch.objects.count() == 1
