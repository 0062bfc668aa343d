"""The requests API's action endpoints: each one's happy path, and each bad input answered with
a clear status and field while nothing at all changes."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from propdesk.tickets import services
from propdesk.tickets.models import Charge, Contact, Kind, Quote, Status, Ticket
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(api):
    # Assertions read the English source strings, whatever the default language becomes.
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def as_agent(api, agent):
    api.force_authenticate(agent)
    return api


@pytest.fixture
def as_technician(api, technician):
    api.force_authenticate(technician)
    return api


def url(ticket, action):
    return f"/api/v1/tickets/{ticket.pk}/{action}/"


def seen(ticket) -> int:
    """The request's version as the client last read it: every change sends it back."""
    return Ticket.objects.values_list("version", flat=True).get(pk=ticket.pk)


def snapshot(ticket) -> dict:
    """Everything an action could change about a request, to show that a refusal changed none."""
    t = Ticket.objects.get(pk=ticket.pk)
    return {
        "row": {field.attname: getattr(t, field.attname) for field in Ticket._meta.concrete_fields},
        "events": t.events.count(),
        "contacts": Contact.objects.count(),
        "assignments": list(t.assignments.values_list("pk", "technician_id", "ended_at")),
        "quotes": list(t.quotes.values_list("pk", "state", "answered_via")),
        "steps": list(t.checklist.values_list("pk", "done_at", "note", "photo")),
        "extensions": t.extensions.count(),
        "charges": Charge.objects.count(),
        "tickets": Ticket.objects.count(),
    }


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def paid_confirmed(make_ticket, agent, paid_item):
    ticket = make_ticket(item=paid_item)
    return services.ticket_confirm(actor=agent, ticket=ticket, confirmation="更换水龙头")


@pytest.fixture
def paid_quoted(paid_confirmed, agent, paid_item):
    quote, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    paid_confirmed.refresh_from_db()
    return paid_confirmed, quote


@pytest.fixture
def paid_accepted(paid_confirmed, agent, paid_item):
    _, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    services.quote_answer_by_link(token=token, accepted=True)
    paid_confirmed.refresh_from_db()
    return paid_confirmed


def work_through(ticket, technician):
    """Tick every procedure step, as the technician does on site."""
    for step in ticket.checklist.all():
        services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk, note="ok")
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def completed(dispatched, technician):
    ticket = work_through(dispatched, technician)
    return services.ticket_complete(actor=technician, ticket=ticket, work_summary="已疏通")


# --- confirm, answer, decline (M08) ----------------------------------------------------------


def test_m08_confirm_records_what_was_confirmed_with_the_customer(as_agent, make_ticket):
    ticket = make_ticket()
    response = as_agent.post(
        url(ticket, "confirm"),
        {
            "version": seen(ticket),
            "confirmation": "周六上午上门, 更换水管接头",
            "channel": "walk_in",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["confirmation"] == "周六上午上门, 更换水管接头"
    assert body["version"] == ticket.version + 1
    contact = ticket.contacts.get(summary="周六上午上门, 更换水管接头")
    assert contact.channel == "walk_in" and contact.stage == "before"


def test_m08_confirm_without_the_confirmation_is_refused(as_agent, make_ticket):
    ticket = make_ticket()
    before = snapshot(ticket)
    response = as_agent.post(
        url(ticket, "confirm"), {"version": seen(ticket), "confirmation": " "}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "confirmation"
    assert body["detail"] == "Write down what was confirmed with the customer."
    assert snapshot(ticket) == before


def test_confirming_twice_is_a_transition_not_allowed(as_agent, confirmed):
    before = snapshot(confirmed)
    response = as_agent.post(
        url(confirmed, "confirm"),
        {"version": seen(confirmed), "confirmation": "再确认"},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["detail"] == "Confirming is not allowed while the request is “Confirmed”."
    assert snapshot(confirmed) == before


def test_m08_an_inquiry_is_answered_and_the_answer_recorded(as_agent, make_ticket):
    ticket = make_ticket(kind=Kind.INQUIRY, description="物业费怎么交?")
    response = as_agent.post(
        url(ticket, "answer"),
        {"version": seen(ticket), "answer": "可在服务中心或线上缴纳"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["answer"] == "可在服务中心或线上缴纳"
    assert ticket.contacts.filter(summary="可在服务中心或线上缴纳").exists()


def test_m08_a_repair_cannot_be_closed_with_an_answer(as_agent, make_ticket):
    ticket = make_ticket(kind=Kind.REPAIR)
    before = snapshot(ticket)
    response = as_agent.post(
        url(ticket, "answer"), {"version": seen(ticket), "answer": "自己修"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["field"] == "kind"
    assert snapshot(ticket) == before


def test_m08_decline_records_the_explanation_given(as_agent, make_ticket):
    ticket = make_ticket(description="帮我装修整套房子")
    response = as_agent.post(
        url(ticket, "decline"),
        {"version": seen(ticket), "explanation": "装修不在物业服务范围, 已推荐装修公司"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "declined"
    assert body["decline_explanation"] == "装修不在物业服务范围, 已推荐装修公司"
    assert [e["kind"] for e in body["events"]][-1] == "declined"


def test_m08_declining_without_an_explanation_is_refused(as_agent, make_ticket):
    ticket = make_ticket()
    before = snapshot(ticket)
    response = as_agent.post(url(ticket, "decline"), {"version": seen(ticket)}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "explanation"
    assert body["detail"] == "Write down the explanation given to the customer."
    assert body["errors"] == {"explanation": [body["detail"]]}
    assert snapshot(ticket) == before


# --- the fee (M10) ----------------------------------------------------------------------------


def test_m10_quote_shows_the_fee_and_returns_the_customers_one_time_link(
    as_agent, api, paid_confirmed, paid_item
):
    response = as_agent.post(
        url(paid_confirmed, "quote"),
        {
            "version": seen(paid_confirmed),
            "lines": [{"item": paid_item.pk, "quantity": "2"}],
            "valid_hours": 48,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"]["total"] == "160.00"
    assert body["quote"]["state"] == "sent"
    assert [line["quantity"] for line in body["quote"]["lines"]] == ["2.00"]
    assert body["ticket"]["status"] == "quoted"
    prefix = "http://testserver/q/"  # the address the server was reached at
    assert body["accept_url"].startswith(prefix)
    token = body["accept_url"].removeprefix(prefix).rstrip("/")
    quote = Quote.objects.get(pk=body["quote"]["id"])
    assert token not in quote.token_hash  # only its hash is kept
    api.force_authenticate(None)
    public = api.get(f"/api/v1/quotes/by-token/{token}/")
    assert public.status_code == 200 and public.json()["total"] == "160.00"


def test_m10_a_price_other_than_the_catalogues_is_refused(as_agent, paid_confirmed, paid_item):
    before = snapshot(paid_confirmed)
    response = as_agent.post(
        url(paid_confirmed, "quote"),
        {"version": seen(paid_confirmed), "lines": [{"item": paid_item.pk, "unit_price": "50"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "lines[0].unit_price"
    assert snapshot(paid_confirmed) == before


@pytest.mark.parametrize(
    "lines,field",
    [
        (lambda item: [{"item": "faucet"}], "lines[0].item"),
        (lambda item: [{"item": item.pk, "quantity": "lots"}], "lines[0].quantity"),
        (lambda item: "one faucet", "lines"),
        (lambda item: [], "lines"),
    ],
)
def test_m10_malformed_quote_lines_name_the_field(
    as_agent, paid_confirmed, paid_item, lines, field
):
    before = snapshot(paid_confirmed)
    response = as_agent.post(
        url(paid_confirmed, "quote"),
        {"version": seen(paid_confirmed), "lines": lines(paid_item)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert snapshot(paid_confirmed) == before


def test_m10_a_quote_line_with_another_offices_item_does_not_exist(
    as_agent, paid_confirmed, other_office
):
    theirs = f.ServiceItemFactory(office=other_office, chargeable=True)
    before = snapshot(paid_confirmed)
    response = as_agent.post(
        url(paid_confirmed, "quote"),
        {"version": seen(paid_confirmed), "lines": [{"item": theirs.pk}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "lines[0].item"
    assert "does not exist" in body["detail"]
    assert snapshot(paid_confirmed) == before


def test_m10_staff_record_the_customers_acceptance_by_phone(as_agent, paid_quoted, agent):
    ticket, quote = paid_quoted
    response = as_agent.post(
        url(ticket, f"quotes/{quote.pk}/answer"),
        {"accepted": True, "via": "phone", "answered_by_name": "张伟", "version": ticket.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    quote.refresh_from_db()
    assert quote.state == Quote.State.ACCEPTED
    assert (quote.answered_via, quote.answered_by_name, quote.recorded_by) == (
        "phone",
        "张伟",
        agent,
    )


def test_m10_staff_may_not_record_an_answer_as_given_through_the_link(as_agent, paid_quoted):
    ticket, quote = paid_quoted
    before = snapshot(ticket)
    response = as_agent.post(
        url(ticket, f"quotes/{quote.pk}/answer"),
        {"version": seen(ticket), "accepted": True, "via": "link", "answered_by_name": "张伟"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "via"
    assert snapshot(ticket) == before


def test_m10_recording_an_answer_against_an_older_version_is_409(as_agent, paid_quoted):
    ticket, quote = paid_quoted
    before = snapshot(ticket)
    response = as_agent.post(
        url(ticket, f"quotes/{quote.pk}/answer"),
        {"accepted": True, "via": "phone", "answered_by_name": "张伟"},
        format="json",
        HTTP_IF_MATCH=f'"{ticket.version - 1}"',
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert snapshot(ticket) == before


def test_m10_a_quote_of_another_request_is_not_found(as_agent, paid_quoted, confirmed):
    _, quote = paid_quoted
    before = snapshot(confirmed)
    response = as_agent.post(
        url(confirmed, f"quotes/{quote.pk}/answer"),
        {"version": seen(confirmed), "accepted": True, "via": "phone", "answered_by_name": "张伟"},
        format="json",
    )
    assert response.status_code == 404
    assert snapshot(confirmed) == before


# --- dispatch (M10, M11) ------------------------------------------------------------------


def test_m10_dispatching_a_chargeable_job_without_an_accepted_fee_is_409(
    as_agent, paid_confirmed, technician
):
    before = snapshot(paid_confirmed)
    response = as_agent.post(
        url(paid_confirmed, "dispatch"),
        {"version": seen(paid_confirmed), "technician": technician.pk},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "quote"
    assert body["code"] == "fee_not_accepted"
    assert body["detail"] == (
        "This is a chargeable service: the customer must accept the fee before dispatch."
    )
    assert snapshot(paid_confirmed) == before


def test_m10_m11_dispatch_after_acceptance_sends_the_work_order_with_its_procedure(
    as_agent, paid_accepted, technician
):
    response = as_agent.post(
        url(paid_accepted, "dispatch"),
        {"technician": technician.pk, "note": "带扳手", "version": paid_accepted.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "dispatched"
    assert body["assignee"] == {"id": technician.pk, "name": "刘强"}
    assert [a["note"] for a in body["assignments"]] == ["带扳手"]
    assert [s["title"] for s in body["checklist"]] == ["上门查看", "维修处理", "清理现场"]


def test_a_technician_cannot_dispatch(as_technician, confirmed, technician):
    before = snapshot(confirmed)
    response = as_technician.post(
        url(confirmed, "dispatch"),
        {"version": seen(confirmed), "technician": technician.pk},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert snapshot(confirmed) == before


def test_dispatch_to_another_offices_technician_says_it_does_not_exist(
    as_agent, confirmed, other_technician
):
    before = snapshot(confirmed)
    response = as_agent.post(
        url(confirmed, "dispatch"),
        {"version": seen(confirmed), "technician": other_technician.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "technician"
    assert "does not exist" in response.json()["detail"]
    assert snapshot(confirmed) == before


def test_dispatching_a_request_not_yet_confirmed_is_409(as_agent, make_ticket, technician):
    ticket = make_ticket()
    before = snapshot(ticket)
    response = as_agent.post(
        url(ticket, "dispatch"),
        {"version": seen(ticket), "technician": technician.pk},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert snapshot(ticket) == before


def test_acting_on_another_offices_request_is_404(
    api, other_agent, confirmed, technician, other_technician
):
    api.force_authenticate(other_agent)
    before = snapshot(confirmed)
    for action, body in [
        ("dispatch", {"technician": other_technician.pk}),
        ("confirm", {"confirmation": "x"}),
        ("cancel", {"reason": "x"}),
        ("decline", {}),  # 404 before any complaint about the body
    ]:
        response = api.post(url(confirmed, action), body, format="json")
        assert response.status_code == 404, action
        assert response.json()["code"] == "not_found"
    assert snapshot(confirmed) == before


def test_an_action_against_an_older_version_is_409(as_agent, confirmed, technician):
    before = snapshot(confirmed)
    response = as_agent.post(
        url(confirmed, "dispatch"),
        {"technician": technician.pk, "version": confirmed.version - 1},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version" and body["field"] == "version"
    assert body["detail"] == "Someone else changed this request meanwhile. Reload it and try again."
    assert snapshot(confirmed) == before


def test_if_match_carries_the_version_too(as_agent, confirmed, technician):
    before = snapshot(confirmed)
    stale = as_agent.post(
        url(confirmed, "dispatch"),
        {"technician": technician.pk},
        format="json",
        HTTP_IF_MATCH=f'"{confirmed.version - 1}"',
    )
    assert stale.status_code == 409
    assert snapshot(confirmed) == before
    fresh = as_agent.post(
        url(confirmed, "dispatch"),
        {"technician": technician.pk},
        format="json",
        HTTP_IF_MATCH=f'"{confirmed.version}"',
    )
    assert fresh.status_code == 200
    assert fresh.headers["ETag"] == f'"{confirmed.version + 1}"'


@pytest.mark.parametrize(
    "body,headers",
    [({"version": "latest"}, {}), ({}, {"HTTP_IF_MATCH": "*"}), ({"version": 0}, {})],
)
def test_a_malformed_version_names_the_field(as_agent, confirmed, technician, body, headers):
    before = snapshot(confirmed)
    response = as_agent.post(
        url(confirmed, "dispatch"),
        {"technician": technician.pk, **body},
        format="json",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "version"
    assert snapshot(confirmed) == before


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("dispatch", None),
        ("cancel", {"reason": "客户自己修好了"}),
        ("extend", None),
    ],
)
def test_a_change_without_a_version_is_428_and_changes_nothing(
    request, as_agent, technician, action, body
):
    ticket = request.getfixturevalue("dispatched" if action == "extend" else "confirmed")
    if action == "dispatch":
        body = {"technician": technician.pk}
    elif action == "extend":
        body = {"new_due_at": (ticket.due_at + dt.timedelta(days=1)).isoformat(), "reason": "缺件"}
    before = snapshot(ticket)
    response = as_agent.post(url(ticket, action), body, format="json")
    assert response.status_code == 428
    answer = response.json()
    assert (answer["code"], answer["field"]) == ("version_required", "version")
    assert answer["detail"] == (
        "Send the version of the record you are changing (`version` in the body, or the "
        "If-Match header with its ETag), so that no one else's change is overwritten."
    )
    assert snapshot(ticket) == before


def test_transfer_moves_the_work_order_and_keeps_the_trail(as_agent, dispatched, technician2):
    response = as_agent.post(
        url(dispatched, "transfer"),
        {"version": seen(dispatched), "technician": technician2.pk, "reason": "刘师傅请假"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["assignee"]["id"] == technician2.pk
    first, second = body["assignments"]
    assert first["end_reason"] == "transferred" and first["ended_at"]
    assert second["technician"]["id"] == technician2.pk and second["ended_at"] is None


def test_transfer_without_a_reason_is_refused(as_agent, dispatched, technician2):
    before = snapshot(dispatched)
    response = as_agent.post(
        url(dispatched, "transfer"),
        {"version": seen(dispatched), "technician": technician2.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert snapshot(dispatched) == before


def test_the_technician_hands_his_work_order_back(as_technician, dispatched):
    response = as_technician.post(
        url(dispatched, "hand-back"),
        {"version": seen(dispatched), "reason": "需要专业电工"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "confirmed" and body["assignee"] is None
    assert body["assignments"][0]["end_reason"] == "handed_back"


def test_another_technician_cannot_hand_back_someone_elses_work_order(api, technician2, dispatched):
    api.force_authenticate(technician2)
    before = snapshot(dispatched)
    response = api.post(
        url(dispatched, "hand-back"),
        {"version": seen(dispatched), "reason": "不是我的"},
        format="json",
    )
    assert response.status_code == 403
    assert snapshot(dispatched) == before


def test_the_technician_starts_work(as_technician, dispatched):
    response = as_technician.post(
        url(dispatched, "start"), {"version": seen(dispatched)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"


def test_an_agent_cannot_start_the_technicians_work(as_agent, dispatched):
    before = snapshot(dispatched)
    assert (
        as_agent.post(
            url(dispatched, "start"), {"version": seen(dispatched)}, format="json"
        ).status_code
        == 403
    )
    assert snapshot(dispatched) == before


# --- the procedure checklist (M11) -----------------------------------------------------------


def test_m11_the_technician_ticks_a_step_with_a_note_and_a_photo(as_technician, dispatched):
    step = dispatched.checklist.first()
    response = as_technician.post(
        url(dispatched, f"checklist/{step.pk}/tick"),
        {"note": "已上门查看", "photo": png(), "version": dispatched.version},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "in_progress"  # the first step starts the work
    ticked = body["checklist"][0]
    assert ticked["done_at"] and ticked["note"] == "已上门查看"
    assert ticked["photo_url"].startswith("http://testserver/media/checklist/")
    step.refresh_from_db()
    assert step.photo and step.done_by_id == dispatched.assignee_id


def test_m11_a_step_that_needs_a_photo_is_not_ticked_without_one(as_technician, dispatched):
    step = dispatched.checklist.first()
    type(step).objects.filter(pk=step.pk).update(needs_photo=True)
    before = snapshot(dispatched)
    response = as_technician.post(
        url(dispatched, f"checklist/{step.pk}/tick"),
        {"version": seen(dispatched), "note": "看过了"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "photo"
    assert response.json()["detail"] == "This step needs a photo."
    assert snapshot(dispatched) == before


def test_m11_a_file_that_is_not_a_photo_is_refused(as_technician, dispatched):
    step = dispatched.checklist.first()
    before = snapshot(dispatched)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = as_technician.post(
        url(dispatched, f"checklist/{step.pk}/tick"),
        {"version": seen(dispatched), "photo": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "photo"
    assert snapshot(dispatched) == before


def test_m11_ticking_against_an_older_version_is_409(as_technician, dispatched):
    step = dispatched.checklist.first()
    before = snapshot(dispatched)
    response = as_technician.post(
        url(dispatched, f"checklist/{step.pk}/tick"),
        {"note": "ok", "version": dispatched.version - 1},
        format="multipart",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert snapshot(dispatched) == before


def test_m11_a_step_of_another_request_is_not_found(as_technician, dispatched, make_ticket, agent):
    other = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=dispatched.item), confirmation="ok"
    )
    other = services.ticket_dispatch(actor=agent, ticket=other, technician=dispatched.assignee)
    foreign_step = other.checklist.first()
    before = snapshot(dispatched)
    response = as_technician.post(
        url(dispatched, f"checklist/{foreign_step.pk}/tick"),
        {"version": seen(dispatched), "note": "ok"},
        format="multipart",
    )
    assert response.status_code == 404
    assert response.json()["field"] == "step"
    assert snapshot(dispatched) == before


def test_m11_only_the_assigned_technician_ticks_steps(as_agent, dispatched):
    step = dispatched.checklist.first()
    before = snapshot(dispatched)
    response = as_agent.post(
        url(dispatched, f"checklist/{step.pk}/tick"),
        {"version": seen(dispatched)},
        format="multipart",
    )
    assert response.status_code == 403
    assert snapshot(dispatched) == before


# --- deadlines (M09) -------------------------------------------------------------------------


def test_m09_an_extension_with_a_proactive_contact_moves_the_deadline(as_agent, dispatched):
    new_due = dispatched.due_at + dt.timedelta(days=1)
    response = as_agent.post(
        url(dispatched, "extend"),
        {
            "version": seen(dispatched),
            "new_due_at": new_due.isoformat(),
            "reason": "配件明天到",
            "customer_agreed": True,
            "contact_summary": "电话告知客户, 客户同意延期一天",
            "channel": "hotline",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    [extension] = body["extensions"]
    assert extension["reason"] == "配件明天到"
    dispatched.refresh_from_db()
    assert dispatched.due_at == new_due
    contact = Contact.objects.get(pk=extension["contact"])
    assert contact.direction == "out" and contact.summary == "电话告知客户, 客户同意延期一天"


def test_m09_an_extension_may_cite_a_contact_already_recorded(as_agent, dispatched, agent):
    contact = services.contact_record(
        actor=agent,
        customer=dispatched.customer,
        ticket=dispatched,
        summary="已电话联系客户说明延误",
        channel="hotline",
        direction="out",
    )
    response = as_agent.post(
        url(dispatched, "extend"),
        {
            "version": seen(dispatched),
            "new_due_at": (dispatched.due_at + dt.timedelta(hours=8)).isoformat(),
            "reason": "等配件",
            "customer_agreed": True,
            "contact_id": contact.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["extensions"][0]["contact"] == contact.pk


def test_m09_an_extension_without_a_contact_is_refused(as_agent, dispatched):
    before = snapshot(dispatched)
    response = as_agent.post(
        url(dispatched, "extend"),
        {
            "version": seen(dispatched),
            "new_due_at": (dispatched.due_at + dt.timedelta(days=1)).isoformat(),
            "reason": "等配件",
            "customer_agreed": True,
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "contact"
    assert body["detail"] == "Record the proactive contact with the customer about the delay first."
    assert snapshot(dispatched) == before


def test_m09_an_extension_after_the_deadline_has_passed_is_409(as_agent, dispatched, time_machine):
    time_machine.move_to(dispatched.due_at + dt.timedelta(minutes=5))
    before = snapshot(dispatched)
    response = as_agent.post(
        url(dispatched, "extend"),
        {
            "version": seen(dispatched),
            "new_due_at": (dispatched.due_at + dt.timedelta(days=1)).isoformat(),
            "reason": "等配件",
            "customer_agreed": True,
            "contact_summary": "迟到的电话",
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "deadline_passed"
    assert snapshot(dispatched) == before


def test_m09_an_extension_needs_the_customers_agreement(as_agent, dispatched):
    before = snapshot(dispatched)
    response = as_agent.post(
        url(dispatched, "extend"),
        {
            "version": seen(dispatched),
            "new_due_at": (dispatched.due_at + dt.timedelta(days=1)).isoformat(),
            "reason": "等配件",
            "contact_summary": "电话告知客户",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "customer_agreed"
    assert snapshot(dispatched) == before


@pytest.mark.parametrize(
    "field,value",
    [("new_due_at", "next week"), ("customer_agreed", "sort of"), ("contact_id", "the call")],
)
def test_m09_extension_with_wrong_types_names_the_field(as_agent, dispatched, field, value):
    body = {
        "new_due_at": (dispatched.due_at + dt.timedelta(days=1)).isoformat(),
        "reason": "等配件",
        "customer_agreed": True,
        "contact_summary": "电话告知客户",
        field: value,
    }
    before = snapshot(dispatched)
    response = as_agent.post(url(dispatched, "extend"), body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert snapshot(dispatched) == before


# --- completion and the customer's word (M24) ----------------------------------------------


def test_m24_completing_a_paid_job_records_the_charge_as_office_revenue(
    as_technician, paid_accepted, agent, technician
):
    ticket = services.ticket_dispatch(actor=agent, ticket=paid_accepted, technician=technician)
    ticket = work_through(ticket, technician)
    response = as_technician.post(
        url(ticket, "complete"),
        {"version": seen(ticket), "work_summary": "更换水龙头一个", "final_charge": "80.00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "completed" and body["final_charge"] == "80.00"
    charge = Charge.objects.get(ticket=ticket)
    assert charge.amount == Decimal("80.00") and charge.office_id == ticket.office_id


def test_completing_with_open_procedure_steps_is_409(as_technician, dispatched):
    before = snapshot(dispatched)
    response = as_technician.post(
        url(dispatched, "complete"),
        {"version": seen(dispatched), "work_summary": "做完了"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["field"] == "checklist"
    assert snapshot(dispatched) == before


def test_m24_a_free_service_cannot_be_charged(as_technician, dispatched, technician):
    ticket = work_through(dispatched, technician)
    before = snapshot(ticket)
    response = as_technician.post(
        url(ticket, "complete"),
        {"version": seen(ticket), "work_summary": "已疏通", "final_charge": "30"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "final_charge"
    assert snapshot(ticket) == before


def test_m24_a_charge_that_is_not_an_amount_names_the_field(as_technician, dispatched, technician):
    ticket = work_through(dispatched, technician)
    before = snapshot(ticket)
    response = as_technician.post(
        url(ticket, "complete"),
        {"version": seen(ticket), "work_summary": "已疏通", "final_charge": "eighty"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "final_charge"
    assert snapshot(ticket) == before


def test_a_satisfied_customer_closes_the_request(as_agent, completed):
    response = as_agent.post(
        url(completed, "customer-confirm"),
        {"version": seen(completed), "satisfied": True, "comment": "师傅很专业"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "closed"
    assert body["satisfied"] is True and body["comment"] == "师傅很专业"


def test_an_unsatisfied_customer_reopens_it_as_linked_rework(as_agent, completed):
    response = as_agent.post(
        url(completed, "customer-confirm"),
        {
            "version": seen(completed),
            "satisfied": False,
            "comment": "还是漏水",
            "channel": "followup",
        },
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "reopened"
    [rework] = body["reworks"]
    assert Ticket.objects.get(pk=rework["id"]).rework_of_id == completed.pk
    rework_detail = as_agent.get(f"/api/v1/tickets/{rework['id']}/").json()
    assert rework_detail["rework_of"]["number"] == completed.number


def test_unsatisfied_without_saying_why_is_refused(as_agent, completed):
    before = snapshot(completed)
    response = as_agent.post(
        url(completed, "customer-confirm"),
        {"version": seen(completed), "satisfied": False},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "comment"
    assert snapshot(completed) == before


def test_satisfaction_must_be_a_yes_or_no(as_agent, completed):
    before = snapshot(completed)
    response = as_agent.post(
        url(completed, "customer-confirm"),
        {"version": seen(completed), "satisfied": "so-so"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "satisfied"
    assert snapshot(completed) == before


# --- cancel ----------------------------------------------------------------------------------


def test_cancel_records_the_reason(as_agent, paid_quoted):
    ticket, quote = paid_quoted
    response = as_agent.post(
        url(ticket, "cancel"), {"version": seen(ticket), "reason": "客户自行解决"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    quote.refresh_from_db()
    assert quote.state == Quote.State.WITHDRAWN


def test_cancel_without_a_reason_is_refused(as_agent, confirmed):
    before = snapshot(confirmed)
    response = as_agent.post(
        url(confirmed, "cancel"), {"version": seen(confirmed), "reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    assert snapshot(confirmed) == before


def test_a_dispatched_job_cannot_be_cancelled(as_agent, dispatched):
    before = snapshot(dispatched)
    response = as_agent.post(
        url(dispatched, "cancel"), {"version": seen(dispatched), "reason": "不修了"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert Ticket.objects.get(pk=dispatched.pk).status == Status.DISPATCHED
    assert snapshot(dispatched) == before
