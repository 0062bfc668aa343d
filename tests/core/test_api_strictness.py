"""Bad input is refused, not guessed at: ids that are not whole numbers, numbers sent as text,
text past its limit, dates outside what the service center can have recorded, a contact before
its request, one contact behind two extensions. Each answers 400 naming the field and changes
nothing. And every API error, 404 for a path that does not exist included, is the JSON shape."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from propdesk.core import serializers
from propdesk.core.api import exception_handler
from propdesk.tickets import services
from propdesk.tickets.models import Contact, Extension, Ticket


@pytest.fixture(autouse=True)
def _english(api):
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def as_agent(api, agent):
    api.force_authenticate(agent)
    return api


def version(ticket) -> int:
    return Ticket.objects.values_list("version", flat=True).get(pk=ticket.pk)


def assert_refused(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["field"] == field, body
    assert body["code"] == "invalid"
    assert "ErrorDetail" not in body["detail"]
    assert set(body["errors"]) >= {field}


def new_request(who, **changes):
    return {
        "customer": who.pk,
        "kind": "repair",
        "channel": "hotline",
        "description": "厨房水管漏水",
        **changes,
    }


# --- ids are whole numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", [270.9, "270.9", True, "1e2", " 1", [1], {"id": 1}])
def test_an_id_that_is_not_a_whole_number_is_refused(as_agent, customer, bad):
    before = Ticket.objects.count()
    # The customer's own id with a fraction would have been rounded down to it before.
    value = customer.pk + 0.9 if bad == 270.9 else f"{customer.pk}.9" if bad == "270.9" else bad
    response = as_agent.post(
        "/api/v1/tickets/", new_request(customer, customer=value), format="json"
    )
    assert_refused(response, "customer")
    assert Ticket.objects.count() == before


def test_an_id_as_digits_in_a_string_is_still_an_id(as_agent, customer):
    response = as_agent.post(
        "/api/v1/tickets/", new_request(customer, customer=str(customer.pk)), format="json"
    )
    assert response.status_code == 201, response.json()


# --- text is text, and bounded -----------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, 12.5, True, False, ["等配件"], {"text": "等配件"}])
def test_a_number_or_a_boolean_is_not_text(as_agent, make_ticket, bad):
    ticket = make_ticket()
    response = as_agent.post(
        f"/api/v1/tickets/{ticket.pk}/cancel/",
        {"reason": bad, "version": version(ticket)},
        format="json",
    )
    assert_refused(response, "reason")
    assert Ticket.objects.get(pk=ticket.pk).status == ticket.status


def test_a_description_past_its_limit_is_refused_and_nothing_is_stored(as_agent, customer):
    before = Ticket.objects.count()
    response = as_agent.post(
        "/api/v1/tickets/", new_request(customer, description="漏" * 100_000), format="json"
    )
    assert_refused(response, "description")
    assert str(serializers.TEXT_DESCRIPTION) in response.json()["detail"]
    assert Ticket.objects.count() == before


def test_a_description_at_its_limit_is_taken_whole(as_agent, customer):
    text = "漏" * serializers.TEXT_DESCRIPTION
    response = as_agent.post(
        "/api/v1/tickets/", new_request(customer, description=text), format="json"
    )
    assert response.status_code == 201, response.json()
    assert Ticket.objects.get(pk=response.json()["id"]).description == text


# Strings that are not free text: checked against a list of values the schema gives as a plain
# string (an enum of a second component would clash).
NOT_FREE_TEXT = {
    "ComplaintCreateRequest.category",
    "CustomerComplaintCreateRequest.category",
}


def test_every_text_field_a_client_sends_has_a_limit():
    """The default limit reaches every serializer: no free text without a bound."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    unbounded = [
        f"{name}.{prop}"
        for name, component in schema["components"]["schemas"].items()
        if name.endswith("Request")  # what clients send (COMPONENT_SPLIT_REQUEST)
        for prop, spec in (component.get("properties") or {}).items()
        if spec.get("type") == "string"
        and "enum" not in spec
        and spec.get("format") not in {"date", "date-time", "binary", "decimal"}
        and "maxLength" not in spec
    ]
    assert sorted(set(unbounded) - NOT_FREE_TEXT) == []


# --- dates are believable and bounded by their record -----------------------------------------


@pytest.mark.parametrize("at", ["0612-03-01T10:00:00+08:00", "2020-03-01T10:00:00+08:00"])
def test_a_contact_before_its_request_was_made_is_refused(as_agent, make_ticket, at):
    ticket = make_ticket()
    before = Contact.objects.count()
    response = as_agent.post(
        f"/api/v1/tickets/{ticket.pk}/contacts/",
        {"summary": "电话联系", "channel": "hotline", "direction": "out", "at": at},
        format="json",
    )
    assert_refused(response, "at")
    assert Contact.objects.count() == before


def test_a_contact_in_the_future_is_refused(as_agent, make_ticket):
    ticket = make_ticket()
    at = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    response = as_agent.post(
        f"/api/v1/tickets/{ticket.pk}/contacts/",
        {"summary": "电话联系", "channel": "hotline", "direction": "out", "at": at},
        format="json",
    )
    assert_refused(response, "at")


@pytest.mark.parametrize("deadline", ["0612-03-01T10:00:00+08:00", "2101-01-01T10:00:00+08:00"])
def test_a_date_outside_the_years_the_service_center_can_have_is_refused(
    as_agent, customer, deadline
):
    before = Ticket.objects.count()
    response = as_agent.post(
        "/api/v1/tickets/", new_request(customer, requested_deadline=deadline), format="json"
    )
    assert_refused(response, "requested_deadline")
    assert Ticket.objects.count() == before


def test_a_moment_before_standard_time_is_served_with_a_valid_offset():
    """Asia/Shanghai's offset in 612 was +08:05:43 (local mean time), which ISO 8601 cannot
    write in a timestamp; such a moment is served in UTC."""
    moment = dt.datetime(612, 3, 1, 10, 0, tzinfo=dt.UTC)
    served = serializers.DateTimeField().to_representation(moment)
    assert served == "0612-03-01T10:00:00Z"
    assert dt.datetime.fromisoformat(served) == moment
    today = serializers.DateTimeField().to_representation(dt.datetime(2026, 3, 1, 2, tzinfo=dt.UTC))
    assert today == "2026-03-01T10:00:00+08:00"


def test_m09_one_contact_justifies_one_extension_only(as_agent, dispatched, agent):
    contact = services.contact_record(
        actor=agent,
        customer=dispatched.customer,
        ticket=dispatched,
        summary="已电话联系客户说明延误",
        channel="hotline",
        direction="out",
    )

    def extend(hours):
        return as_agent.post(
            f"/api/v1/tickets/{dispatched.pk}/extend/",
            {
                "version": version(dispatched),
                "new_due_at": (dispatched.due_at + dt.timedelta(hours=hours)).isoformat(),
                "reason": "等配件",
                "customer_agreed": True,
                "contact_id": contact.pk,
            },
            format="json",
        )

    assert extend(8).status_code == 200
    due = Ticket.objects.get(pk=dispatched.pk).due_at
    response = extend(16)
    assert response.status_code == 400
    assert response.json()["field"] == "contact"
    assert response.json()["code"] == "contact_used"
    assert Ticket.objects.get(pk=dispatched.pk).due_at == due
    assert Extension.objects.filter(ticket=dispatched).count() == 1


def test_m09_a_contact_from_before_the_last_extension_justifies_no_new_one(
    as_agent, dispatched, agent
):
    earlier = services.contact_record(
        actor=agent,
        customer=dispatched.customer,
        ticket=dispatched,
        summary="第一次联系",
        channel="hotline",
        direction="out",
    )
    services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=dispatched.due_at + dt.timedelta(hours=8),
        reason="等配件",
        customer_agreed=True,
        contact_summary="电话告知客户",
        expected_version=version(dispatched),
        now=timezone.now() + dt.timedelta(seconds=1),
    )
    ticket = Ticket.objects.get(pk=dispatched.pk)
    response = as_agent.post(
        f"/api/v1/tickets/{ticket.pk}/extend/",
        {
            "version": ticket.version,
            "new_due_at": (ticket.due_at + dt.timedelta(hours=8)).isoformat(),
            "reason": "还在等配件",
            "customer_agreed": True,
            "contact_id": earlier.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "contact"
    assert Ticket.objects.get(pk=ticket.pk).due_at == ticket.due_at


# --- every error in the one JSON shape ---------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/tickets/abc/", "/api/v1/no-such-thing/", "/api/nothing/", "/api/v1/"]
)
def test_a_path_that_does_not_exist_under_the_api_answers_json_404(as_agent, path):
    response = as_agent.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_a_missing_page_outside_the_api_is_still_a_page(admin_client):
    response = admin_client.get("/console/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_405_json(as_agent):
    response = as_agent.delete("/api/v1/tickets/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_body_of_an_unknown_type_is_415_json(as_agent, customer):
    response = as_agent.post("/api/v1/tickets/", "customer=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_an_answer_type_the_api_cannot_give_is_406_json(as_agent):
    response = as_agent.get("/api/v1/tickets/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_an_error_raised_outside_any_field_reads_as_text_not_a_repr():
    response = exception_handler(ValidationError("Say why."), {})
    assert response.data == {
        "code": "invalid",
        "detail": "Say why.",
        "errors": {"non_field_errors": ["Say why."]},
    }


def test_errors_of_a_list_sent_as_the_whole_body_are_one_level_deep():
    response = exception_handler(ValidationError([{}, {"title": ["This field is required."]}]), {})
    assert response.data["errors"] == {"[1].title": ["This field is required."]}
    assert response.data["field"] == "[1].title"
    assert all(
        isinstance(message, str)
        for messages in response.data["errors"].values()
        for message in messages
    )
