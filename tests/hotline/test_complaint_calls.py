"""M17 on the hotline: a call (on the complaint line above all) is recorded as a complaint through
the complaint intake, in the console and in the API; a request is never a complaint."""

import re

import pytest
from django.urls import reverse

from propdesk.complaints.models import Complaint
from propdesk.hotline.models import Call
from propdesk.org.models import HotlineLine
from propdesk.tickets.models import Ticket
from tests import factories as f

from .conftest import NOW

pytestmark = pytest.mark.django_db

INTAKE = reverse("console:hotline")
CALLS = "/api/v1/hotline/calls/"
ACCOUNT = "三号楼楼道垃圾三天没人清理, 气味很大, 打电话也没人管"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def complaint_call(lines, make_call, customer):
    """A call answered on the office's complaint line, from a known customer."""
    return make_call(
        lines[HotlineLine.Kind.COMPLAINT], state=Call.State.ANSWERED, customer=customer
    )


def heard(customer, **overrides):
    """The complaint form as an agent fills it in after hearing the customer out."""
    data = {
        "action": "complaint",
        "cmp-customer": customer.pk,
        "cmp-account": ACCOUNT,
        "cmp-listened": "on",
        "cmp-understanding": "理解您的心情, 给您带来不便非常抱歉",
        "cmp-explanation": "已通知保洁主管, 今天下午处理",
        "cmp-category": Complaint.Category.ENVIRONMENT,
        "cmp-severity": Complaint.Severity.GENERAL,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_filed(call):
    call.refresh_from_db()
    assert not Complaint.objects.exists() and not Ticket.objects.exists()
    assert (call.outcome, call.ticket_id) == ("", None)


def _section(body: str, summary: str) -> str:
    """The <details> whose summary is ``summary``."""
    start = body.index(f"<summary>{summary}</summary>")
    return body[body.rindex("<details", 0, start) : body.index("</details>", start)]


# --- the console ------------------------------------------------------------------------------


def test_m17_the_complaint_line_offers_record_a_complaint_first(agent_client, complaint_call):
    body = agent_client.get(INTAKE, {"call": complaint_call.pk}).content.decode()
    complaint_at = body.index("<summary>Record a complaint</summary>")
    assert complaint_at < body.index("<summary>Log as an answered inquiry</summary>")
    assert _section(body, "Record a complaint").startswith('<details id="record-complaint" open>')
    assert "This call came in on the complaint line." in body
    for label in (
        "The customer&#x27;s account, in their words",
        "I listened to the customer to the end",
        "How you showed understanding",
        "The explanation you gave",
        "Staff named",
        "Compensation claimed (CNY)",
    ):
        assert label in body


def test_m17_a_service_call_offers_the_complaint_after_the_request(
    agent_client, line, make_call, customer
):
    call = make_call(line, state=Call.State.ANSWERED, customer=customer)
    body = agent_client.get(INTAKE, {"call": call.pk}).content.decode()
    assert body.index("<summary>Turn into a request</summary>") < body.index(
        "<summary>Record a complaint</summary>"
    )
    assert _section(body, "Record a complaint").startswith('<details id="record-complaint">')


def test_m17_a_call_on_the_complaint_line_becomes_a_complaint(
    agent_client, agent, customer, complaint_call
):
    response = agent_client.post(INTAKE, heard(customer, call=complaint_call.pk))

    complaint = Complaint.objects.select_related("ticket").get()
    assert response.status_code == 302
    assert response["Location"] == reverse("console:complaint", args=[complaint.pk])
    assert (complaint.account, complaint.listened, complaint.category) == (
        ACCOUNT,
        True,
        Complaint.Category.ENVIRONMENT,
    )
    assert complaint.explanation == "已通知保洁主管, 今天下午处理"
    # Heard live on the phone: the first response is given there and then.
    assert (complaint.state, complaint.first_responded_at) == (Complaint.State.IN_PROGRESS, NOW)
    assert complaint.owner == Complaint.Owner.SERVICE_CENTER
    assert (complaint.ticket.kind, complaint.ticket.channel) == ("complaint", "hotline")
    complaint_call.refresh_from_db()
    assert (complaint_call.ticket_id, complaint_call.handler) == (complaint.ticket_id, agent)
    assert complaint_call.outcome == Call.Outcome.REQUEST_CREATED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"The call is recorded as complaint {complaint.ticket.number}."]


def test_m17_a_typed_in_call_is_recorded_as_a_complaint_on_its_line(agent_client, lines, customer):
    complaint_line = lines[HotlineLine.Kind.COMPLAINT]
    body = agent_client.get(INTAKE, {"number": "13912345678"}).content.decode()
    # The complaint form starts on the complaint line.
    select = re.search(r'<select name="cmp-line".*?</select>', body, re.S)[0]
    assert f'<option value="{complaint_line.pk}" selected>' in select

    data = heard(customer, **{"cmp-line": complaint_line.pk, "cmp-caller_number": "13912345678"})
    response = agent_client.post(INTAKE, data)
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.line, call.ticket_id) == (complaint_line, Complaint.objects.get().ticket_id)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cmp-account": "  "}, "Write down the customer&#x27;s account, in their words."),
        (
            {"cmp-listened": None},
            "Listen to the customer to the end before recording the complaint.",
        ),
        ({"cmp-understanding": ""}, "Note how you showed understanding."),
        ({"cmp-category": ""}, "Choose a category."),
        ({"cmp-customer": None}, "Choose the customer, or create one, before recording"),
        ({"cmp-compensation_claimed": "很多"}, "Enter an amount in yuan."),
    ],
)
def test_m17_an_incomplete_intake_says_what_is_missing_and_keeps_the_call_open(
    agent_client, customer, complaint_call, overrides, message
):
    response = agent_client.post(INTAKE, heard(customer, call=complaint_call.pk, **overrides))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    # The form is shown again, open, with what the agent wrote.
    section = _section(body, "Record a complaint")
    assert "open" in section.split(">", 1)[0]
    if overrides.get("cmp-account") is None:
        assert ACCOUNT in section
    nothing_filed(complaint_call)


def test_m18_a_compensation_claim_on_the_phone_goes_to_leadership(
    agent_client, customer, complaint_call
):
    data = heard(customer, call=complaint_call.pk, **{"cmp-compensation_claimed": "800"})
    assert agent_client.post(INTAKE, data).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.owner == Complaint.Owner.LEADERSHIP
    assert (complaint.involves_compensation, str(complaint.compensation_claimed)) == (
        True,
        "800.00",
    )


def test_m18_a_complaint_naming_the_director_hides_the_call_from_them(
    agent_client, client, customer, director, complaint_call
):
    data = heard(customer, call=complaint_call.pk, **{"cmp-about_staff": [director.pk]})
    assert agent_client.post(INTAKE, data).status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.against_director, complaint.owner) == (True, Complaint.Owner.LEADERSHIP)
    client.force_login(director)
    assert client.get(INTAKE, {"call": complaint_call.pk}).status_code == 404


def test_m18_an_agent_recording_a_complaint_about_themself_goes_back_to_the_hotline(
    agent_client, agent, customer, complaint_call
):
    data = heard(customer, call=complaint_call.pk, **{"cmp-about_staff": [agent.pk]})
    response = agent_client.post(INTAKE, data)
    assert (response.status_code, response["Location"]) == (302, INTAKE)
    complaint = Complaint.objects.get()
    assert list(complaint.about_staff.all()) == [agent]


def test_m17_the_request_form_does_not_offer_a_complaint(agent_client, customer, complaint_call):
    body = agent_client.get(INTAKE, {"call": complaint_call.pk}).content.decode()
    kinds = re.search(r'<select name="req-kind".*?</select>', body, re.S)[0]
    assert 'value="repair"' in kinds and 'value="complaint"' not in kinds


def test_m17_a_request_of_kind_complaint_is_sent_to_record_a_complaint(
    agent_client, customer, complaint_call
):
    response = agent_client.post(
        INTAKE,
        {
            "action": "request",
            "call": complaint_call.pk,
            "req-customer": customer.pk,
            "req-kind": "complaint",
            "req-description": ACCOUNT,
        },
    )
    assert response.status_code == 400
    assert "A complaint is recorded with “Record a complaint”" in response.content.decode()
    nothing_filed(complaint_call)


def test_a_technician_is_not_offered_the_complaint_form(client, technician, complaint_call):
    client.force_login(technician)
    assert (
        "Record a complaint" not in client.get(INTAKE, {"call": complaint_call.pk}).content.decode()
    )


# --- the API ----------------------------------------------------------------------------------


def heard_json(who, **overrides):
    data = {
        "customer": who.pk,
        "account": ACCOUNT,
        "listened": True,
        "understanding": "理解您的心情",
        "explanation": "今天下午处理",
        "category": "environment",
        "severity": "general",
    }
    data.update(overrides)
    return data


def test_m17_api_records_a_call_as_a_complaint(api, agent, customer, complaint_call):
    api.force_authenticate(agent)
    response = api.post(
        f"{CALLS}{complaint_call.pk}/complaint/", heard_json(customer), format="json"
    )
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.select_related("ticket").get()
    body = response.json()
    assert body["ticket"] == {"id": complaint.ticket_id, "number": complaint.ticket.number}
    assert body["complaint"]["id"] == complaint.pk
    assert (body["complaint"]["state"], body["complaint"]["owner"]) == (
        "in_progress",
        "service_center",
    )
    assert (body["outcome"], body["handler"]["id"]) == ("request_created", agent.pk)
    assert complaint.account == ACCOUNT and complaint.listened


def test_m17_api_records_a_typed_in_call_as_a_complaint(api, agent, customer, lines):
    api.force_authenticate(agent)
    complaint_line = lines[HotlineLine.Kind.COMPLAINT]
    data = heard_json(customer, line=complaint_line.pk, caller_number="13912345678")
    response = api.post(f"{CALLS}complaint/", data, format="json")
    assert response.status_code == 201, response.json()
    assert Call.objects.get().line == complaint_line
    assert response.json()["complaint"]["id"] == Complaint.objects.get().pk


@pytest.mark.parametrize(
    ("who", "payload", "status", "field", "detail"),
    [
        (
            "agent",
            {"account": ""},
            400,
            "account",
            "Write down the customer's account, in their words.",
        ),
        (
            "agent",
            {"listened": False},
            400,
            "listened",
            "Listen to the customer to the end before recording the complaint.",
        ),
        ("agent", {"category": "noise"}, 400, "category", None),
        ("agent", {"compensation_claimed": "-5"}, 400, "compensation_claimed", None),
        ("agent", {"customer": "OTHER"}, 404, "customer", None),
        ("agent", {"about_department": 999999}, 400, "about_department", None),
        ("technician", {}, 403, None, None),
    ],
)
def test_m17_api_bad_complaint_input_changes_nothing(
    api, request, customer, other_customer, complaint_call, who, payload, status, field, detail
):
    api.force_authenticate(request.getfixturevalue(who))
    if payload.get("customer") == "OTHER":
        payload = {**payload, "customer": other_customer.pk}
    response = api.post(
        f"{CALLS}{complaint_call.pk}/complaint/", heard_json(customer, **payload), format="json"
    )
    body = response.json()
    assert (response.status_code, body.get("field")) == (status, field), body
    if detail:
        assert body["detail"] == detail
    nothing_filed(complaint_call)


def test_api_another_offices_call_is_404(api, agent, customer, other_line, make_call):
    api.force_authenticate(agent)
    theirs = make_call(other_line)
    response = api.post(f"{CALLS}{theirs.pk}/complaint/", heard_json(customer), format="json")
    assert response.status_code == 404
    nothing_filed(theirs)


def test_api_a_logged_call_is_409(api, agent, customer, complaint_call):
    api.force_authenticate(agent)
    url = f"{CALLS}{complaint_call.pk}/complaint/"
    assert api.post(url, heard_json(customer), format="json").status_code == 201
    response = api.post(url, heard_json(customer), format="json")
    assert (response.status_code, response.json()["code"]) == (409, "already_logged")
    assert Complaint.objects.count() == 1


def test_m17_api_refuses_a_request_of_kind_complaint(api, agent, customer, complaint_call):
    api.force_authenticate(agent)
    response = api.post(
        f"{CALLS}{complaint_call.pk}/log/",
        {"action": "request", "customer": customer.pk, "kind": "complaint", "description": "脏"},
        format="json",
    )
    body = response.json()
    assert (response.status_code, body["field"], body["code"]) == (
        400,
        "kind",
        "use_complaint_intake",
    )
    assert body["detail"].startswith("Record a complaint through the complaint intake")
    nothing_filed(complaint_call)


def test_the_schema_describes_the_complaint_endpoint(api, agent):
    api.force_authenticate(agent)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    post = schema["paths"]["/api/v1/hotline/calls/{id}/complaint/"]["post"]
    assert {"201", "400", "403", "404", "409"} <= set(post["responses"])
    assert "/api/v1/hotline/calls/complaint/" in schema["paths"]
    # Turning a call into a request does not offer the kind "complaint".
    components = schema["components"]["schemas"]
    kind = components["CallLogRequest"]["properties"]["kind"]
    kinds = components[kind["$ref"].rsplit("/", 1)[-1]]["enum"]
    assert "repair" in kinds and "complaint" not in kinds


def test_a_typed_in_call_on_another_offices_line_is_404(api, agent, other_line):
    api.force_authenticate(agent)
    other = f.CustomerFactory(office=other_line.office)
    response = api.post(f"{CALLS}complaint/", heard_json(other, line=other_line.pk), format="json")
    assert (response.status_code, response.json().get("field")) == (404, "line")
    assert not Complaint.objects.exists() and not Call.objects.exists()
