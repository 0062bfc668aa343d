"""Console pages of the hotline: intake and screen pop, the call log, the duty roster (M02)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.hotline.models import Call, DutyShift
from propdesk.org.models import HotlineLine
from propdesk.tickets import services as tickets
from propdesk.tickets.models import Contact, Ticket
from tests import factories as f
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db

INTAKE = reverse("console:hotline")
POP = reverse("console:hotline_pop")
CALLS = reverse("console:call_list")
ROSTER = reverse("console:roster")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def director_client(client, director):
    client.force_login(director)
    return client


def local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


# --- intake -----------------------------------------------------------------------------------


def test_m02_intake_shows_the_known_caller_with_open_requests(agent_client, agent, customer, line):
    ticket = tickets.ticket_create(
        actor=agent, customer=customer, kind="repair", channel="walk_in", description="漏水"
    )
    body = agent_client.get(INTAKE, {"number": "13912345678"}).content.decode()
    assert customer.name in body
    assert f'href="/console/customers/{customer.pk}/"' in body
    assert ticket.number in body and f"/console/requests/{ticket.pk}/" in body
    assert customer.households.get().address in body
    # The screen pop polls every three seconds.
    assert 'hx-trigger="load, every 3s"' in body and POP in body


def test_an_unknown_caller_is_offered_a_new_customer(agent_client, line):
    body = agent_client.get(INTAKE, {"number": "13700001111"}).content.decode()
    assert "No customer has this number." in body
    # On the call screen itself, with the number filled in; the full form stays a link away.
    assert 'id="new-caller"' in body and 'name="phones" value="+8613700001111"' in body
    assert "/console/customers/new/?phone=%2B8613700001111" in body


def test_an_invalid_lookup_number_is_explained(agent_client, line):
    response = agent_client.get(INTAKE, {"number": "12ab"})
    assert response.status_code == 200
    assert "is not a valid phone number" in response.content.decode()


def test_m02_intake_logs_an_answered_inquiry(agent_client, agent, line, customer):
    response = agent_client.post(
        INTAKE,
        {
            "kind": "inquiry",
            "line": line.pk,
            "caller_number": "13912345678",
            "customer": customer.pk,
            "description": "问停车费",
            "answer": "每月300元",
        },
    )
    call = Call.objects.get()
    # The call screen again, for this call: it says the call is logged.
    assert response.status_code == 302
    assert response["Location"] == f"{INTAKE}?call={call.pk}"
    assert "The call is logged." in agent_client.get(response["Location"]).content.decode()
    assert (call.handler, call.outcome, call.customer) == (agent, "inquiry_answered", customer)
    assert call.ticket.answer == "每月300元"


def test_m02_intake_turns_a_call_into_a_request(agent_client, line, customer, free_item):
    response = agent_client.post(
        INTAKE,
        {
            "kind": "repair",
            "line": line.pk,
            "caller_number": "139 1234 5678",
            "customer": customer.pk,
            "item": free_item.pk,
            "description": "厨房下水道堵了",
            "requested_deadline": local(timezone.now() + dt.timedelta(days=1)),
        },
    )
    ticket = Ticket.objects.get()
    call = Call.objects.get()
    # Back to the call screen, which links the request and offers its next step.
    assert response.status_code == 302
    assert response["Location"] == f"{INTAKE}?call={call.pk}"
    page = agent_client.get(response["Location"]).content.decode()
    assert f"/console/requests/{ticket.pk}/" in page
    assert "Confirm with the customer" in page
    assert (call.ticket, call.outcome, ticket.channel) == (ticket, "request_created", "hotline")
    assert Contact.objects.get(ticket=ticket).call == call


def test_m02_an_invalid_caller_number_is_shown_on_the_form_and_nothing_saved(
    agent_client, line, customer
):
    response = agent_client.post(
        INTAKE,
        {
            "kind": "repair",
            "line": line.pk,
            "caller_number": "12345",
            "customer": customer.pk,
            "description": "厨房下水道堵了",
        },
    )
    assert response.status_code == 400
    assert "“12345” is not a valid phone number." in response.content.decode()
    assert not Call.objects.exists() and not Ticket.objects.exists()


def test_a_request_without_a_customer_says_to_choose_or_create_one(agent_client, line):
    response = agent_client.post(
        INTAKE,
        {
            "kind": "repair",
            "line": line.pk,
            "caller_number": "13700001111",
            "description": "门锁坏了",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Choose the customer, or create one" in body
    # The caller can be saved as a customer right there, with the number filled in.
    assert 'id="new-caller"' in body and 'value="+8613700001111"' in body
    assert "/console/customers/new/?phone=%2B8613700001111" in body
    assert not Call.objects.exists()


def test_the_pop_opens_the_intake_for_its_call(agent_client, line, customer, make_call):
    call = make_call(line, customer=customer)
    pop = agent_client.get(POP).content.decode()
    assert f"{INTAKE}?call={call.pk}" in pop and customer.name in pop
    assert "<html" not in pop

    page = agent_client.get(INTAKE, {"call": call.pk}).content.decode()
    assert f'name="call" value="{call.pk}"' in page
    assert f'name="customer" value="{customer.pk}" checked' in page


def test_logging_a_popped_call(agent_client, agent, line, make_call):
    call = make_call(line, caller="+8613700001111", state=Call.State.ANSWERED)
    response = agent_client.post(
        INTAKE,
        {"kind": "inquiry", "call": call.pk, "description": "问", "answer": "答"},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.outcome, call.handler, call.answer) == ("inquiry_answered", agent, "答")


def test_pop_shows_only_the_offices_live_calls(agent_client, line, other_line, make_call):
    mine = make_call(line)
    theirs = make_call(other_line, caller="+8613700002222")
    pop = agent_client.get(POP).content.decode()
    assert f"?call={mine.pk}" in pop and f"?call={theirs.pk}" not in pop


def test_another_offices_call_is_404(agent_client, other_line, make_call):
    theirs = make_call(other_line)
    assert agent_client.get(INTAKE, {"call": theirs.pk}).status_code == 404
    response = agent_client.post(
        INTAKE, {"kind": "inquiry", "call": theirs.pk, "description": "问", "answer": "答"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.outcome == ""


def test_a_technician_sees_the_hotline_but_cannot_log(client, technician, line):
    client.force_login(technician)
    body = client.get(INTAKE).content.decode()
    assert "Log the call" not in body
    response = client.post(
        INTAKE,
        {
            "kind": "inquiry",
            "line": line.pk,
            "caller_number": "13912345678",
            "description": "问",
            "answer": "答",
        },
    )
    assert response.status_code == 403
    assert not Call.objects.exists()


# --- the call log -----------------------------------------------------------------------------


def test_call_log_lists_and_filters(agent_client, agent, lines, make_call):
    missed = make_call(lines["complaint"], state=Call.State.MISSED, caller="+8613700001111")
    handled = make_call(lines["service"], state=Call.State.ENDED, handler=agent)
    body = agent_client.get(CALLS).content.decode()
    assert f"?call={missed.pk}" in body and f"?call={handled.pk}" in body
    body = agent_client.get(CALLS, {"state": "missed"}).content.decode()
    assert f"?call={missed.pk}" in body and f"?call={handled.pk}" not in body


def test_call_log_bad_filter_is_400_not_500(agent_client, line):
    assert agent_client.get(CALLS, {"date_from": "yesterday"}).status_code == 400


def test_call_log_takes_the_same_queries_for_one_row_or_many(
    agent_client, agent, office, line, make_call
):
    def count():
        with count_queries() as ctx:
            assert agent_client.get(CALLS).status_code == 200
        return ctx

    customer = f.CustomerFactory(office=office)
    ticket = tickets.ticket_create(
        actor=agent, customer=customer, kind="repair", channel="hotline", description="漏水"
    )
    make_call(line, handler=agent, customer=customer, ticket=ticket, outcome="request_created")
    one = count()
    for _ in range(12):
        c = f.CustomerFactory(office=office)
        make_call(line, handler=f.UserFactory(office=office), customer=c, summary="问")
    same_queries(one, count())


# --- the roster -------------------------------------------------------------------------------


def test_m02_roster_page_flags_gaps_red_and_full_coverage_green(
    director_client, agent, lines, make_shift
):
    now = timezone.now()
    make_shift(lines["complaint"], agent, now - dt.timedelta(hours=1), now + dt.timedelta(hours=8))
    for line in (lines["service"], lines["duty"]):
        start = now - dt.timedelta(hours=1)
        for _ in range(8):  # 24-hour shifts back to back over the next 7 days
            make_shift(line, agent, start, start + dt.timedelta(hours=24))
            start += dt.timedelta(hours=24)
    body = director_client.get(ROSTER).content.decode()
    assert body.count("Covered 24 hours") == 2
    gap_start = timezone.localtime(now + dt.timedelta(hours=8))
    assert f'badge red">Gap {gap_start:%m-%d %H:%M}' in body


def test_m02_director_adds_a_shift(director_client, agent, line):
    start = timezone.now().replace(microsecond=0, second=0) + dt.timedelta(days=1)
    response = director_client.post(
        ROSTER,
        {
            "action": "add_shift",
            "line": line.pk,
            "staff": agent.pk,
            "starts_at": local(start),
            "ends_at": local(start + dt.timedelta(hours=8)),
        },
    )
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert (shift.staff, shift.starts_at) == (agent, start)


def test_an_overlapping_shift_is_shown_on_the_form(director_client, agent, line, make_shift):
    start = timezone.now().replace(microsecond=0, second=0)
    make_shift(line, agent, start, start + dt.timedelta(hours=8))
    response = director_client.post(
        ROSTER,
        {
            "action": "add_shift",
            "line": line.pk,
            "staff": agent.pk,
            "starts_at": local(start + dt.timedelta(hours=4)),
            "ends_at": local(start + dt.timedelta(hours=12)),
        },
    )
    assert response.status_code == 400
    assert "already has a shift on this line" in response.content.decode()
    assert DutyShift.objects.count() == 1


def test_a_shift_for_another_offices_staff_is_refused(director_client, other_agent, line):
    start = timezone.now()
    response = director_client.post(
        ROSTER,
        {
            "action": "add_shift",
            "line": line.pk,
            "staff": other_agent.pk,
            "starts_at": local(start),
            "ends_at": local(start + dt.timedelta(hours=8)),
        },
    )
    assert response.status_code == 400
    assert not DutyShift.objects.exists()


def test_an_agent_sees_the_roster_but_may_not_change_it(agent_client, agent, line, make_shift):
    shift = make_shift(line, agent, timezone.now(), timezone.now() + dt.timedelta(hours=8))
    body = agent_client.get(ROSTER).content.decode()
    assert agent.display_name in body and "Add the shift" not in body
    response = agent_client.post(reverse("console:shift_delete", args=[shift.pk]))
    assert response.status_code == 403
    assert DutyShift.objects.exists()


def test_director_removes_a_shift(director_client, agent, line, make_shift):
    shift = make_shift(line, agent, timezone.now(), timezone.now() + dt.timedelta(hours=8))
    response = director_client.post(reverse("console:shift_delete", args=[shift.pk]))
    assert response.status_code == 302
    assert not DutyShift.objects.exists()


def test_another_offices_roster_is_404(
    director_client, other_office, other_line, other_agent, make_shift
):
    shift = make_shift(
        other_line, other_agent, timezone.now(), timezone.now() + dt.timedelta(hours=1)
    )
    assert director_client.get(ROSTER, {"office": other_office.pk}).status_code == 404
    assert director_client.post(reverse("console:shift_delete", args=[shift.pk])).status_code == 404
    assert DutyShift.objects.exists()


def test_director_sets_a_line_number(director_client, office, lines):
    response = director_client.post(
        ROSTER, {"action": "set_line", "kind": "duty", "number": "0755-88100099"}
    )
    assert response.status_code == 302
    assert HotlineLine.objects.get(office=office, kind="duty").number == "+8675588100099"


def test_a_line_number_already_used_is_refused(director_client, office, lines):
    response = director_client.post(
        ROSTER, {"action": "set_line", "kind": "duty", "number": "0755-88100001"}
    )
    assert response.status_code == 409
    assert "already the number of another line" in response.content.decode()
    assert HotlineLine.objects.get(office=office, kind="duty").number == "+8675588100003"
