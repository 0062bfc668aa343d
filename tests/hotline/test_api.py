"""The hotline API (M02): the phone system's webhook, the call log, recognition, the roster."""

import datetime as dt

import pytest
from django.utils import timezone

from propdesk.hotline.models import Call, DutyShift
from propdesk.org.models import HotlineLine
from propdesk.org.tokens import token_issue
from propdesk.tickets import services as tickets
from propdesk.tickets.models import Contact, Ticket
from tests import factories as f
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/hotline/calls/"
SERVICE_NUMBER = "0755-88100002"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def ringing(call_id="pbx-1", **overrides):
    return {
        "call_id": call_id,
        "event": "ringing",
        "line_number": SERVICE_NUMBER,
        "caller_number": "13912345678",
        "at": "2026-03-02T10:00:00+08:00",
        **overrides,
    }


# --- the webhook ------------------------------------------------------------------------------


def test_m02_webhook_with_a_staff_token_logs_the_call_once(api, agent, line, customer):
    _token, raw = token_issue(user=agent)
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    first = api.post(CALLS, ringing(), format="json")
    assert first.status_code == 201
    body = first.json()
    assert (body["external_id"], body["state"], body["line"]["kind"]) == (
        "pbx-1",
        "ringing",
        "service",
    )
    assert body["customer"] == {"id": customer.pk, "name": customer.name}

    again = api.post(CALLS, ringing(), format="json")
    assert again.status_code == 200 and again.json() == body
    assert Call.objects.count() == 1


def test_m02_webhook_follows_the_call_to_its_end(api, agent, line):
    api.force_authenticate(agent)
    api.post(CALLS, ringing(), format="json")
    api.post(
        CALLS,
        ringing(event="answered", at="2026-03-02T10:00:05+08:00", agent="agent"),
        format="json",
    )
    ended = api.post(CALLS, ringing(event="hung_up", at="2026-03-02T10:03:00+08:00"), format="json")
    body = ended.json()
    assert (ended.status_code, body["state"], body["handler"]["username"]) == (
        200,
        "ended",
        "agent",
    )
    assert body["ended_at"] == "2026-03-02T10:03:00+08:00"


def test_webhook_with_the_shared_secret(api, line, settings):
    settings.PROPDESK_CTI_SECRET = "s3cret"
    response = api.post(CALLS, ringing(), format="json", HTTP_X_PROPDESK_CTI_SECRET="s3cret")
    assert response.status_code == 201
    assert Call.objects.get().history.get().history_user is None  # the phone system did it
    # The secret opens the webhook and nothing else.
    assert api.get(CALLS, HTTP_X_PROPDESK_CTI_SECRET="s3cret").status_code == 403


@pytest.mark.parametrize("configured", ["s3cret", ""])
def test_webhook_refuses_a_wrong_or_unconfigured_secret(api, line, settings, configured):
    settings.PROPDESK_CTI_SECRET = configured
    response = api.post(CALLS, ringing(), format="json", HTTP_X_PROPDESK_CTI_SECRET="guess")
    assert response.status_code == 403
    assert not Call.objects.exists()


def test_webhook_refuses_anonymous_callers_and_technicians(api, line, technician):
    assert api.post(CALLS, ringing(), format="json").status_code == 403
    api.force_authenticate(technician)
    assert api.post(CALLS, ringing(), format="json").status_code == 403
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"line_number": "0755-00000000"}, "line_number"),
        ({"caller_number": None}, "caller_number"),
        ({"event": "transferred"}, "event"),
        ({"at": "yesterday"}, "at"),
        ({"call_id": ""}, "call_id"),
        ({"agent": "nobody"}, "agent"),
    ],
)
def test_m02_webhook_bad_input_is_400_naming_the_field(api, agent, line, changes, field):
    api.force_authenticate(agent)
    payload = {k: v for k, v in ringing(**changes).items() if v is not None}
    response = api.post(CALLS, payload, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Call.objects.exists()


def test_webhook_without_a_time_uses_now(api, agent, line):
    api.force_authenticate(agent)
    before = timezone.now()
    payload = ringing()
    del payload["at"]
    api.post(CALLS, payload, format="json")
    assert Call.objects.get().started_at >= before


# --- the call log -----------------------------------------------------------------------------


def test_call_list_is_scoped_filtered_and_takes_fixed_queries(
    api, agent, office, lines, other_line, make_call
):
    api.force_authenticate(agent)
    theirs = make_call(other_line)

    def listing(**params):
        with count_queries() as ctx:
            response = api.get(CALLS, params)
        assert response.status_code == 200
        return [c["id"] for c in response.json()["results"]], ctx

    mine = make_call(lines["complaint"], handler=agent, customer=f.CustomerFactory(office=office))
    ids, one = listing()
    assert ids == [mine.pk] and theirs.pk not in ids
    for _ in range(8):
        make_call(lines["service"], handler=f.UserFactory(office=office), state="missed")
    ids, many = listing()
    assert len(ids) == 9
    same_queries(one, many)
    assert listing(line_kind="complaint")[0] == [mine.pk]
    assert len(listing(state="missed")[0]) == 8


def test_call_list_bad_filter_is_400(api, agent):
    api.force_authenticate(agent)
    response = api.get(CALLS, {"state": "asleep"})
    assert (response.status_code, response.json()["field"]) == (400, "state")


def test_another_offices_call_is_404(api, agent, other_line, make_call):
    api.force_authenticate(agent)
    theirs = make_call(other_line)
    assert api.get(f"{CALLS}{theirs.pk}/").status_code == 404
    response = api.post(
        f"{CALLS}{theirs.pk}/log/", {"action": "inquiry", "summary": "问", "answer": "答"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.outcome == ""


def test_m02_api_logs_a_call_as_an_answered_inquiry(api, agent, line, customer, make_call):
    api.force_authenticate(agent)
    call = make_call(line, state="answered", customer=customer)
    response = api.post(
        f"{CALLS}{call.pk}/log/",
        {"action": "inquiry", "customer": customer.pk, "summary": "问停水", "answer": "明天恢复"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["outcome"], body["answer"], body["handler"]["id"]) == (
        "inquiry_answered",
        "明天恢复",
        agent.pk,
    )
    assert Ticket.objects.get(pk=body["ticket"]["id"]).status == "closed"


def test_m02_api_turns_a_call_into_a_request(api, agent, line, customer, free_item, make_call):
    api.force_authenticate(agent)
    call = make_call(line, state="answered")
    response = api.post(
        f"{CALLS}{call.pk}/log/",
        {
            "action": "request",
            "customer": customer.pk,
            "kind": "repair",
            "item": free_item.pk,
            "description": "马桶堵了",
            "requested_deadline": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    ticket = Ticket.objects.get()
    assert response.json()["ticket"] == {"id": ticket.pk, "number": ticket.number}
    assert ticket.channel == "hotline"
    assert Contact.objects.get(ticket=ticket).call_id == call.pk


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"action": "request", "kind": "repair", "description": "漏水"}, 400, "customer"),
        (
            {"action": "request", "customer": "OTHER", "kind": "repair", "description": "漏水"},
            404,
            "customer",
        ),
        ({"action": "inquiry", "summary": "问"}, 400, "answer"),
        (
            {
                "action": "request",
                "customer": "MINE",
                "kind": "repair",
                "description": "漏水",
                "item": 999999,
            },
            400,
            "item",
        ),
        ({"action": "chat"}, 400, "action"),
    ],
)
def test_bad_log_input_changes_nothing(
    api, agent, line, customer, other_customer, make_call, payload, status, field
):
    api.force_authenticate(agent)
    call = make_call(line, state="answered")
    ids = {"OTHER": other_customer.pk, "MINE": customer.pk}
    payload = {k: ids.get(v, v) if k == "customer" else v for k, v in payload.items()}
    response = api.post(f"{CALLS}{call.pk}/log/", payload, format="json")
    assert (response.status_code, response.json().get("field")) == (status, field)
    call.refresh_from_db()
    assert call.outcome == "" and not Ticket.objects.exists()


# --- recognition ----------------------------------------------------------------------------


def test_m02_recognise_returns_customers_with_open_requests(api, agent, customer, household):
    api.force_authenticate(agent)
    ticket = tickets.ticket_create(
        actor=agent, customer=customer, kind="repair", channel="walk_in", description="漏水"
    )
    response = api.get("/api/v1/hotline/recognise/", {"number": "139 1234 5678"})
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "+8613912345678"
    [found] = body["customers"]
    assert (found["id"], found["households"][0]["id"]) == (customer.pk, household.pk)
    assert [r["number"] for r in found["open_requests"]] == [ticket.number]


@pytest.mark.parametrize("params", [{"number": "12ab"}, {}])
def test_recognise_needs_a_valid_number(api, agent, params):
    api.force_authenticate(agent)
    response = api.get("/api/v1/hotline/recognise/", params)
    assert (response.status_code, response.json()["field"]) == (400, "number")


# --- lines ------------------------------------------------------------------------------------


def test_m02_lines_list_and_set(api, director, agent, office, lines, other_line):
    api.force_authenticate(agent)
    listed = api.get("/api/v1/hotline/lines/").json()["results"]
    assert {line["kind"] for line in listed} == {"complaint", "service", "duty"}
    refused = api.post("/api/v1/hotline/lines/", {"kind": "duty", "number": "075588100077"})
    assert refused.status_code == 403

    api.force_authenticate(director)
    response = api.post("/api/v1/hotline/lines/", {"kind": "duty", "number": "0755 8810 0077"})
    assert response.status_code == 200
    assert response.json()["number"] == "+8675588100077"
    assert HotlineLine.objects.filter(office=office).count() == 3


# --- the roster -------------------------------------------------------------------------------


def shift(line, staff, start_hours=24, hours=8):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=start_hours)
    return {
        "line": line.pk,
        "staff": staff.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=hours)).isoformat(),
    }


def test_m02_shifts_are_added_listed_and_removed(api, director, agent, line):
    api.force_authenticate(director)
    created = api.post("/api/v1/hotline/shifts/", shift(line, agent), format="json")
    assert created.status_code == 201
    assert created.json()["staff_name"] == agent.display_name
    listed = api.get("/api/v1/hotline/shifts/", {"line": line.pk}).json()["results"]
    assert [s["id"] for s in listed] == [created.json()["id"]]
    assert api.delete(f"/api/v1/hotline/shifts/{listed[0]['id']}/").status_code == 204
    assert not DutyShift.objects.exists()


def test_shift_bad_input(api, director, agent, other_agent, line, other_line, make_shift):
    api.force_authenticate(director)
    api.post("/api/v1/hotline/shifts/", shift(line, agent), format="json")
    overlap = api.post("/api/v1/hotline/shifts/", shift(line, agent, 28), format="json")
    assert (overlap.status_code, overlap.json()["field"]) == (400, "starts_at")
    stranger = api.post("/api/v1/hotline/shifts/", shift(line, other_agent), format="json")
    assert (stranger.status_code, stranger.json()["field"]) == (400, "staff")
    theirs = api.post("/api/v1/hotline/shifts/", shift(other_line, agent), format="json")
    assert (theirs.status_code, theirs.json()["field"]) == (404, "line")
    assert DutyShift.objects.count() == 1

    their_shift = make_shift(
        other_line, other_agent, timezone.now(), timezone.now() + dt.timedelta(hours=1)
    )
    assert api.delete(f"/api/v1/hotline/shifts/{their_shift.pk}/").status_code == 404
    api.force_authenticate(agent)
    mine = DutyShift.objects.get(line=line)
    assert api.delete(f"/api/v1/hotline/shifts/{mine.pk}/").status_code == 403
    assert DutyShift.objects.count() == 2


def test_m02_gaps_of_the_next_days(api, agent, office, lines, make_shift):
    api.force_authenticate(agent)
    now = timezone.now()
    make_shift(lines["service"], agent, now - dt.timedelta(hours=1), now + dt.timedelta(days=2))
    body = api.get("/api/v1/hotline/gaps/", {"days": 1}).json()
    assert (body["office"], body["ok"], body["missing_kinds"]) == (office.pk, False, [])
    covered = {lc["line"]["kind"]: lc["covered"] for lc in body["lines"]}
    assert covered == {"complaint": False, "service": True, "duty": False}
    assert len(body["lines"][0]["gaps"]) == 1


@pytest.mark.parametrize(
    ("who", "params", "status", "field"),
    [
        ("leadership", {}, 400, "office"),
        ("agent", {"days": 40}, 400, "days"),
        ("agent", {"office": "OTHER"}, 404, None),
    ],
)
def test_gaps_bad_input(api, agent, leadership, other_office, who, params, status, field):
    api.force_authenticate({"agent": agent, "leadership": leadership}[who])
    params = {k: other_office.pk if v == "OTHER" else v for k, v in params.items()}
    response = api.get("/api/v1/hotline/gaps/", params)
    assert (response.status_code, response.json().get("field")) == (status, field)


def test_the_schema_describes_the_hotline(api, agent):
    api.force_authenticate(agent)
    schema = api.get("/api/schema/").content.decode()
    for path in ["/api/v1/hotline/calls/", "/api/v1/hotline/gaps/", "/api/v1/hotline/recognise/"]:
        assert path in schema
    assert "X-Propdesk-CTI-Secret" in schema


def test_m02_api_logs_a_typed_in_call_with_its_line(api, agent, line, customer, free_item):
    api.force_authenticate(agent)
    response = api.post(
        f"{CALLS}log/",
        {
            "action": "request",
            "line": line.pk,
            "caller_number": "13912345678",
            "customer": customer.pk,
            "kind": "repair",
            "item": free_item.pk,
            "description": "厨房下水道堵塞",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    call = Call.objects.get()
    assert (call.line, call.outcome, call.caller_e164) == (
        line,
        "request_created",
        "+8613912345678",
    )
    assert call.ticket.channel == "hotline" and call.ticket.customer == customer


def test_a_typed_in_call_needs_a_line_of_ones_own_office(api, agent, other_line, customer):
    api.force_authenticate(agent)
    body = {"action": "inquiry", "caller_number": "13912345678", "summary": "问", "answer": "答"}
    missing = api.post(f"{CALLS}log/", body, format="json")
    assert (missing.status_code, missing.json()["field"]) == (400, "line")
    theirs = api.post(f"{CALLS}log/", {**body, "line": other_line.pk}, format="json")
    assert (theirs.status_code, theirs.json()["field"]) == (404, "line")
    assert not Call.objects.exists()


def test_an_event_naming_another_offices_call_neither_changes_nor_shows_it(
    api, agent, other_agent, line, other_line
):
    api.force_authenticate(other_agent)
    theirs = {**ringing(), "line_number": other_line.number, "caller_number": "13911112222"}
    assert api.post(CALLS, theirs, format="json").status_code == 201
    api.force_authenticate(agent)
    sneaky = {**ringing(), "event": "answered", "line_number": line.number, "agent": "agent"}
    response = api.post(CALLS, sneaky, format="json")
    assert (response.status_code, response.json()["field"]) == (400, "call_id")
    assert "13911112222" not in response.content.decode()
    call = Call.objects.get()
    assert (call.state, call.handler, call.line) == ("ringing", None, other_line)
