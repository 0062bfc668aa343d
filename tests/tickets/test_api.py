"""The requests API: list, create (idempotent), detail, timeline, contacts, technicians, the
customer's one-time quote link, and the OpenAPI schema."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from propdesk.tickets import services
from propdesk.tickets.models import Contact, Kind, Quote, Status, Ticket
from tests import factories as f
from tests.queries import count_queries, same_queries

URL = "/api/v1/tickets/"


def detail_url(ticket):
    return f"{URL}{ticket.pk}/"


@pytest.fixture(autouse=True)
def _english(api):
    # Assertions read the English source strings, whatever the default language becomes.
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def as_agent(api, agent):
    api.force_authenticate(agent)
    return api


@pytest.fixture
def other_ticket(other_agent, other_customer):
    return services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind=Kind.REPAIR,
        channel="hotline",
        description="阳台漏水",
    )


def new_ticket_body(who, **extra):
    return {
        "customer": who.pk,
        "kind": "repair",
        "channel": "hotline",
        "description": "卫生间下水慢",
        **extra,
    }


# --- who may call -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", URL),
        ("post", URL),
        ("get", f"{URL}1/"),
        ("post", f"{URL}1/dispatch/"),
        ("get", "/api/v1/technicians/"),
    ],
)
def test_anonymous_caller_is_refused(api, db, method, path):
    response = getattr(api, method)(path, {}, format="json")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


# --- the list ---------------------------------------------------------------------------


def test_list_rows_carry_what_the_request_list_shows(as_agent, dispatched, technician, household):
    response = as_agent.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["number"] == dispatched.number
    assert row["status"] == "dispatched"
    assert row["status_display"] == "Dispatched"
    assert row["kind"] == "repair" and row["channel"] == "hotline"
    assert row["office"] == {"id": dispatched.office_id, "name": "翠苑管理处"}
    assert row["customer"] == {"id": dispatched.customer_id, "name": "张伟"}
    assert row["household_address"] == household.address
    assert row["item"] == {"id": dispatched.item_id, "name": "管道疏通"}
    assert row["assignee"] == {"id": technician.pk, "name": "刘强"}
    assert row["version"] == dispatched.version
    assert row["is_overdue"] is False
    assert row["due_at"] and row["created_at"] and "requested_deadline" in row


def test_list_is_overdue_is_computed_at_read_time(as_agent, make_ticket, time_machine):
    ticket = make_ticket()
    time_machine.move_to(ticket.due_at + dt.timedelta(minutes=1))
    row = as_agent.get(URL).json()["results"][0]
    assert row["is_overdue"] is True
    assert as_agent.get(URL, {"overdue": "true"}).json()["count"] == 1


def _list_queries(client):
    with count_queries() as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return ctx


def test_list_query_count_is_the_same_for_3_and_20_rows(
    as_agent, make_ticket, agent, technician, free_item
):
    def add(n):
        for i in range(n):
            ticket = make_ticket(item=free_item if i % 2 else None)
            if i % 3 == 0 and ticket.item_id:
                ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="ok")
                services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)

    add(3)
    three = _list_queries(as_agent)
    add(17)
    assert as_agent.get(URL).json()["count"] == 20
    same_queries(three, _list_queries(as_agent))


def test_list_shows_only_the_users_office(as_agent, make_ticket, other_ticket):
    mine = make_ticket()
    body = as_agent.get(URL).json()
    assert [row["number"] for row in body["results"]] == [mine.number]
    # Filtering on the other office shows nothing rather than its requests.
    assert as_agent.get(URL, {"office": other_ticket.office_id}).json()["count"] == 0


def test_company_role_lists_every_office(api, quality, make_ticket, other_ticket):
    make_ticket()
    api.force_authenticate(quality)
    assert api.get(URL).json()["count"] == 2
    only_other = api.get(URL, {"office": other_ticket.office_id}).json()
    assert [row["number"] for row in only_other["results"]] == [other_ticket.number]


def test_list_filters_by_status_repeated_or_comma_separated(as_agent, make_ticket, agent):
    new = make_ticket()
    confirmed = services.ticket_confirm(actor=agent, ticket=make_ticket(), confirmation="ok")
    declined = services.ticket_decline(actor=agent, ticket=make_ticket(), explanation="不在范围")

    def numbers(query):
        return {row["number"] for row in as_agent.get(URL + query).json()["results"]}

    assert numbers("?status=new") == {new.number}
    assert numbers("?status=new,confirmed") == {new.number, confirmed.number}
    assert numbers("?status=new&status=declined") == {new.number, declined.number}


def test_list_filters_by_kind_channel_technician_dates_and_search(
    as_agent, make_ticket, dispatched, technician, customer
):
    inquiry = make_ticket(kind=Kind.INQUIRY, channel="walk_in")

    def numbers(**params):
        return {row["number"] for row in as_agent.get(URL, params).json()["results"]}

    assert numbers(kind="inquiry") == {inquiry.number}
    assert numbers(channel="walk_in") == {inquiry.number}
    assert numbers(technician=technician.pk) == {dispatched.number}
    today = timezone.localdate()
    assert numbers(created_from=today.isoformat(), created_to=today.isoformat()) == {
        inquiry.number,
        dispatched.number,
    }
    assert numbers(created_to=(today - dt.timedelta(days=1)).isoformat()) == set()
    assert numbers(q=dispatched.number) == {dispatched.number}
    assert numbers(q="13912345678") == {inquiry.number, dispatched.number}
    assert numbers(q="王五") == set()


@pytest.mark.parametrize(
    "params,field",
    [
        ({"status": "nonsense"}, "status"),
        ({"kind": "poem"}, "kind"),
        ({"overdue": "maybe"}, "overdue"),
        ({"technician": "abc"}, "technician"),
        ({"created_from": "yesterday"}, "created_from"),
        ({"created_from": "2025-05-02", "created_to": "2025-05-01"}, "created_to"),
    ],
)
def test_list_rejects_malformed_filters_naming_the_field(as_agent, db, params, field):
    response = as_agent.get(URL, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


# --- create -----------------------------------------------------------------------------


def test_create_receives_a_request(as_agent, customer, household, free_item):
    deadline = timezone.now() + dt.timedelta(hours=6)
    response = as_agent.post(
        URL,
        new_ticket_body(
            customer, item=free_item.pk, requested_deadline=deadline.isoformat(), priority="high"
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    ticket = Ticket.objects.get()
    assert body["id"] == ticket.pk and body["number"] == ticket.number
    assert body["status"] == "new"
    assert body["household"] == household.pk
    assert body["item"]["id"] == free_item.pk
    assert ticket.requested_deadline == ticket.due_at
    assert abs(ticket.due_at - deadline) < dt.timedelta(seconds=1)
    assert ticket.priority == "high"
    assert response.headers["ETag"] == f'"{ticket.version}"'
    assert [e["kind"] for e in body["events"]] == ["created"]


def test_create_retry_with_the_same_idempotency_key_returns_the_same_request(as_agent, customer):
    first = as_agent.post(
        URL, new_ticket_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="call-778-1"
    )
    retry = as_agent.post(
        URL, new_ticket_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="call-778-1"
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert Ticket.objects.count() == 1
    assert Contact.objects.count() == 1  # the retry recorded no second contact either
    other_key = as_agent.post(
        URL, new_ticket_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="call-778-2"
    )
    assert other_key.json()["id"] != first.json()["id"]
    assert Ticket.objects.count() == 2


def test_create_refuses_an_overlong_idempotency_key(as_agent, customer):
    response = as_agent.post(
        URL, new_ticket_body(customer), format="json", HTTP_IDEMPOTENCY_KEY="k" * 81
    )
    assert response.status_code == 400
    assert response.json()["field"] == "idempotency_key"
    assert not Ticket.objects.exists()


def test_m09_create_with_a_deadline_in_the_past_is_refused(as_agent, customer):
    past = timezone.now() - dt.timedelta(hours=1)
    response = as_agent.post(
        URL, new_ticket_body(customer, requested_deadline=past.isoformat()), format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "requested_deadline"
    assert body["code"] == "deadline_in_past"
    assert body["detail"] == "The deadline must be in the future."
    assert not Ticket.objects.exists()


def test_create_without_a_description_names_the_field(as_agent, customer):
    response = as_agent.post(URL, new_ticket_body(customer, description="  "), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "description"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("customer", "abc"),
        ("kind", "poem"),
        ("channel", 7),
        ("requested_deadline", "tomorrow morning"),
        ("item", "x"),
        ("priority", "whenever"),
    ],
)
def test_create_with_wrong_types_is_400_naming_the_field(as_agent, customer, field, value):
    response = as_agent.post(URL, new_ticket_body(customer, **{field: value}), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert not Ticket.objects.exists()


def test_create_for_another_offices_customer_says_it_does_not_exist(as_agent, other_customer):
    response = as_agent.post(URL, new_ticket_body(other_customer), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "customer"
    assert "does not exist" in body["detail"]
    assert not Ticket.objects.exists()


def test_create_with_another_offices_item_or_household_is_refused(
    as_agent, customer, other_office, other_customer
):
    their_item = f.ServiceItemFactory(office=other_office)
    response = as_agent.post(URL, new_ticket_body(customer, item=their_item.pk), format="json")
    assert response.status_code == 400 and response.json()["field"] == "item"
    their_household = other_customer.households.get()
    response = as_agent.post(
        URL, new_ticket_body(customer, household=their_household.pk), format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "household"
    assert not Ticket.objects.exists()


def test_a_technician_cannot_receive_requests(api, technician, customer):
    api.force_authenticate(technician)
    response = api.post(URL, new_ticket_body(customer), format="json")
    assert response.status_code == 403
    assert not Ticket.objects.exists()


# --- detail ---------------------------------------------------------------------------------


@pytest.fixture
def worked_on(make_ticket, agent, technician, paid_item):
    """A paid job: quoted, accepted by link, dispatched, first step ticked, deadline extended."""
    ticket = make_ticket(item=paid_item)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="更换水龙头")
    _, token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    services.quote_answer_by_link(token=token, accepted=True)
    ticket.refresh_from_db()
    ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
    step = ticket.checklist.first()
    services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk, note="已查看")
    ticket.refresh_from_db()
    services.ticket_extend(
        actor=agent,
        ticket=ticket,
        new_due_at=ticket.due_at + dt.timedelta(hours=24),
        reason="等配件",
        customer_agreed=True,
        contact_summary="电话告知客户配件明天到",
    )
    ticket.refresh_from_db()
    return ticket


def test_detail_shows_the_whole_request(as_agent, worked_on, technician, agent):
    response = as_agent.get(detail_url(worked_on))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == worked_on.number
    assert body["status"] == "in_progress"
    assert body["confirmation"] == "更换水龙头"
    assert body["description"] == "厨房水管漏水"
    assert body["final_charge"] == "0.00"
    assert body["satisfied"] is None and body["comment"] == ""
    assert body["rework_of"] is None and body["reworks"] == []
    [quote] = body["quotes"]
    assert quote["state"] == "accepted" and quote["total"] == "80.00"
    assert quote["answered_via"] == "link"
    assert [line["amount"] for line in quote["lines"]] == ["80.00"]
    assert "token_hash" not in quote
    [assignment] = body["assignments"]
    assert assignment["technician"] == {"id": technician.pk, "name": "刘强"}
    assert assignment["assigned_by"]["id"] == agent.pk
    assert [step["title"] for step in body["checklist"]] == ["上门查看", "维修处理", "清理现场"]
    assert body["checklist"][0]["done_by"]["id"] == technician.pk
    assert body["checklist"][1]["done_at"] is None
    [extension] = body["extensions"]
    assert extension["reason"] == "等配件"
    kinds = [event["kind"] for event in body["events"]]
    assert kinds[:3] == ["created", "confirmed", "quoted"]
    assert kinds[-1] == "extended"
    dispatched_event = next(e for e in body["events"] if e["kind"] == "dispatched")
    assert dispatched_event["label"] == "Dispatched to a technician"
    assert dispatched_event["from_status"] == "accepted"
    assert dispatched_event["to_status"] == "dispatched"
    assert dispatched_event["actor"]["name"] == "陈静"
    assert dispatched_event["customer_visible"] is True
    assert response.headers["ETag"] == f'"{worked_on.version}"'


def test_detail_allowed_actions_follow_status_and_role(api, confirmed, agent, technician):
    api.force_authenticate(agent)
    actions = set(api.get(detail_url(confirmed)).json()["allowed_actions"])
    # A confirmed repair of a free item: no answer (not an inquiry), no fee to quote.
    assert actions == {"decline", "dispatch", "extend", "cancel", "record_contact"}
    api.force_authenticate(technician)
    # Not his work order yet: he may only record a contact.
    assert api.get(detail_url(confirmed)).json()["allowed_actions"] == ["record_contact"]


def test_detail_of_another_offices_request_is_404(as_agent, other_ticket):
    response = as_agent.get(detail_url(other_ticket))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_detail_of_a_missing_request_is_404(as_agent, db):
    assert as_agent.get(f"{URL}999999/").status_code == 404


# --- timeline and contacts ---------------------------------------------------------------


def test_timeline_lists_events_in_order(as_agent, dispatched):
    response = as_agent.get(f"{detail_url(dispatched)}timeline/")
    assert response.status_code == 200
    assert [e["kind"] for e in response.json()["results"]] == [
        "created",
        "confirmed",
        "dispatched",
    ]


def test_timeline_of_another_offices_request_is_404(as_agent, other_ticket):
    assert as_agent.get(f"{detail_url(other_ticket)}timeline/").status_code == 404


def test_m01_contacts_lists_the_requests_contacts_only(as_agent, confirmed, make_ticket):
    make_ticket(description="另一个请求")
    response = as_agent.get(f"{detail_url(confirmed)}contacts/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["summary"] for row in rows] == ["明天上午上门, 更换水管接头", "厨房水管漏水"]
    assert rows[0]["direction"] == "out" and rows[0]["stage"] == "before"
    assert rows[0]["staff"]["name"] == "陈静"


def test_m01_a_contact_is_recorded_against_the_request(as_agent, confirmed):
    response = as_agent.post(
        f"{detail_url(confirmed)}contacts/",
        {"summary": "客户来电询问进度", "channel": "hotline", "direction": "in"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    contact = confirmed.contacts.get(pk=response.json()["id"])
    assert contact.summary == "客户来电询问进度"
    assert contact.customer_id == confirmed.customer_id
    assert confirmed.events.filter(kind="contact").exists()


def test_m01_a_contact_without_a_summary_is_refused(as_agent, confirmed):
    before = confirmed.contacts.count()
    response = as_agent.post(
        f"{detail_url(confirmed)}contacts/",
        {"summary": "", "channel": "hotline", "direction": "in"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "summary"
    assert confirmed.contacts.count() == before


def test_contacts_of_another_offices_request_is_404(as_agent, other_ticket):
    assert as_agent.get(f"{detail_url(other_ticket)}contacts/").status_code == 404


# --- technicians -----------------------------------------------------------------------


def test_technicians_lists_active_technicians_of_the_users_office(
    as_agent, dispatched, technician, technician2, other_technician
):
    f.UserFactory(role="technician", office=technician.office, is_active=False)
    body = as_agent.get("/api/v1/technicians/").json()
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {technician.pk, technician2.pk}
    assert rows[technician.pk]["open_jobs"] == 1
    assert rows[technician2.pk]["open_jobs"] == 0
    assert rows[technician.pk]["name"] == "刘强"


def test_technicians_filter_by_office_for_company_roles(api, quality, technician, other_technician):
    api.force_authenticate(quality)
    assert api.get("/api/v1/technicians/").json()["count"] == 2
    body = api.get("/api/v1/technicians/", {"office": other_technician.office_id}).json()
    assert [row["id"] for row in body["results"]] == [other_technician.pk]
    response = api.get("/api/v1/technicians/", {"office": "first"})
    assert response.status_code == 400 and response.json()["field"] == "office"


# --- the customer's one-time link (M10) ---------------------------------------------------


@pytest.fixture
def quoted(make_ticket, agent, paid_item):
    ticket = make_ticket(item=paid_item)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="更换水龙头")
    quote, token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    return quote, token


def test_m10_the_link_shows_the_fee_standard_and_nothing_about_the_customer(api, quoted):
    quote, token = quoted
    response = api.get(f"/api/v1/quotes/by-token/{token}/")
    assert response.status_code == 200
    body = response.json()
    assert body["ticket_number"] == quote.ticket.number
    assert body["item_name"] == "水电维修"
    assert body["total"] == "80.00"
    assert body["state"] == "sent" and body["is_expired"] is False
    assert [line["amount"] for line in body["lines"]] == ["80.00"]
    text = response.content.decode()
    assert "张伟" not in text and "13912345678" not in text
    assert set(body) == {
        "ticket_number",
        "item_name",
        "lines",
        "total",
        "terms",
        "expires_at",
        "is_expired",
        "state",
        "state_display",
    }


def test_m10_the_customer_accepts_through_the_link_without_logging_in(api, quoted):
    quote, token = quoted
    response = api.post(f"/api/v1/quotes/by-token/{token}/", {"accepted": True}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
    quote.refresh_from_db()
    assert quote.state == Quote.State.ACCEPTED and quote.answered_via == "link"
    assert quote.ticket.status == Status.ACCEPTED
    # One time only.
    again = api.post(f"/api/v1/quotes/by-token/{token}/", {"accepted": False}, format="json")
    assert again.status_code == 409
    quote.refresh_from_db()
    assert quote.state == Quote.State.ACCEPTED


def test_m10_the_link_refuses_a_malformed_answer(api, quoted):
    quote, token = quoted
    response = api.post(f"/api/v1/quotes/by-token/{token}/", {"accepted": "perhaps"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "accepted"
    quote.refresh_from_db()
    assert quote.state == Quote.State.SENT


def test_m10_an_unknown_link_is_404(api, quoted):
    assert api.get("/api/v1/quotes/by-token/not-a-token/").status_code == 404
    response = api.post("/api/v1/quotes/by-token/not-a-token/", {"accepted": True}, format="json")
    assert response.status_code == 404
    assert quoted[0].ticket.status == Status.QUOTED


# --- the schema -------------------------------------------------------------------------


def test_openapi_schema_of_the_request_endpoints_has_no_warnings(db, capsys):
    GENERATOR_STATS.reset()  # warnings of an earlier generation in this process are not ours
    generator = SchemaGenerator(patterns=[path("api/v1/", include("propdesk.tickets.api_urls"))])
    schema = generator.get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err
    validate_schema(schema)
    assert "/api/v1/tickets/{id}/dispatch/" in schema["paths"]


def test_openapi_schema_of_the_whole_api_validates_and_lists_the_request_endpoints(db):
    # Strict about warnings only for our own endpoints (above): other apps' enum names are
    # settled in SPECTACULAR_SETTINGS, not here.
    out = io.StringIO()
    call_command(
        "spectacular", validate=True, format="openapi-json", stdout=out, stderr=io.StringIO()
    )
    paths = json.loads(out.getvalue())["paths"]
    for url in (
        "/api/v1/tickets/",
        "/api/v1/tickets/{id}/",
        "/api/v1/tickets/{id}/dispatch/",
        "/api/v1/tickets/{id}/checklist/{step_id}/tick/",
        "/api/v1/tickets/{id}/quotes/{quote_id}/answer/",
        "/api/v1/quotes/by-token/{token}/",
        "/api/v1/technicians/",
    ):
        assert url in paths


def test_allowed_actions_wait_for_the_fee_before_dispatch(api, agent, make_ticket, paid_item):
    ticket = make_ticket(item=paid_item)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="换水龙头")
    api.force_authenticate(agent)
    actions = set(api.get(detail_url(ticket)).json()["allowed_actions"])
    assert "quote" in actions and "dispatch" not in actions


def test_list_filters_by_customer_and_household(api, agent, make_ticket, office):
    mine = make_ticket()
    other = make_ticket(customer=f.CustomerFactory(office=office, name="邻居"))
    api.force_authenticate(agent)
    rows = api.get("/api/v1/tickets/", {"customer": mine.customer_id}).json()["results"]
    assert [r["number"] for r in rows] == [mine.number]
    rows = api.get("/api/v1/tickets/", {"household": other.household_id}).json()["results"]
    assert [r["number"] for r in rows] == [other.number]
