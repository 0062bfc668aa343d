"""The customer's own steps through the customer API: answer the fee, confirm and rate the work
(or ask for rework), cancel before dispatch. Refusals name the field and change nothing."""

import datetime as dt

import pytest

from propdesk.tickets import services
from propdesk.tickets.models import Contact, Quote, Status, Ticket

URL = "/api/v1/portal/requests/"


@pytest.fixture
def quoted(make_ticket, agent, paid_item):
    """A chargeable request whose fee waits for the customer's answer (M10)."""
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="换龙头"
    )
    quote, _token = services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    return quote


@pytest.fixture
def completed(dispatched, technician):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=dispatched, work_summary="已修好")


@pytest.fixture
def theirs(other_agent, other_customer):
    return services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind="repair",
        channel="hotline",
        description="阳台漏水",
    )


def answer_url(quote):
    return f"{URL}{quote.ticket_id}/quotes/{quote.pk}/answer/"


# --- the fee (M10) ----------------------------------------------------------------------------


def test_m10_customer_accepts_fee_through_api(customer_api, quoted, agent, technician):
    answer = customer_api.post(answer_url(quoted), {"accepted": True}, format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == Status.ACCEPTED and body["pending_quote"] is None
    assert "quote_accepted" in [e["kind"] for e in body["timeline"]]
    quoted.refresh_from_db()
    # Recorded how, when and by whom.
    assert (quoted.state, quoted.answered_via, quoted.answered_by_name) == (
        "accepted",
        "portal",
        "张伟",
    )
    assert quoted.answered_at is not None
    # And now the job may be dispatched.
    ticket = services.ticket_dispatch(actor=agent, ticket=quoted.ticket, technician=technician)
    assert ticket.status == Status.DISPATCHED


def test_m10_customer_declines_fee_through_api(customer_api, quoted):
    answer = customer_api.post(answer_url(quoted), {"accepted": False}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == Status.CONFIRMED
    quoted.refresh_from_db()
    assert quoted.state == Quote.State.REJECTED


def test_m10_a_fee_already_answered_is_409_on_the_quote(customer_api, quoted):
    customer_api.post(answer_url(quoted), {"accepted": True}, format="json")
    again = customer_api.post(answer_url(quoted), {"accepted": False}, format="json")
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["field"]) == ("quote_answered", "quote")
    quoted.refresh_from_db()
    assert quoted.state == Quote.State.ACCEPTED and quoted.ticket.status == Status.ACCEPTED


def test_m10_an_expired_fee_cannot_be_accepted(customer_api, quoted, time_machine):
    time_machine.move_to(quoted.expires_at + dt.timedelta(minutes=1))
    answer = customer_api.post(answer_url(quoted), {"accepted": True}, format="json")
    assert answer.status_code == 409
    assert (answer.json()["code"], answer.json()["field"]) == ("quote_expired", "quote")
    quoted.refresh_from_db()
    assert quoted.state == Quote.State.SENT


def test_m10_a_withdrawn_fee_cannot_be_accepted_in_place_of_the_new_one(
    customer_api, quoted, agent, paid_item
):
    """The customer accepts the fee they saw, never another one put in its place meanwhile."""
    services.quote_create(
        actor=agent, ticket=quoted.ticket, lines=[{"item": paid_item, "quantity": 2}]
    )
    answer = customer_api.post(answer_url(quoted), {"accepted": True}, format="json")
    assert answer.status_code == 409 and answer.json()["field"] == "quote"
    assert quoted.ticket.quotes.filter(state=Quote.State.ACCEPTED).count() == 0


@pytest.mark.parametrize("body", [{}, {"accepted": "maybe"}, {"accepted": [True]}])
def test_m10_the_answer_must_be_true_or_false(customer_api, quoted, body):
    answer = customer_api.post(answer_url(quoted), body, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "accepted"
    quoted.refresh_from_db()
    assert quoted.state == Quote.State.SENT


def test_a_quote_of_another_request_is_not_found(customer_api, quoted, make_ticket):
    mine = make_ticket()
    answer = customer_api.post(
        f"{URL}{mine.pk}/quotes/{quoted.pk}/answer/", {"accepted": True}, format="json"
    )
    assert answer.status_code == 404 and answer.json()["field"] == "quote"
    quoted.refresh_from_db()
    assert quoted.state == Quote.State.SENT


def test_another_customers_fee_is_not_found(
    customer_api, other_agent, other_customer, other_office
):
    from tests import factories as f

    item = f.ServiceItemFactory(chargeable=True, office=other_office)
    ticket = services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind="repair",
        channel="hotline",
        description="换锁",
        item=item,
    )
    ticket = services.ticket_confirm(actor=other_agent, ticket=ticket, confirmation="换锁")
    quote, _token = services.quote_create(actor=other_agent, ticket=ticket, lines=[{"item": item}])
    answer = customer_api.post(answer_url(quote), {"accepted": True}, format="json")
    assert answer.status_code == 404
    quote.refresh_from_db()
    assert quote.state == Quote.State.SENT


# --- confirming and rating the work -----------------------------------------------------------


def test_the_customer_confirms_satisfaction_and_the_request_closes(customer_api, completed):
    body = customer_api.get(f"{URL}{completed.pk}/").json()
    assert body["can_confirm"] is True and body["can_cancel"] is False
    answer = customer_api.post(
        f"{URL}{completed.pk}/confirm/", {"satisfied": True, "comment": "很好"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == Status.CLOSED and body["satisfied"] is True
    assert body["comment"] == "很好" and body["can_confirm"] is False
    contact = Contact.objects.filter(ticket=completed, stage="after").get()
    assert (contact.channel, contact.direction) == ("portal", "in")


def test_an_unsatisfied_customer_must_say_why(customer_api, completed):
    answer = customer_api.post(f"{URL}{completed.pk}/confirm/", {"satisfied": False}, format="json")
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == ("comment", "required")
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED and not completed.reworks.exists()


def test_an_unsatisfied_customer_gets_rework(customer_api, completed):
    answer = customer_api.post(
        f"{URL}{completed.pk}/confirm/", {"satisfied": False, "comment": "还漏"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == Status.REOPENED
    rework = Ticket.objects.get(rework_of=completed)
    # Dispatched at once, back to the technician who did the work (M15).
    assert rework.status == Status.DISPATCHED and rework.customer == completed.customer
    # The rework is the customer's own request too.
    assert customer_api.get(f"{URL}{rework.pk}/").status_code == 200


def test_rating_twice_is_409_and_changes_nothing(customer_api, completed):
    url = f"{URL}{completed.pk}/confirm/"
    customer_api.post(url, {"satisfied": True}, format="json")
    again = customer_api.post(url, {"satisfied": False, "comment": "其实不满意"}, format="json")
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["field"]) == ("transition_not_allowed", "status")
    completed.refresh_from_db()
    assert (completed.status, completed.satisfied) == (Status.CLOSED, True)
    assert not completed.reworks.exists()


def test_work_not_done_yet_cannot_be_confirmed(customer_api, dispatched):
    answer = customer_api.post(f"{URL}{dispatched.pk}/confirm/", {"satisfied": True}, format="json")
    assert answer.status_code == 409 and answer.json()["field"] == "status"


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "stars"),  # the rating is asked in stars; `satisfied` is the alternative
        ({"satisfied": "sort of"}, "satisfied"),
        ({"satisfied": True, "version": "x"}, "version"),
    ],
)
def test_confirm_input_is_checked_naming_the_field(customer_api, completed, body, field):
    answer = customer_api.post(f"{URL}{completed.pk}/confirm/", body, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == field
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED


def test_a_confirmation_against_an_older_version_is_409(customer_api, completed):
    answer = customer_api.post(
        f"{URL}{completed.pk}/confirm/",
        {"satisfied": True, "version": completed.version - 1},
        format="json",
    )
    assert answer.status_code == 409
    assert (answer.json()["code"], answer.json()["field"]) == ("stale_version", "version")
    completed.refresh_from_db()
    assert completed.status == Status.COMPLETED


# --- cancelling -------------------------------------------------------------------------------


def test_the_customer_cancels_before_dispatch(customer_api, quoted):
    ticket = quoted.ticket
    answer = customer_api.post(f"{URL}{ticket.pk}/cancel/", {"reason": "自己修好了"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == Status.CANCELLED
    quoted.refresh_from_db()
    assert quoted.state == Quote.State.WITHDRAWN  # the fee no longer waits for an answer
    assert answer.json()["pending_quote"] is None


def test_the_customer_cannot_cancel_once_a_technician_is_on_the_way(customer_api, dispatched):
    answer = customer_api.post(f"{URL}{dispatched.pk}/cancel/", {"reason": "不用了"}, format="json")
    assert answer.status_code == 409 and answer.json()["field"] == "status"
    dispatched.refresh_from_db()
    assert dispatched.status == Status.DISPATCHED


def test_cancelling_needs_a_reason(customer_api, make_ticket):
    ticket = make_ticket()
    answer = customer_api.post(f"{URL}{ticket.pk}/cancel/", {}, format="json")
    assert answer.status_code == 400
    assert (answer.json()["field"], answer.json()["code"]) == ("reason", "required")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


# --- another customer's request ---------------------------------------------------------------


@pytest.mark.parametrize(
    "action,body",
    [
        ("confirm/", {"satisfied": True}),
        ("cancel/", {"reason": "x"}),
        ("quotes/1/answer/", {"accepted": True}),
    ],
)
def test_another_customers_request_is_not_found_for_any_step(customer_api, theirs, action, body):
    answer = customer_api.post(f"{URL}{theirs.pk}/{action}", body, format="json")
    assert answer.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.status, theirs.version) == (Status.NEW, 1)


def test_404_comes_before_400_for_another_customers_request(customer_api, theirs):
    answer = customer_api.post(f"{URL}{theirs.pk}/confirm/", {}, format="json")
    assert answer.status_code == 404


# --- a new deadline proposed by the office (M09) ----------------------------------------------


def propose(ticket, actor, **delta):
    ticket.refresh_from_db()
    return services.extension_propose(
        actor=actor,
        ticket=ticket,
        new_due_at=ticket.due_at + dt.timedelta(**(delta or {"days": 2})),
        reason="配件需从厂家调货",
    )


def proposal_url(proposal):
    return f"{URL}{proposal.ticket_id}/proposals/{proposal.pk}/answer/"


def test_m09_the_customer_sees_and_agrees_to_a_new_deadline(customer_api, dispatched, agent):
    proposal = propose(dispatched, agent)
    body = customer_api.get(f"{URL}{dispatched.pk}/").json()
    assert body["pending_proposal"]["id"] == proposal.pk
    assert body["pending_proposal"]["reason"] == "配件需从厂家调货"
    proposed = [e for e in body["timeline"] if e["kind"] == "extension_proposed"]
    assert proposed and proposed[0]["note"]
    answer = customer_api.post(proposal_url(proposal), {"agreed": True}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["pending_proposal"] is None
    dispatched.refresh_from_db()
    assert dispatched.due_at == proposal.new_due_at
    assert "extended" in [e["kind"] for e in answer.json()["timeline"]]


def test_m09_the_customer_refuses_a_new_deadline_with_a_comment(customer_api, dispatched, agent):
    old_due = dispatched.due_at
    proposal = propose(dispatched, agent)
    answer = customer_api.post(
        proposal_url(proposal), {"agreed": False, "comment": "周末前必须修好"}, format="json"
    )
    assert answer.status_code == 200
    dispatched.refresh_from_db()
    proposal.refresh_from_db()
    assert dispatched.due_at == old_due
    assert (proposal.state, proposal.answer_comment) == ("refused", "周末前必须修好")


def test_m09_a_proposal_answered_twice_is_409_on_the_proposal(customer_api, dispatched, agent):
    proposal = propose(dispatched, agent)
    customer_api.post(proposal_url(proposal), {"agreed": False}, format="json")
    again = customer_api.post(proposal_url(proposal), {"agreed": True}, format="json")
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["field"]) == ("proposal_answered", "proposal")
    dispatched.refresh_from_db()
    assert dispatched.due_at != proposal.new_due_at


def test_m09_after_the_deadline_a_proposal_can_no_longer_be_agreed_to(
    customer_api, dispatched, agent, time_machine
):
    proposal = propose(dispatched, agent)
    time_machine.move_to(proposal.old_due_at + dt.timedelta(minutes=1))
    assert customer_api.get(f"{URL}{dispatched.pk}/").json()["pending_proposal"] is None
    answer = customer_api.post(proposal_url(proposal), {"agreed": True}, format="json")
    assert answer.status_code == 409
    assert (answer.json()["code"], answer.json()["field"]) == ("deadline_passed", "proposal")


def test_m09_the_proposal_answer_must_be_true_or_false(customer_api, dispatched, agent):
    proposal = propose(dispatched, agent)
    answer = customer_api.post(proposal_url(proposal), {"agreed": "perhaps"}, format="json")
    assert answer.status_code == 400 and answer.json()["field"] == "agreed"
    proposal.refresh_from_db()
    assert proposal.state == "waiting"


def test_another_customers_proposal_is_not_found(customer_api, theirs, other_agent, make_ticket):
    theirs = services.ticket_confirm(actor=other_agent, ticket=theirs, confirmation="上门")
    proposal = propose(theirs, other_agent)
    assert (
        customer_api.post(proposal_url(proposal), {"agreed": True}, format="json").status_code
        == 404
    )
    # Nor under one of the customer's own requests.
    mine = make_ticket()
    wrong = f"{URL}{mine.pk}/proposals/{proposal.pk}/answer/"
    answer = customer_api.post(wrong, {"agreed": True}, format="json")
    assert answer.status_code == 404 and answer.json()["field"] == "proposal"
    proposal.refresh_from_db()
    assert proposal.state == "waiting"
