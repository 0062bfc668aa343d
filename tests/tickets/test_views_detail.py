"""The request page and every action on it: the happy path, and the refusal that changes nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from propdesk.tickets import services
from propdesk.tickets.models import Contact, Extension, Kind, Quote, Status, Ticket


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def as_agent(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def as_tech(client, technician):
    client.force_login(technician)
    return client


@pytest.fixture
def quoted(make_ticket, agent, paid_item):
    ticket = make_ticket(item=paid_item)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="更换水龙头")
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    ticket.refresh_from_db()
    return ticket


def png(name="step.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def detail(ticket) -> str:
    return reverse("console:ticket_detail", args=[ticket.pk])


def act(client, ticket, action, **data):
    """POST an action form with the version the page would carry."""
    ticket.refresh_from_db()
    data.setdefault("version", ticket.version)
    return client.post(reverse("console:ticket_action", args=[ticket.pk, action]), data)


def unchanged(ticket) -> bool:
    before = ticket.version
    ticket.refresh_from_db()
    return ticket.version == before


# --- the page ----------------------------------------------------------------------------------


def test_detail_shows_the_request_customer_and_timeline(as_agent, confirmed, customer):
    body = as_agent.get(detail(confirmed)).content.decode()
    assert confirmed.number in body
    assert f'href="/console/customers/{customer.pk}/"' in body
    assert 'href="tel:+8613912345678"' in body
    assert "Request received" in body
    assert "Content and requirements confirmed with the customer" in body
    assert confirmed.item.price_label in body


def test_internal_events_are_marked(as_agent, dispatched, technician):
    step = dispatched.checklist.first()
    services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    body = as_agent.get(detail(dispatched)).content.decode()
    assert "Procedure step done" in body
    assert 'class="badge">internal' in body


def test_another_offices_request_is_not_found(client, other_agent, confirmed):
    client.force_login(other_agent)
    assert client.get(detail(confirmed)).status_code == 404
    assert act(client, confirmed, "cancel", reason="x", sure="on").status_code == 404
    assert unchanged(confirmed)


def test_only_the_actions_allowed_now_are_offered(
    client, agent, technician, make_ticket, dispatched
):
    client.force_login(agent)
    body = client.get(detail(make_ticket())).content.decode()
    for action in ["confirm", "decline", "cancel", "contact"]:
        assert f'id="action-{action}"' in body
    for action in ["start", "complete", "dispatch", "satisfaction", "answer"]:
        assert f'id="action-{action}"' not in body
    client.force_login(technician)
    body = client.get(detail(dispatched)).content.decode()
    for action in ["start", "complete", "hand_back", "extend"]:
        assert f'id="action-{action}"' in body
    for action in ["dispatch", "transfer", "cancel"]:
        assert f'id="action-{action}"' not in body


def test_unknown_action_is_not_found_and_get_is_refused(as_agent, confirmed):
    assert act(as_agent, confirmed, "explode").status_code == 404
    url = reverse("console:ticket_action", args=[confirmed.pk, "cancel"])
    assert as_agent.get(url).status_code == 405


def test_role_without_the_permission_is_refused(as_tech, dispatched, technician2):
    response = act(as_tech, dispatched, "transfer", technician=technician2.pk, reason="忙")
    assert response.status_code == 403
    assert "Your role may not do this." in response.content.decode()
    assert unchanged(dispatched)


# --- confirm, answer, decline (M08) -------------------------------------------------------------


def test_m08_confirm_records_what_was_confirmed(as_agent, make_ticket):
    ticket = make_ticket()
    response = act(as_agent, ticket, "confirm", confirmation="明早9点上门", channel="hotline")
    assert response.status_code == 302 and response["Location"] == detail(ticket)
    ticket.refresh_from_db()
    assert ticket.status == Status.CONFIRMED
    assert ticket.confirmation == "明早9点上门"


def test_m08_confirm_without_text_is_refused(as_agent, make_ticket):
    ticket = make_ticket()
    response = act(as_agent, ticket, "confirm", confirmation="", channel="hotline")
    assert response.status_code == 400
    assert "Write down what was confirmed with the customer." in response.content.decode()
    assert unchanged(ticket) and ticket.status == Status.NEW


def test_m08_inquiry_is_answered_and_closed(as_agent, make_ticket):
    ticket = make_ticket(kind=Kind.INQUIRY)
    assert 'id="action-answer"' in as_agent.get(detail(ticket)).content.decode()
    response = act(as_agent, ticket, "answer", answer="物业费每月5日前缴纳", channel="hotline")
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED and ticket.answer == "物业费每月5日前缴纳"


def test_m08_a_repair_is_not_closed_with_an_answer(as_agent, make_ticket):
    ticket = make_ticket(kind=Kind.REPAIR)
    response = act(as_agent, ticket, "answer", answer="好的", channel="hotline")
    assert response.status_code == 409
    assert (
        "Only inquiries, suggestions and praise are closed with an answer."
        in response.content.decode()
    )
    assert unchanged(ticket)


def test_m08_decline_records_the_explanation(as_agent, make_ticket):
    ticket = make_ticket()
    response = act(
        as_agent, ticket, "decline", explanation="户内装修不属于服务范围", channel="hotline"
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.DECLINED
    assert ticket.decline_explanation == "户内装修不属于服务范围"


def test_m08_decline_without_explanation_is_refused(as_agent, make_ticket):
    ticket = make_ticket()
    response = act(as_agent, ticket, "decline", explanation=" ", channel="hotline")
    assert response.status_code == 400
    assert "Write down the explanation given to the customer." in response.content.decode()
    assert unchanged(ticket) and ticket.status == Status.NEW


# --- fees (M10) ---------------------------------------------------------------------------------


def quote_lines(item, price=""):
    return {
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "20",
        "lines-0-item": item.pk,
        "lines-0-quantity": "2",
        "lines-0-unit_price": price,
        "lines-1-item": "",
        "lines-2-item": "",
    }


def test_m10_quote_shows_the_one_time_link_once(as_agent, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="ok"
    )
    response = act(as_agent, ticket, "quote", **quote_lines(paid_item))
    assert response.status_code == 302
    quote = Quote.objects.get(ticket=ticket)
    assert quote.total == Decimal("160.00")
    first = as_agent.get(detail(ticket)).content.decode()
    assert "http://testserver/q/" in first
    assert "/q/" not in as_agent.get(detail(ticket)).content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.QUOTED


def test_m10_quote_below_the_catalogue_price_is_refused(as_agent, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="ok"
    )
    response = act(as_agent, ticket, "quote", **quote_lines(paid_item, price="50"))
    assert response.status_code == 400
    assert "The price must be the catalogue price of ¥80.00." in response.content.decode()
    assert unchanged(ticket) and not Quote.objects.exists()


def test_m10_quote_without_lines_is_refused(as_agent, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="ok"
    )
    data = quote_lines(paid_item)
    data["lines-0-item"] = ""
    response = act(as_agent, ticket, "quote", **data)
    assert response.status_code == 400
    assert "Add at least one line to the quote." in response.content.decode()
    assert not Quote.objects.exists()


def test_m10_staff_record_the_customers_acceptance(as_agent, quoted):
    response = act(
        as_agent, quoted, "quote_answer", accepted="yes", via="phone", answered_by_name="张伟"
    )
    assert response.status_code == 302
    quoted.refresh_from_db()
    assert quoted.status == Status.ACCEPTED
    quote = quoted.quotes.get()
    assert (quote.state, quote.answered_via, quote.answered_by_name) == (
        "accepted",
        "phone",
        "张伟",
    )


def test_m10_acceptance_without_who_is_refused(as_agent, quoted):
    response = act(
        as_agent, quoted, "quote_answer", accepted="yes", via="phone", answered_by_name=""
    )
    assert response.status_code == 400
    assert "Who answered for the customer?" in response.content.decode()
    assert unchanged(quoted) and quoted.quotes.get().state == Quote.State.SENT


def test_m10_chargeable_job_without_accepted_fee_is_not_dispatched(as_agent, quoted, technician):
    assert (
        "The customer has not accepted a fee yet." in as_agent.get(detail(quoted)).content.decode()
    )
    # Rejected fee: the request goes back to confirmed, where dispatch is offered — and refused.
    services.quote_record_answer(
        actor=quoted.created_by,
        quote=quoted.quotes.get(),
        accepted=False,
        via="phone",
        answered_by_name="张伟",
    )
    response = act(as_agent, quoted, "dispatch", technician=technician.pk)
    assert response.status_code == 409
    assert "This is a chargeable service: the customer must accept the fee before dispatch." in (
        response.content.decode()
    )
    assert unchanged(quoted) and quoted.status == Status.CONFIRMED and quoted.assignee is None


# --- dispatch, transfer, hand back -------------------------------------------------------------


def test_dispatch_sends_the_work_order(as_agent, confirmed, technician):
    response = act(as_agent, confirmed, "dispatch", technician=technician.pk, note="带扳手")
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.status == Status.DISPATCHED and confirmed.assignee == technician
    assert confirmed.checklist.count() == 3


def test_dispatch_without_a_technician_is_refused(as_agent, confirmed):
    response = act(as_agent, confirmed, "dispatch", technician="")
    assert response.status_code == 400
    assert "Choose an active technician of this request&#x27;s office." in response.content.decode()
    assert unchanged(confirmed)


def test_dispatch_to_another_offices_technician_is_refused(as_agent, confirmed, other_technician):
    response = act(as_agent, confirmed, "dispatch", technician=other_technician.pk)
    assert response.status_code == 400
    assert unchanged(confirmed) and confirmed.assignee is None


def test_transfer_moves_the_work_order(as_agent, dispatched, technician2):
    response = act(as_agent, dispatched, "transfer", technician=technician2.pk, reason="刘师傅请假")
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.assignee == technician2
    assert "刘师傅请假" in as_agent.get(detail(dispatched)).content.decode()


def test_transfer_without_reason_is_refused(as_agent, dispatched, technician2, technician):
    response = act(as_agent, dispatched, "transfer", technician=technician2.pk, reason="")
    assert response.status_code == 400
    assert "Say why the work order is transferred." in response.content.decode()
    assert unchanged(dispatched) and dispatched.assignee == technician


def test_hand_back_by_the_technician(as_tech, dispatched):
    response = act(as_tech, dispatched, "hand_back", reason="缺少配件")
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.status == Status.CONFIRMED and dispatched.assignee is None


def test_hand_back_without_reason_is_refused(as_tech, dispatched):
    response = act(as_tech, dispatched, "hand_back", reason="")
    assert response.status_code == 400
    assert "Say why the work order is handed back." in response.content.decode()
    assert unchanged(dispatched) and dispatched.status == Status.DISPATCHED


# --- the work (M11) ---------------------------------------------------------------------------


def test_start_work(as_tech, dispatched):
    assert act(as_tech, dispatched, "start").status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.status == Status.IN_PROGRESS


def test_start_twice_is_refused(as_tech, dispatched):
    act(as_tech, dispatched, "start")
    response = act(as_tech, dispatched, "start")
    assert response.status_code == 409
    assert (
        "Starting work is not allowed while the request is “In progress”."
        in response.content.decode()
    )
    assert unchanged(dispatched)


def test_m11_tick_a_step_with_note_and_photo(as_tech, dispatched):
    step = dispatched.checklist.first()
    response = act(as_tech, dispatched, "tick_step", step=step.pk, note="阀门已关", photo=png())
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_at and step.note == "阀门已关" and step.photo.name.endswith(".png")
    assert 'class="thumb"' in as_tech.get(detail(dispatched)).content.decode()


def test_m11_a_file_that_is_not_a_photo_is_refused(as_tech, dispatched):
    step = dispatched.checklist.first()
    fake = SimpleUploadedFile("step.png", b"not an image", content_type="image/png")
    response = act(as_tech, dispatched, "tick_step", step=step.pk, note="x", photo=fake)
    assert response.status_code == 400
    assert "The file is not a photo (JPEG, PNG, WebP or GIF)." in response.content.decode()
    step.refresh_from_db()
    assert step.done_at is None and not step.photo
    assert unchanged(dispatched)


def test_m11_complete_needs_every_step_done(as_tech, dispatched):
    response = act(as_tech, dispatched, "complete", work_summary="已修好", final_charge="0")
    assert response.status_code == 409
    assert "Every procedure step must be done first." in response.content.decode()
    assert unchanged(dispatched) and dispatched.status == Status.DISPATCHED


def test_complete_records_summary_and_charge(as_tech, dispatched, technician):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    response = act(as_tech, dispatched, "complete", work_summary="更换接头", final_charge="0")
    assert response.status_code == 302
    dispatched.refresh_from_db()
    assert dispatched.status == Status.COMPLETED and dispatched.work_summary == "更换接头"


def test_complete_form_defaults_to_the_accepted_fee(client, quoted, agent, technician):
    services.quote_record_answer(
        actor=agent, quote=quoted.quotes.get(), accepted=True, via="phone", answered_by_name="张伟"
    )
    quoted.refresh_from_db()
    services.ticket_dispatch(actor=agent, ticket=quoted, technician=technician)
    client.force_login(technician)
    body = client.get(detail(quoted)).content.decode()
    assert 'name="final_charge" value="80.00"' in body


# --- deadlines (M09) ----------------------------------------------------------------------------


def in_local(hours):
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_m09_extend_with_the_customers_agreement(as_agent, confirmed):
    old_due = confirmed.due_at
    response = act(
        as_agent,
        confirmed,
        "extend",
        new_due_at=in_local(72),
        reason="等配件",
        contact_summary="电话告知客户需延期, 客户同意",
        channel="hotline",
        customer_agreed="on",
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.due_at > old_due
    extension = Extension.objects.get(ticket=confirmed)
    assert extension.contact.summary == "电话告知客户需延期, 客户同意"


def test_m09_extend_without_a_contact_is_refused(as_agent, confirmed):
    response = act(
        as_agent,
        confirmed,
        "extend",
        new_due_at=in_local(72),
        reason="等配件",
        contact_summary="",
        channel="hotline",
        customer_agreed="on",
    )
    assert response.status_code == 400
    assert (
        "Record the proactive contact with the customer about the delay first."
        in response.content.decode()
    )
    assert unchanged(confirmed) and not Extension.objects.exists()


def test_m09_extend_without_agreement_is_refused(as_agent, confirmed):
    response = act(
        as_agent,
        confirmed,
        "extend",
        new_due_at=in_local(72),
        reason="等配件",
        contact_summary="电话联系",
        channel="hotline",
    )
    assert response.status_code == 400
    assert (
        "An extension needs the customer&#x27;s agreement to the new deadline."
        in response.content.decode()
    )
    assert unchanged(confirmed) and not Extension.objects.exists()


def test_m09_extend_after_the_deadline_is_refused(as_agent, make_ticket, agent):
    late = make_ticket(now=timezone.now() - dt.timedelta(days=2))
    response = act(
        as_agent,
        late,
        "extend",
        new_due_at=in_local(72),
        reason="等配件",
        contact_summary="电话联系",
        channel="hotline",
        customer_agreed="on",
    )
    assert response.status_code == 409
    assert "The deadline has already passed" in response.content.decode()
    assert unchanged(late) and not Extension.objects.exists()


# --- the customer's word, cancel, contacts ---------------------------------------------------------


@pytest.fixture
def completed(dispatched, technician):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=dispatched, work_summary="已修好")


def test_satisfied_customer_closes_it(as_agent, completed):
    response = act(
        as_agent, completed, "satisfaction", satisfied="yes", comment="", channel="hotline"
    )
    assert response.status_code == 302
    completed.refresh_from_db()
    assert completed.status == Status.CLOSED and completed.satisfied is True


def test_unsatisfied_without_comment_is_refused(as_agent, completed):
    response = act(
        as_agent, completed, "satisfaction", satisfied="no", comment="", channel="hotline"
    )
    assert response.status_code == 400
    assert "Say what the customer is not satisfied with." in response.content.decode()
    assert unchanged(completed) and completed.status == Status.COMPLETED


def test_unsatisfied_reopens_with_a_linked_rework(as_agent, completed):
    response = act(
        as_agent, completed, "satisfaction", satisfied="no", comment="还在漏", channel="hotline"
    )
    assert response.status_code == 302
    rework = Ticket.objects.get(rework_of=completed)
    body = as_agent.get(detail(completed)).content.decode()
    assert detail(rework) in body
    assert detail(completed) in as_agent.get(detail(rework)).content.decode()


def test_cancel_needs_the_confirmation_box(as_agent, make_ticket):
    ticket = make_ticket()
    response = act(as_agent, ticket, "cancel", reason="客户自行解决")
    assert response.status_code == 400
    assert "Tick the box to confirm the cancellation." in response.content.decode()
    assert unchanged(ticket) and ticket.status == Status.NEW


def test_cancel(as_agent, make_ticket):
    ticket = make_ticket()
    assert act(as_agent, ticket, "cancel", reason="客户自行解决", sure="on").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CANCELLED


def test_m04_record_a_contact_on_the_request(as_agent, confirmed):
    before = Contact.objects.count()
    response = act(
        as_agent,
        confirmed,
        "contact",
        channel="hotline",
        direction="out",
        stage="",
        summary="提醒明早上门",
    )
    assert response.status_code == 302
    contact = Contact.objects.latest("pk")
    assert Contact.objects.count() == before + 1
    assert (contact.ticket, contact.stage, contact.summary) == (confirmed, "before", "提醒明早上门")


def test_m04_contact_without_summary_is_refused(as_agent, confirmed):
    before = Contact.objects.count()
    response = act(as_agent, confirmed, "contact", channel="hotline", direction="out", summary="")
    assert response.status_code == 400
    assert "Summarise what was said." in response.content.decode()
    assert Contact.objects.count() == before


# --- two people at once ------------------------------------------------------------------------


def test_stale_version_is_refused_and_changes_nothing(as_agent, make_ticket, agent):
    ticket = make_ticket()
    seen = ticket.version
    services.ticket_confirm(actor=agent, ticket=ticket, confirmation="另一位客服已确认")
    response = act(
        as_agent, ticket, "decline", explanation="不在范围", channel="hotline", version=seen
    )
    assert response.status_code == 409
    assert "Someone else changed this request meanwhile" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.CONFIRMED and ticket.decline_explanation == ""
    # The form comes back with the current version, so a second try after reading works.
    assert f'name="version" value="{ticket.version}"' in response.content.decode()


def test_m09_a_request_completed_late_says_so(client, agent, technician, dispatched):
    late = dispatched.due_at + dt.timedelta(hours=3)
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk, now=late)
    dispatched.refresh_from_db()
    services.ticket_complete(actor=technician, ticket=dispatched, work_summary="修好", now=late)
    client.force_login(agent)
    page = client.get(f"/console/requests/{dispatched.pk}/").content.decode()
    assert "completed late" in page
    row = client.get("/console/requests/").content.decode()
    assert "completed late" in row
