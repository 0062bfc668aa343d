"""A complaint is a request of kind "complaint", but it is only ever filed through the complaint
intake (M17) and handled on its complaint page: the request pages and API neither offer nor
accept the kind, and a complaint's request leads to its complaint."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from propdesk.complaints.models import Complaint
from propdesk.complaints.services.intake import complaint_file
from propdesk.tickets.models import Channel, Kind, Ticket
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday
NEW = reverse("console:ticket_new")
LIST = reverse("console:ticket_list")
API = "/api/v1/tickets/"
INTAKE_MESSAGE = "Record a complaint through the complaint intake: it is heard and routed there."


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def file(agent, customer):
    """``file(**kw)``: a complaint heard by ``agent`` on the complaint line."""

    def make(**kwargs):
        kwargs.setdefault("account", "楼道垃圾三天没人清理, 气味很大")
        return complaint_file(
            actor=agent,
            customer=kwargs.pop("customer", customer),
            channel=Channel.HOTLINE,
            category=Complaint.Category.ENVIRONMENT,
            listened=True,
            understanding="理解您的心情",
            explanation="已通知保洁主管, 今天下午处理",
            now=NOW,
            **kwargs,
        )

    return make


def complaint_url(complaint) -> str:
    return reverse("console:complaint", args=[complaint.pk])


def detail_url(complaint) -> str:
    return reverse("console:ticket_detail", args=[complaint.ticket_id])


# --- no request of kind complaint ------------------------------------------------------------


def test_m17_the_new_request_form_does_not_offer_a_complaint(agent_client, customer):
    body = agent_client.get(NEW, {"customer": customer.pk}).content.decode()
    kinds = re.search(r'<select name="kind".*?</select>', body, re.S)[0]
    assert 'value="repair"' in kinds and 'value="complaint"' not in kinds
    hint = body[body.index('id="complaint-hint"') :]
    hint = hint[: hint.index("</p>")]
    assert "record it through the complaint intake" in hint
    assert f'href="{reverse("console:complaint_new")}?customer={customer.pk}"' in hint


def test_m17_a_request_of_kind_complaint_is_refused_with_the_intakes_message(
    agent_client, customer
):
    response = agent_client.post(
        NEW,
        {
            "customer": customer.pk,
            "kind": Kind.COMPLAINT,
            "channel": Channel.WALK_IN,
            "description": "保安态度恶劣",
            "priority": "normal",
            "idempotency_key": "k-1",
        },
    )
    assert response.status_code == 400
    assert INTAKE_MESSAGE in response.content.decode()
    assert not Ticket.objects.exists() and not Complaint.objects.exists()


def test_m17_the_api_refuses_a_request_of_kind_complaint(api, agent, customer):
    api.force_authenticate(agent)
    response = api.post(
        API,
        {"customer": customer.pk, "kind": "complaint", "channel": "hotline", "description": "脏"},
        format="json",
    )
    body = response.json()
    assert (response.status_code, body["field"], body["code"]) == (
        400,
        "kind",
        "use_complaint_intake",
    )
    assert body["detail"] == INTAKE_MESSAGE
    assert not Ticket.objects.exists()


def test_m17_the_api_schema_does_not_offer_a_complaint(api, agent):
    api.force_authenticate(agent)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    kind = components["TicketCreateRequest"]["properties"]["kind"]
    kinds = components[kind["$ref"].rsplit("/", 1)[-1]]["enum"]
    assert "repair" in kinds and "complaint" not in kinds


# --- a complaint's request page ------------------------------------------------------------------


def test_m17_a_complaints_request_page_links_to_the_complaint(agent_client, file):
    complaint = file()
    response = agent_client.get(detail_url(complaint))
    body = response.content.decode()
    assert response.status_code == 200
    banner = body[body.index('id="complaint-link"') :]
    banner = banner[: banner.index("</div>")]
    assert "This is a complaint:" in banner and "open the complaint" in banner
    assert f'href="{complaint_url(complaint)}"' in banner
    # No work order here: no fee, procedure or dispatch; only the contacts it keeps.
    actions = [a["name"] for a in response.context["action_forms"]]
    assert actions == ["contact"]
    for absent in ("<h2>Fee</h2>", "<h2>Procedure</h2>", "Dispatch to a technician", "work order"):
        assert absent not in body
    assert "Record a contact" in body


def test_m17_a_work_order_action_on_a_complaint_is_refused_on_the_page(
    agent_client, file, technician
):
    complaint = file()
    ticket = complaint.ticket
    before = (ticket.status, ticket.version)
    url = reverse("console:ticket_action", args=[ticket.pk, "dispatch"])
    response = agent_client.post(url, {"version": ticket.version, "technician": technician.pk})
    assert response.status_code == 409
    body = response.content.decode()
    assert "A complaint is handled on its complaint page, not as a work order." in body
    assert f'href="{complaint_url(complaint)}"' in body
    ticket.refresh_from_db()
    assert ticket.assignee_id is None and (ticket.status, ticket.version) == before


def test_m17_a_contact_is_recorded_on_a_complaints_request(agent_client, file):
    complaint = file()
    ticket = complaint.ticket
    url = reverse("console:ticket_action", args=[ticket.pk, "contact"])
    data = {
        "version": ticket.version,
        "channel": "hotline",
        "direction": "out",
        "summary": "回电告知处理进度",
    }
    response = agent_client.post(url, data)
    assert response.status_code == 302
    assert ticket.contacts.filter(summary="回电告知处理进度").exists()


def test_m18_a_director_recused_from_a_complaint_gets_404_on_its_request_page(
    client, agent_client, file, director
):
    complaint = file(about_staff=[director])
    assert agent_client.get(detail_url(complaint)).status_code == 200
    client.force_login(director)
    assert client.get(detail_url(complaint)).status_code == 404
    url = reverse("console:ticket_action", args=[complaint.ticket_id, "contact"])
    response = client.post(url, {"version": 1, "channel": "hotline", "summary": "x"})
    assert response.status_code == 404
    assert complaint.ticket.number not in client.get(LIST).content.decode()


# --- the request list ------------------------------------------------------------------------


def test_m17_the_request_list_marks_and_links_complaints(agent_client, file, make_ticket):
    complaint = file()
    repair = make_ticket()
    body = agent_client.get(LIST).content.decode()
    row = body[body.index(complaint.ticket.number) :]
    row = row[: row.index("</tr>")]
    assert '<span class="badge amber">Complaint</span>' in row
    assert f'href="{complaint_url(complaint)}"' in row
    repair_row = body[body.index(repair.number) :]
    assert "open the complaint" not in repair_row[: repair_row.index("</tr>")]


def test_the_request_list_reads_its_complaints_in_fixed_queries(
    agent_client, file, make_ticket, office
):
    from tests import factories as f

    def count():
        with count_queries() as ctx:
            assert agent_client.get(LIST).status_code == 200
        return ctx

    file()
    make_ticket()
    few = count()
    for _ in range(4):
        file(customer=f.CustomerFactory(office=office))
    same_queries(few, count())


# --- the customer's page -------------------------------------------------------------------------


def test_m17_the_customers_page_links_each_complaint_to_its_complaint(agent_client, file, customer):
    complaint = file()
    body = agent_client.get(reverse("console:customer_detail", args=[customer.pk])).content.decode()
    after = body[body.index('id="after-service"') : body.index('id="unused"')]
    assert f'<a href="{complaint_url(complaint)}">{complaint.ticket.number}</a>' in after
