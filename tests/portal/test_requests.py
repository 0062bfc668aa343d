"""A customer takes part in their own requests: the fee, the result, cancelling; never another's."""

import datetime as dt

from django.utils import timezone

from propdesk.tickets import services
from propdesk.tickets.models import Quote, Status


def test_m10_the_customer_accepts_the_fee_in_the_portal(portal, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="换龙头"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    page = portal.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "¥80.00" in page
    portal.post(f"/portal/requests/{ticket.pk}/quote/", {"answer": "accept"})
    quote = Quote.objects.get()
    assert (quote.state, quote.answered_via, quote.answered_by_name) == (
        "accepted",
        "portal",
        "张伟",
    )


def test_m08_the_timeline_shows_the_customer_only_what_is_theirs_to_see(portal, dispatched):
    page = portal.get(f"/portal/requests/{dispatched.pk}/").content.decode()
    assert "Request received" in page and "Dispatched to a technician" in page
    assert "Contact with the customer" not in page  # internal notes stay internal


def test_the_customer_confirms_and_rates_or_asks_for_rework(portal, dispatched, technician):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    services.ticket_complete(actor=technician, ticket=dispatched, work_summary="已修好")
    # Two stars: not satisfied (1 to 3), which asks us to come back and say why.
    empty = portal.post(f"/portal/requests/{dispatched.pk}/confirm/", {"stars": "2"})
    assert empty.status_code == 400
    assert "Say what the customer is not satisfied with." in empty.content.decode()
    portal.post(f"/portal/requests/{dispatched.pk}/confirm/", {"stars": "2", "comment": "还漏"})
    dispatched.refresh_from_db()
    assert dispatched.status == Status.REOPENED and dispatched.reworks.exists()
    rework = dispatched.reworks.get()
    page = portal.get(f"/portal/requests/{dispatched.pk}/").content.decode()
    assert f"/portal/requests/{rework.pk}/" in page and f"Rework {rework.number}" in page
    twice = portal.post(f"/portal/requests/{dispatched.pk}/confirm/", {"stars": "5"})
    assert twice.status_code == 409


def test_the_customer_cancels_before_dispatch_but_not_after(portal, make_ticket, dispatched):
    waiting = make_ticket()
    portal.post(f"/portal/requests/{waiting.pk}/cancel/", {"reason": "自己修好了"})
    waiting.refresh_from_db()
    assert waiting.status == Status.CANCELLED
    refused = portal.post(f"/portal/requests/{dispatched.pk}/cancel/", {"reason": "不用了"})
    assert refused.status_code == 409
    dispatched.refresh_from_db()
    assert dispatched.status == Status.DISPATCHED


def test_another_customers_request_is_not_there(portal, other_agent, other_customer, make_ticket):
    theirs = make_ticket(actor=other_agent, customer=other_customer)
    assert portal.get(f"/portal/requests/{theirs.pk}/").status_code == 404
    assert portal.post(f"/portal/requests/{theirs.pk}/cancel/", {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW


def test_m10_an_expired_fee_cannot_be_accepted(portal, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="换龙头"
    )
    quote, _token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    Quote.objects.filter(pk=quote.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = portal.post(f"/portal/requests/{ticket.pk}/quote/", {"answer": "accept"})
    assert response.status_code == 409
    assert "This quote has expired" in response.content.decode()
    quote.refresh_from_db()
    ticket.refresh_from_db()
    assert (quote.state, ticket.status) == ("sent", Status.QUOTED)


def test_m10_a_fee_answered_already_cannot_be_answered_again(portal, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="换龙头"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    portal.post(f"/portal/requests/{ticket.pk}/quote/", {"answer": "reject"})
    again = portal.post(f"/portal/requests/{ticket.pk}/quote/", {"answer": "accept"})
    assert again.status_code == 400
    assert "There is no fee waiting for your answer." in again.content.decode()
    assert Quote.objects.get().state == "rejected"
