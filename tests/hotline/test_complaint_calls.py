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


def heard(who, **overrides):
    """The complaint form as an agent fills it in after hearing the customer out."""
    data = {
        "kind": "complaint",
        "customer": who.pk,
        "description": ACCOUNT,
        "listened": "on",
        "understanding": "理解您的心情, 给您带来不便非常抱歉",
        "explanation": "已通知保洁主管, 今天下午处理",
        "category": Complaint.Category.ENVIRONMENT,
        "severity": Complaint.Severity.GENERAL,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_filed(call):
    call.refresh_from_db()
    assert not Complaint.objects.exists() and not Ticket.objects.exists()
    assert (call.outcome, call.ticket_id) == ("", None)


def kind_radio(body: str, kind: str) -> str:
    """The intake switch's radio button for ``kind``."""
    return re.search(rf'<input type="radio" name="kind" value="{kind}"[^>]*>', body)[0]


def kinds_offered(body: str) -> list[str]:
    return re.findall(r'<input type="radio" name="kind" value="(\w+)"', body)


# --- the console ------------------------------------------------------------------------------


def test_m17_the_complaint_line_offers_record_a_complaint_first(agent_client, complaint_call):
    body = agent_client.get(INTAKE, {"call": complaint_call.pk}).content.decode()
    # The switch starts on the complaint, whose fields are the ones shown.
    assert "checked" in kind_radio(body, "complaint")
    assert "checked" not in kind_radio(body, "inquiry")
    assert "This call came in on the complaint line." in body
    assert "Record the complaint" in body
    for label in (
        "What the caller says",
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
    offered = kinds_offered(body)
    assert offered.index("repair") < offered.index("complaint")
    assert "checked" not in kind_radio(body, "complaint")
    assert "checked" in kind_radio(body, "inquiry")


def test_m17_a_call_on_the_complaint_line_becomes_a_complaint(
    agent_client, agent, customer, complaint_call
):
    response = agent_client.post(INTAKE, heard(customer, call=complaint_call.pk))

    complaint = Complaint.objects.select_related("ticket").get()
    # The call screen again, linking the complaint's page.
    assert response.status_code == 302
    assert response["Location"] == f"{INTAKE}?call={complaint_call.pk}"
    screen = agent_client.get(response["Location"]).content.decode()
    assert reverse("console:complaint", args=[complaint.pk]) in screen
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
    # Switching to a complaint moves the line to the complaint line.
    select = re.search(r'<select name="line".*?>', body, re.S)[0]
    assert f'data-complaint-line="{complaint_line.pk}"' in select

    data = heard(customer, line=complaint_line.pk, caller_number="13912345678")
    response = agent_client.post(INTAKE, data)
    assert response.status_code == 302
    call = Call.objects.get()
    assert (call.line, call.ticket_id) == (complaint_line, Complaint.objects.get().ticket_id)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": "  "}, "Write down the customer&#x27;s account, in their words."),
        (
            {"listened": None},
            "Listen to the customer to the end before recording the complaint.",
        ),
        ({"understanding": ""}, "Note how you showed understanding."),
        ({"category": ""}, "Choose a category."),
        ({"customer": None}, "Choose the customer, or create one, before recording"),
        ({"compensation_claimed": "很多"}, "Enter an amount in yuan."),
    ],
)
def test_m17_an_incomplete_intake_says_what_is_missing_and_keeps_the_call_open(
    agent_client, customer, complaint_call, overrides, message
):
    response = agent_client.post(INTAKE, heard(customer, call=complaint_call.pk, **overrides))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    # The form is shown again, still on the complaint, with what the agent wrote.
    assert "checked" in kind_radio(body, "complaint")
    if overrides.get("description") is None:
        assert ACCOUNT in body
    nothing_filed(complaint_call)


def test_m18_a_compensation_claim_on_the_phone_goes_to_leadership(
    agent_client, customer, complaint_call
):
    data = heard(customer, call=complaint_call.pk, compensation_claimed="800")
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
    data = heard(customer, call=complaint_call.pk, about_staff=[director.pk])
    assert agent_client.post(INTAKE, data).status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.against_director, complaint.owner) == (True, Complaint.Owner.LEADERSHIP)
    client.force_login(director)
    assert client.get(INTAKE, {"call": complaint_call.pk}).status_code == 404


def test_m18_an_agent_recording_a_complaint_about_themself_goes_back_to_the_hotline(
    agent_client, agent, customer, complaint_call
):
    data = heard(customer, call=complaint_call.pk, about_staff=[agent.pk])
    response = agent_client.post(INTAKE, data)
    assert (response.status_code, response["Location"]) == (302, INTAKE)
    complaint = Complaint.objects.get()
    assert list(complaint.about_staff.all()) == [agent]


def test_m17_a_complaint_on_the_switch_is_heard_by_the_complaint_intake(
    agent_client, customer, complaint_call
):
    # A complaint is never a plain request: the switch's "complaint" goes to the complaint
    # intake, which asks for what hearing a complaint needs.
    response = agent_client.post(
        INTAKE,
        {
            "call": complaint_call.pk,
            "customer": customer.pk,
            "kind": "complaint",
            "description": ACCOUNT,
        },
    )
    assert response.status_code == 400
    assert "Choose a category." in response.content.decode()
    nothing_filed(complaint_call)


def test_a_technician_is_not_offered_the_complaint_form(client, technician, complaint_call):
    client.force_login(technician)
    body = client.get(INTAKE, {"call": complaint_call.pk}).content.decode()
    assert "Record the complaint" not in body and 'value="complaint"' not in body


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
