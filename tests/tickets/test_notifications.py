"""Customers are told of each step they take part in; staff of new requests and their work orders."""

import datetime as dt

import pytest
from django.utils import translation

from propdesk.core.models import Notification
from propdesk.core.notify import muted
from propdesk.tickets import services
from propdesk.tickets.models import Ticket
from propdesk.tickets.notifications import office_desk, tell_customer, tell_staff
from tests.queries import assert_queries


def customer_messages(customer, event):
    return Notification.objects.filter(customer=customer, event=f"ticket.{event}")


def test_m01_a_new_request_is_acknowledged_and_the_office_desk_told(
    make_ticket, customer, agent, director, technician, other_agent
):
    ticket = make_ticket()
    told = customer_messages(customer, "received")
    assert sorted(told.values_list("channel", flat=True)) == ["in_app", "sms"]
    assert ticket.number in told.get(channel="sms").body
    desk = Notification.objects.filter(event="ticket.new_in_office")
    # The agent who took it needs no telling; technicians and other offices are not the desk.
    assert set(desk.values_list("user__username", flat=True)) == {"director"}


def test_m10_the_fee_and_its_one_time_link_reach_the_customer(
    make_ticket, agent, customer, paid_item
):
    ticket = make_ticket(item=paid_item)
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="换龙头")
    _quote, token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    sms = customer_messages(customer, "quoted").get(channel="sms")
    assert f"/q/{token}/" in sms.body and "¥80.00" in sms.body
    # In the inbox the message leads to the request's page in the portal.
    assert sms.link == f"/portal/requests/{ticket.pk}/"


def test_dispatch_tells_the_customer_who_and_the_technician_his_order(
    confirmed, agent, technician, customer
):
    services.ticket_dispatch(actor=agent, ticket=confirmed, technician=technician)
    assert technician.display_name in customer_messages(customer, "dispatched").first().body
    mine = Notification.objects.get(event="ticket.assigned", user=technician)
    assert confirmed.number in mine.subject and mine.link == f"/console/requests/{confirmed.pk}/"


def test_m09_the_customer_hears_the_agreed_new_deadline(dispatched, agent, customer):
    new_due = dispatched.due_at + dt.timedelta(days=1)
    services.ticket_extend(
        actor=agent,
        ticket=dispatched,
        new_due_at=new_due,
        reason="等配件",
        contact_summary="电话说明, 客户同意",
        customer_agreed=True,
    )
    assert "等配件" in customer_messages(customer, "extended").first().body


def test_completion_asks_the_customer_to_confirm_and_closing_thanks_them(
    dispatched, technician, agent, customer
):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    done = services.ticket_complete(actor=technician, ticket=dispatched, work_summary="已更换阀门")
    assert "已更换阀门" in customer_messages(customer, "completed").first().body
    services.ticket_customer_confirm(actor=agent, ticket=done, satisfied=True)
    assert customer_messages(customer, "closed").exists()


def test_replayed_history_notifies_nobody(make_ticket):
    with muted():
        make_ticket()
    assert not Notification.objects.exists()


def test_replayed_history_reads_nothing_for_the_messages_it_does_not_write(make_ticket):
    ticket = Ticket.objects.get(pk=make_ticket().pk)  # its customer and home not read yet
    with muted(), assert_queries(0):
        tell_customer(ticket, "received", now=ticket.created_at)
        tell_staff(ticket, "new_in_office", users=office_desk(ticket), now=ticket.created_at)


@pytest.mark.parametrize("language", ["en", ""])
def test_staff_read_their_messages_in_their_own_language(make_ticket, director, language, settings):
    settings.LANGUAGE_CODE = "zh-hans"  # the company's language, for those who chose none
    director.language = language
    director.save(update_fields=["language"])
    make_ticket()
    subject = Notification.objects.get(user=director).subject
    assert subject.startswith("New request") if language == "en" else "新" in subject


def test_m15_rework_is_announced_to_the_customer_and_the_desk(
    dispatched, technician, customer, director
):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    services.ticket_complete(actor=technician, ticket=dispatched, work_summary="已修好")
    services.ticket_customer_confirm(ticket=dispatched, satisfied=False, comment="还在漏水")
    rework = dispatched.reworks.get()
    sms = customer_messages(customer, "rework_opened").get(channel="sms")
    assert rework.number in sms.body and dispatched.number in sms.body
    desk = Notification.objects.get(event="ticket.rework_opened", user=director)
    assert "还在漏水" in desk.body and desk.link == f"/console/requests/{rework.pk}/"


def test_a_request_without_an_item_is_named_in_the_recipients_language(make_ticket, customer):
    customer.language = "en"
    customer.save()
    with translation.override("zh-hans"):  # an agent working in Chinese takes the call
        make_ticket(item=None, kind="inquiry")
    sms = customer_messages(customer, "received").get(channel="sms")
    assert "(Inquiry)" in sms.body
