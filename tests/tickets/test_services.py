"""The request lifecycle's services: each rule enforced, each bad input refused with nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.tickets import services
from propdesk.tickets.models import (
    Assignment,
    Charge,
    Contact,
    Extension,
    Kind,
    Quote,
    Status,
    Ticket,
    TicketEvent,
)
from tests import factories as f


def snapshot(ticket):
    """What a refused action must leave untouched."""
    ticket.refresh_from_db()
    return (
        ticket.status,
        ticket.version,
        ticket.due_at,
        ticket.assignee_id,
        TicketEvent.objects.filter(ticket=ticket).count(),
        Contact.objects.filter(ticket=ticket).count(),
        Assignment.objects.filter(ticket=ticket).count(),
        Extension.objects.filter(ticket=ticket).count(),
        Quote.objects.filter(ticket=ticket).count(),
        Charge.objects.filter(ticket=ticket).count(),
    )


def png(name="p.png"):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


# --- intake -----------------------------------------------------------------------------


def test_m01_request_is_recorded_as_a_contact_against_customer_and_household(
    make_ticket, customer, household, agent
):
    ticket = make_ticket()
    contact = Contact.objects.get(ticket=ticket)
    assert (contact.customer, contact.household, contact.staff) == (customer, household, agent)
    assert (contact.channel, contact.direction, contact.stage) == ("hotline", "in", "before")
    assert ticket.number.startswith(timezone.localtime(ticket.created_at).strftime("%y%m%d"))


def test_m03_every_channel_is_recorded_on_the_request(make_ticket):
    for channel in ("walk_in", "on_site", "followup", "portal", "forum", "survey", "meeting"):
        assert make_ticket(channel=channel).channel == channel


def test_m09_requested_deadline_becomes_the_due_time(make_ticket):
    deadline = timezone.now() + dt.timedelta(hours=5)
    ticket = make_ticket(requested_deadline=deadline)
    assert ticket.requested_deadline == deadline == ticket.due_at


def test_due_time_defaults_to_the_items_completion_time(make_ticket):
    item = f.ServiceItemFactory(default_completion_hours=48)
    now = timezone.now()
    ticket = make_ticket(item=item, now=now)
    assert ticket.due_at == now + dt.timedelta(hours=48)


def test_m09_deadline_in_the_past_is_refused(make_ticket):
    with pytest.raises(DomainError) as err:
        make_ticket(requested_deadline=timezone.now() - dt.timedelta(minutes=1))
    assert err.value.field == "requested_deadline"
    assert Ticket.objects.count() == 0


def test_empty_description_is_refused(make_ticket):
    with pytest.raises(DomainError) as err:
        make_ticket(description="   ")
    assert err.value.field == "description"
    assert Ticket.objects.count() == 0


def test_another_offices_customer_is_not_found(make_ticket, other_customer):
    with pytest.raises(NotFound):
        make_ticket(customer=other_customer)
    assert Ticket.objects.count() == 0


def test_another_offices_item_is_refused(make_ticket, other_office):
    item = f.ServiceItemFactory(office=other_office)
    with pytest.raises(DomainError) as err:
        make_ticket(item=item)
    assert err.value.field == "item"


def test_idempotency_key_returns_the_first_request(make_ticket):
    first = make_ticket(idempotency_key="abc-1")
    again = make_ticket(idempotency_key="abc-1", description="重复提交")
    assert again.pk == first.pk
    assert Ticket.objects.count() == 1


def test_technician_cannot_create_requests(make_ticket, technician):
    with pytest.raises(Forbidden):
        make_ticket(actor=technician)


# --- M08 confirm, answer, decline ---------------------------------------------------------


def test_m08_confirmation_is_recorded_before_service(make_ticket, agent):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(), confirmation="周六上午上门疏通"
    )
    assert ticket.status == Status.CONFIRMED
    assert ticket.confirmation == "周六上午上门疏通"
    assert ticket.events.filter(kind="confirmed", note="周六上午上门疏通").exists()
    assert ticket.contacts.filter(
        direction="out", stage="before", summary="周六上午上门疏通"
    ).exists()


def test_m08_new_request_cannot_be_dispatched_before_it_is_confirmed(
    make_ticket, agent, technician
):
    ticket = make_ticket()
    before = snapshot(ticket)
    with pytest.raises(Conflict) as err:
        services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)
    assert err.value.code == "transition_not_allowed"
    assert snapshot(ticket) == before


def test_m08_inquiry_is_answered_and_the_answer_recorded(make_ticket, agent):
    ticket = make_ticket(kind=Kind.INQUIRY, description="物业费怎么交?")
    ticket = services.ticket_answer(
        actor=agent, ticket=ticket, answer="可在服务中心或线上缴纳, 每月5日前"
    )
    assert ticket.status == Status.CLOSED
    assert ticket.answer.startswith("可在服务中心")
    assert ticket.contacts.filter(direction="out", summary__startswith="可在服务中心").exists()


def test_m08_a_repair_is_not_closed_with_an_answer(make_ticket, agent):
    ticket = make_ticket()
    before = snapshot(ticket)
    with pytest.raises(Conflict):
        services.ticket_answer(actor=agent, ticket=ticket, answer="x")
    assert snapshot(ticket) == before


def test_m08_out_of_scope_request_is_declined_with_the_explanation(make_ticket, agent):
    ticket = make_ticket(description="帮忙修汽车")
    ticket = services.ticket_decline(
        actor=agent, ticket=ticket, explanation="汽车维修不在服务范围, 推荐附近修理厂"
    )
    assert ticket.status == Status.DECLINED
    assert ticket.decline_explanation.startswith("汽车维修")
    assert ticket.contacts.filter(direction="out", summary__startswith="汽车维修").exists()
    assert ticket.events.get(kind="declined").customer_visible


def test_m08_declining_without_an_explanation_is_refused(make_ticket, agent):
    ticket = make_ticket()
    before = snapshot(ticket)
    with pytest.raises(DomainError) as err:
        services.ticket_decline(actor=agent, ticket=ticket, explanation=" ")
    assert err.value.field == "explanation"
    assert snapshot(ticket) == before


# --- M10 fees before service -------------------------------------------------------------


@pytest.fixture
def paid_confirmed(make_ticket, agent, paid_item):
    return services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="更换水龙头"
    )


def test_m10_chargeable_job_cannot_be_dispatched_without_an_accepted_fee(
    paid_confirmed, agent, technician
):
    before = snapshot(paid_confirmed)
    with pytest.raises(Conflict) as err:
        services.ticket_dispatch(actor=agent, ticket=paid_confirmed, technician=technician)
    assert (err.value.code, err.value.field, err.value.status) == ("fee_not_accepted", "quote", 409)
    assert snapshot(paid_confirmed) == before


def test_m10_a_quoted_but_unanswered_fee_still_blocks_dispatch(
    paid_confirmed, agent, technician, paid_item
):
    services.quote_create(actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}])
    paid_confirmed.refresh_from_db()
    with pytest.raises(Conflict):
        services.ticket_dispatch(actor=agent, ticket=paid_confirmed, technician=technician)


def test_m10_fee_standard_is_shown_and_acceptance_by_link_recorded(
    paid_confirmed, agent, technician, paid_item
):
    quote, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item, "quantity": 2}]
    )
    assert quote.total == Decimal("160.00")
    assert "¥80.00" in quote.terms
    assert token not in quote.token_hash
    assert paid_confirmed.contacts.filter(summary__contains="¥160.00", direction="out").exists()
    services.quote_answer_by_link(token=token, accepted=True)
    quote.refresh_from_db()
    assert (quote.state, quote.answered_via, quote.answered_by_name) == ("accepted", "link", "张伟")
    assert quote.answered_at is not None
    ticket = services.ticket_dispatch(actor=agent, ticket=paid_confirmed, technician=technician)
    assert ticket.status == Status.DISPATCHED


def test_m10_link_is_single_use(paid_confirmed, agent, paid_item):
    _, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    services.quote_answer_by_link(token=token, accepted=True)
    with pytest.raises(Conflict) as err:
        services.quote_answer_by_link(token=token, accepted=False)
    assert err.value.code == "quote_answered"
    assert Quote.objects.get().state == "accepted"


def test_m10_expired_quote_cannot_be_accepted(paid_confirmed, agent, paid_item):
    now = timezone.now()
    _, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}], now=now
    )
    with pytest.raises(Conflict) as err:
        services.quote_answer_by_link(token=token, accepted=True, now=now + dt.timedelta(hours=73))
    assert err.value.code == "quote_expired"
    paid_confirmed.refresh_from_db()
    assert paid_confirmed.status == Status.QUOTED


def test_m10_unknown_link_is_not_found(db):
    with pytest.raises(NotFound):
        services.quote_answer_by_link(token="nope", accepted=True)


def test_m10_staff_record_acceptance_by_phone_with_how_when_who(paid_confirmed, agent, paid_item):
    quote, _ = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    at = timezone.now()
    services.quote_record_answer(
        actor=agent,
        quote=quote,
        accepted=True,
        via="phone",
        answered_by_name="张伟",
        answered_at=at,
    )
    quote.refresh_from_db()
    assert (quote.answered_via, quote.answered_by_name, quote.recorded_by, quote.answered_at) == (
        "phone",
        "张伟",
        agent,
        at,
    )


def test_m10_rejected_fee_returns_the_request_to_confirmed(paid_confirmed, agent, paid_item):
    quote, _ = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    services.quote_record_answer(
        actor=agent, quote=quote, accepted=False, via="phone", answered_by_name="张伟"
    )
    paid_confirmed.refresh_from_db()
    assert paid_confirmed.status == Status.CONFIRMED


def test_m10_quote_price_must_follow_the_catalogue(paid_confirmed, agent, paid_item):
    with pytest.raises(DomainError) as err:
        services.quote_create(
            actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item, "unit_price": "50"}]
        )
    assert err.value.field == "lines[0].unit_price"
    assert Quote.objects.count() == 0


def test_m10_from_price_may_be_raised_not_lowered(paid_confirmed, agent):
    item = f.ServiceItemFactory(pricing="from", price=Decimal("100"))
    with pytest.raises(DomainError):
        services.quote_create(
            actor=agent, ticket=paid_confirmed, lines=[{"item": item, "unit_price": "90"}]
        )
    quote, _ = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": item, "unit_price": "150"}]
    )
    assert quote.total == Decimal("150.00")


def test_m10_requote_withdraws_the_pending_quote(paid_confirmed, agent, paid_item):
    first, _ = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    paid_confirmed.refresh_from_db()
    services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item, "quantity": 3}]
    )
    first.refresh_from_db()
    assert first.state == "withdrawn"


# --- dispatch, transfer, hand back ---------------------------------------------------------


def test_dispatch_builds_the_checklist_and_the_assignment_trail(
    dispatched, technician, technician2, agent
):
    assert dispatched.assignee == technician
    assert list(dispatched.checklist.values_list("title", flat=True)) == [
        "上门查看",
        "维修处理",
        "清理现场",
    ]
    ticket = services.ticket_transfer(
        actor=agent, ticket=dispatched, technician=technician2, reason="刘强请假"
    )
    ticket = services.ticket_hand_back(actor=technician2, ticket=ticket, reason="需要专业厂家")
    trail = list(ticket.assignments.values_list("technician__username", "end_reason", "end_note"))
    assert trail == [("tech", "transferred", "刘强请假"), ("tech2", "handed_back", "需要专业厂家")]
    assert ticket.status == Status.CONFIRMED and ticket.assignee is None


def test_dispatch_to_another_offices_technician_is_refused(confirmed, agent, other_technician):
    before = snapshot(confirmed)
    with pytest.raises(DomainError) as err:
        services.ticket_dispatch(actor=agent, ticket=confirmed, technician=other_technician)
    assert err.value.field == "technician"
    assert snapshot(confirmed) == before


def test_only_the_assigned_technician_works_the_order(dispatched, technician2):
    step = dispatched.checklist.first()
    with pytest.raises(Forbidden):
        services.checklist_tick(actor=technician2, ticket=dispatched, step_id=step.pk)


# --- M11 procedure -----------------------------------------------------------------------


def test_m11_each_step_is_recorded_with_note_and_photo(dispatched, technician):
    step = dispatched.checklist.first()
    done = services.checklist_tick(
        actor=technician, ticket=dispatched, step_id=step.pk, note="阀门老化", photo=png()
    )
    assert (
        done.done_by == technician and done.note == "阀门老化" and done.photo.name.endswith(".png")
    )
    dispatched.refresh_from_db()
    assert dispatched.status == Status.IN_PROGRESS
    assert dispatched.events.filter(kind="step_done", note__contains="上门查看").exists()


def test_m11_completion_needs_every_step_done(dispatched, technician):
    before = snapshot(dispatched)
    with pytest.raises(Conflict) as err:
        services.ticket_complete(actor=technician, ticket=dispatched, work_summary="修好了")
    assert err.value.code == "steps_not_done"
    assert "清理现场" in str(err.value.message)
    assert snapshot(dispatched) == before


def test_m11_a_step_is_ticked_once(dispatched, technician):
    step = dispatched.checklist.first()
    services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    with pytest.raises(Conflict):
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)


def test_m11_a_non_image_photo_is_refused(dispatched, technician):
    step = dispatched.checklist.first()
    bogus = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(DomainError) as err:
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk, photo=bogus)
    assert err.value.field == "photo"
    step.refresh_from_db()
    assert step.done_at is None


def test_m11_an_oversized_photo_is_refused(dispatched, technician, settings):
    settings.PROPDESK_MAX_PHOTO_BYTES = 10
    step = dispatched.checklist.first()
    with pytest.raises(DomainError) as err:
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk, photo=png())
    assert err.value.code == "photo_too_large"


# --- M09 deadlines ----------------------------------------------------------------------


def test_m09_extension_needs_a_prior_contact(dispatched, agent):
    before = snapshot(dispatched)
    with pytest.raises(DomainError) as err:
        services.ticket_extend(
            actor=agent,
            ticket=dispatched,
            new_due_at=dispatched.due_at + dt.timedelta(days=1),
            reason="配件缺货",
            customer_agreed=True,
        )
    assert err.value.field == "contact"
    assert snapshot(dispatched) == before


def test_m09_extension_with_the_contact_and_agreed_deadline(dispatched, agent):
    new_due = dispatched.due_at + dt.timedelta(days=2)
    ext = services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=new_due,
        reason="配件缺货",
        contact_summary="致电张先生说明配件到货需两天, 客户同意",
        customer_agreed=True,
    )
    dispatched.refresh_from_db()
    assert dispatched.due_at == new_due
    assert ext.contact.direction == "out" and ext.contact.at < ext.old_due_at
    assert dispatched.events.get(kind="extended").customer_visible


def test_m09_extension_may_cite_an_earlier_contact(dispatched, agent, customer):
    contact = services.contact_record(
        actor=agent,
        customer=customer,
        ticket=dispatched,
        channel="hotline",
        direction="out",
        summary="电话说明延期",
    )
    ext = services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=dispatched.due_at + dt.timedelta(hours=5),
        reason="延期",
        contact_id=contact.pk,
        customer_agreed=True,
    )
    assert ext.contact == contact


def test_m09_extension_after_the_deadline_is_refused(dispatched, agent):
    late = dispatched.due_at + dt.timedelta(minutes=1)
    before = snapshot(dispatched)
    with pytest.raises(Conflict) as err:
        services.ticket_extend(
            actor=agent,
            ticket=dispatched,
            new_due_at=late + dt.timedelta(days=1),
            reason="x",
            contact_summary="电话",
            customer_agreed=True,
            now=late,
        )
    assert err.value.code == "deadline_passed"
    assert snapshot(dispatched) == before


def test_m09_extension_needs_the_customers_agreement(dispatched, agent):
    with pytest.raises(DomainError) as err:
        services.ticket_extend(
            actor=agent,
            ticket=dispatched,
            new_due_at=dispatched.due_at + dt.timedelta(days=1),
            reason="x",
            contact_summary="电话",
            customer_agreed=False,
        )
    assert err.value.field == "customer_agreed"
    assert not Extension.objects.exists()


def test_m09_overdue_is_computed_not_stored(dispatched):
    after = dispatched.due_at + dt.timedelta(seconds=1)
    assert not dispatched.is_overdue(dispatched.due_at - dt.timedelta(seconds=1))
    assert dispatched.is_overdue(after)
    assert list(Ticket.objects.overdue(after)) == [dispatched]
    assert not Ticket.objects.overdue(dispatched.due_at - dt.timedelta(seconds=1)).exists()


# --- completion, M24 revenue, customer confirmation ----------------------------------------


def _finish(ticket, technician, **kwargs):
    for step in ticket.checklist.all():
        services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk)
    ticket.refresh_from_db()
    return services.ticket_complete(
        actor=technician, ticket=ticket, work_summary="已修好", **kwargs
    )


def test_m24_final_charge_is_recorded_as_office_revenue(
    paid_confirmed, agent, technician, paid_item, office
):
    _, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    services.quote_answer_by_link(token=token, accepted=True)
    ticket = services.ticket_dispatch(actor=agent, ticket=paid_confirmed, technician=technician)
    ticket = _finish(ticket, technician, final_charge="80.00")
    charge = Charge.objects.get()
    assert (charge.office, charge.amount, charge.ticket) == (office, Decimal("80.00"), ticket)


def test_m10_charge_above_the_accepted_fee_is_refused(paid_confirmed, agent, technician, paid_item):
    _, token = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    services.quote_answer_by_link(token=token, accepted=True)
    ticket = services.ticket_dispatch(actor=agent, ticket=paid_confirmed, technician=technician)
    with pytest.raises(DomainError) as err:
        _finish(ticket, technician, final_charge="120")
    assert err.value.field == "final_charge"
    assert not Charge.objects.exists()


def test_a_free_job_cannot_be_charged(dispatched, technician):
    with pytest.raises(DomainError) as err:
        _finish(dispatched, technician, final_charge="10")
    assert err.value.code == "free_service"


def test_satisfied_customer_closes_it(dispatched, technician, agent):
    ticket = _finish(dispatched, technician)
    ticket = services.ticket_customer_confirm(actor=agent, ticket=ticket, satisfied=True)
    assert ticket.status == Status.CLOSED and ticket.satisfied is True
    assert ticket.contacts.filter(stage="after", direction="in").exists()


def test_unsatisfied_customer_reopens_it_as_linked_rework(dispatched, technician, agent):
    ticket = _finish(dispatched, technician)
    now = timezone.now()
    ticket = services.ticket_customer_confirm(
        actor=agent, ticket=ticket, satisfied=False, comment="还在漏水", now=now
    )
    assert ticket.status == Status.REOPENED and ticket.reopen_count == 1
    rework = ticket.reworks.get()
    # M15: dispatched at once, back to the technician who did the work, with no new fee.
    assert (rework.status, rework.assignee, rework.priority) == (
        Status.DISPATCHED,
        technician,
        "high",
    )
    assert rework.due_at == now + dt.timedelta(hours=24)
    # Once the customer is satisfied with the rework, both close.
    rework = _finish(rework, technician)
    services.ticket_customer_confirm(actor=agent, ticket=rework, satisfied=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_unsatisfied_without_a_comment_is_refused(dispatched, technician, agent):
    ticket = _finish(dispatched, technician)
    before = snapshot(ticket)
    with pytest.raises(DomainError) as err:
        services.ticket_customer_confirm(actor=agent, ticket=ticket, satisfied=False)
    assert err.value.field == "comment"
    assert snapshot(ticket) == before


def test_rating_twice_is_refused(dispatched, technician, agent):
    ticket = _finish(dispatched, technician)
    services.ticket_customer_confirm(actor=agent, ticket=ticket, satisfied=True)
    with pytest.raises(Conflict):
        services.ticket_customer_confirm(actor=agent, ticket=ticket, satisfied=False, comment="x")


def test_cancel_withdraws_a_pending_quote(paid_confirmed, agent, paid_item):
    quote, _ = services.quote_create(
        actor=agent, ticket=paid_confirmed, lines=[{"item": paid_item}]
    )
    paid_confirmed.refresh_from_db()
    services.ticket_cancel(actor=agent, ticket=paid_confirmed, reason="客户自行处理")
    quote.refresh_from_db()
    assert quote.state == "withdrawn"


# --- concurrency -----------------------------------------------------------------------------


def test_a_change_against_an_older_version_is_refused(confirmed, agent, technician):
    stale = confirmed.version
    services.ticket_dispatch(
        actor=agent, ticket=confirmed, technician=technician, expected_version=stale
    )
    confirmed.refresh_from_db()
    before = snapshot(confirmed)
    with pytest.raises(Conflict) as err:
        services.ticket_cancel(actor=agent, ticket=confirmed, reason="x", expected_version=stale)
    assert err.value.code == "stale_version"
    assert snapshot(confirmed) == before


def test_audit_history_names_who_changed_what(confirmed, agent):
    record = confirmed.history.first()
    assert record.history_user == agent and record.status == Status.CONFIRMED


# --- contacts log --------------------------------------------------------------------------


def test_m04_contact_stage_follows_the_request(dispatched, agent, customer):
    contact = services.contact_record(
        actor=agent,
        customer=customer,
        ticket=dispatched,
        channel="on_site",
        direction="out",
        summary="上门前电话确认",
    )
    assert contact.stage == "during"
    assert (
        services.contact_record(
            actor=agent, customer=customer, channel="walk_in", direction="in", summary="来访咨询"
        ).stage
        == "before"
    )


def test_contact_in_the_future_is_refused(agent, customer):
    with pytest.raises(DomainError) as err:
        services.contact_record(
            actor=agent,
            customer=customer,
            channel="hotline",
            direction="in",
            summary="x",
            at=timezone.now() + dt.timedelta(hours=1),
        )
    assert err.value.field == "at"
    assert not Contact.objects.exists()


def test_contact_for_another_offices_customer_is_not_found(agent, other_customer):
    with pytest.raises(NotFound):
        services.contact_record(
            actor=agent, customer=other_customer, channel="hotline", direction="in", summary="x"
        )


def test_m10_a_quote_too_large_to_keep_is_refused_before_anything_is_saved(paid_confirmed, agent):
    item = f.ServiceItemFactory(pricing="fixed", price=Decimal("200"))
    before = snapshot(paid_confirmed)
    for quantity in ("600000", "1000000"):  # ¥120,000,000 overall; a quantity past the column
        with pytest.raises(DomainError) as err:
            services.quote_create(
                actor=agent, ticket=paid_confirmed, lines=[{"item": item, "quantity": quantity}]
            )
        assert (err.value.code, err.value.field) == ("too_large", "lines[0].quantity")
    assert snapshot(paid_confirmed) == before


def test_m09_a_deadline_missed_is_counted_whether_open_or_completed(dispatched, technician, agent):
    due = dispatched.due_at
    assert not dispatched.missed_deadline(due - dt.timedelta(minutes=1))
    assert dispatched.missed_deadline(due + dt.timedelta(minutes=1))  # still open, late
    late = _finish(dispatched, technician, now=due + dt.timedelta(hours=1))
    assert late.missed_deadline(due + dt.timedelta(days=30))  # completed late stays a violation


def test_m09_an_extension_agreed_in_time_is_no_violation(dispatched, technician, agent):
    due = dispatched.due_at
    services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=due + dt.timedelta(days=1),
        reason="等配件",
        contact_summary="电话说明, 客户同意",
        customer_agreed=True,
        now=due - dt.timedelta(hours=1),
    )
    dispatched.refresh_from_db()
    done = _finish(dispatched, technician, now=due + dt.timedelta(hours=2))
    assert not done.missed_deadline(due + dt.timedelta(days=30))
