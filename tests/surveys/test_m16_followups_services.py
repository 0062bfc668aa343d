"""M16 follow-up: every household that wrote an opinion is called back and every important
customer's household visited, once, within the analysis week; outcomes go on the customer's
history; a dissatisfied answer becomes a request or a complaint in one action; public replies are
notices, after the deadline."""

import datetime as dt

import pytest

from propdesk.complaints.models import Complaint
from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.models import Notification
from propdesk.notices.models import Notice
from propdesk.surveys.models import CampaignEvent, CampaignOffice, FollowUp, PublicReply, Response
from propdesk.surveys.services.followups import (
    followup_assign,
    followup_open_request,
    followup_plan,
    followup_record,
    survey_followups_open,
)
from propdesk.surveys.services.replies import reply_publish
from propdesk.tickets.models import Channel, Contact, Kind

from .conftest import DEADLINE, NOW
from .followups_fixtures import *  # noqa: F403
from .followups_fixtures import AFTER, OPINION

pytestmark = pytest.mark.django_db

CB, VISIT = FollowUp.Kind.CALLBACK, FollowUp.Kind.VISIT


def _of(customer, kind=CB) -> FollowUp:
    return FollowUp.objects.get(household=customer.households.get(), kind=kind)


def test_m16_every_household_with_an_opinion_gets_a_callback(round_, customer, other_customer):
    result = survey_followups_open(now=AFTER)

    callbacks = FollowUp.objects.filter(kind=CB)
    assert {f.household_id for f in callbacks} == {
        customer.households.get().pk,
        other_customer.households.get().pk,
    }
    mine = _of(customer)
    part = CampaignOffice.objects.get(campaign=round_["campaign"], office=customer.office)
    assert mine.due_at == part.analysis_due_at and mine.customer == customer
    assert mine.state == FollowUp.State.OPEN
    assert result == {"offices": 2, "callbacks": 2, "visits": 1}


def test_m16_important_customers_get_a_visit_answered_or_not(round_):
    survey_followups_open(now=AFTER)

    visits = FollowUp.objects.filter(kind=VISIT)
    assert [v.customer for v in visits] == [round_["important"]]


def test_m16_the_job_twice_opens_nothing_more(round_, director, agent):
    survey_followups_open(now=AFTER)
    count = FollowUp.objects.count()
    messages = Notification.objects.count()

    again = survey_followups_open(now=AFTER + dt.timedelta(hours=1))

    assert again == {"offices": 0, "callbacks": 0, "visits": 0}
    assert FollowUp.objects.count() == count
    assert Notification.objects.count() == messages
    events = CampaignEvent.objects.filter(kind=CampaignEvent.Kind.FOLLOWUPS_OPENED)
    assert events.count() == 2
    assert "1 callbacks, 1 visits" in events.get(office=director.office).note


def test_m16_nothing_opens_before_the_office_clock_starts(make_campaign, customer):
    from .followups_fixtures import answer

    campaign = make_campaign()
    answer(campaign, customer, opinion=OPINION)

    assert survey_followups_open(now=NOW + dt.timedelta(days=2))["offices"] == 0
    assert not FollowUp.objects.exists()


def test_m16_the_office_desk_is_told_of_its_worklist(round_, director, agent, other_agent):
    survey_followups_open(now=AFTER)

    told = set(
        Notification.objects.filter(event="survey_followups_opened").values_list("user", flat=True)
    )
    assert told == {director.pk, agent.pk, other_agent.pk}


# --- assigning and recording --------------------------------------------------------------


def test_m16_assign_to_the_office_desk_or_a_specialist_only(opened, customer, agent, followup):
    mine = _of(customer)
    mine = followup_assign(actor=agent, followup=mine, assignee=followup, now=AFTER)
    assert mine.assigned_to == followup and mine.version == 2
    assert Notification.objects.filter(event="survey_followup_assigned", user=followup).exists()

    with pytest.raises(DomainError) as err:
        followup_assign(actor=agent, followup=mine, assignee=None, now=AFTER)
    assert err.value.field == "assigned_to"
    assert mine.history.count() == 2


def test_m16_assigning_to_another_office_staff_is_refused(opened, customer, agent, other_agent):
    with pytest.raises(DomainError) as err:
        followup_assign(actor=agent, followup=_of(customer), assignee=other_agent, now=AFTER)
    assert err.value.field == "assigned_to"
    assert _of(customer).assigned_to is None


def test_m16_recording_an_outcome_puts_it_on_the_customers_history(opened, customer, agent):
    mine = followup_record(
        actor=agent,
        followup=_of(customer),
        outcome="已致电，电梯已报修，客户表示理解。",
        expected_version=1,
        now=AFTER,
    )

    assert mine.state == FollowUp.State.DONE and mine.done_by == agent and mine.done_at == AFTER
    contact = Contact.objects.filter(customer=customer, direction=Contact.Direction.OUTBOUND).get()
    assert contact.channel == Channel.SURVEY and "电梯已报修" in contact.summary
    assert contact.staff == agent
    assert mine.history.first().history_user == agent


def test_m16_an_outcome_is_required(opened, customer, agent):
    with pytest.raises(DomainError) as err:
        followup_record(actor=agent, followup=_of(customer), outcome="  ", now=AFTER)
    assert err.value.field == "outcome"
    assert _of(customer).state == FollowUp.State.OPEN
    assert not Contact.objects.filter(direction=Contact.Direction.OUTBOUND).exists()


def test_m16_a_stale_version_is_refused(opened, customer, agent):
    mine = followup_assign(actor=agent, followup=_of(customer), assignee=agent, now=AFTER)
    with pytest.raises(Conflict) as err:
        followup_record(actor=agent, followup=mine, outcome="好", expected_version=1, now=AFTER)
    assert err.value.code == "stale_version" and err.value.status == 409


def test_m16_done_twice_is_refused(opened, customer, agent):
    followup_record(actor=agent, followup=_of(customer), outcome="已回访", now=AFTER)
    with pytest.raises(Conflict) as err:
        followup_record(actor=agent, followup=_of(customer), outcome="再次", now=AFTER)
    assert err.value.code == "followup_done"
    assert _of(customer).outcome == "已回访"


def test_m16_a_visit_is_planned_then_recorded(opened, agent, followup):
    visit = FollowUp.objects.get(kind=VISIT)
    with pytest.raises(DomainError) as err:
        followup_record(actor=followup, followup=visit, outcome="拜访了", now=AFTER)
    assert err.value.field == "planned_for"

    planned = AFTER + dt.timedelta(days=2)
    visit = followup_plan(actor=followup, followup=visit, planned_for=planned, now=AFTER)
    with pytest.raises(DomainError) as err:
        followup_record(actor=followup, followup=visit, outcome="拜访了", now=AFTER)
    assert err.value.code == "visit_not_yet"

    visit = followup_record(
        actor=followup,
        followup=visit,
        outcome="拜访了，客户满意。",
        now=planned + dt.timedelta(hours=1),
    )
    assert visit.state == FollowUp.State.DONE
    contact = Contact.objects.get(customer=visit.customer, direction=Contact.Direction.OUTBOUND)
    assert contact.channel == Channel.FOLLOWUP


def test_m16_another_offices_followup_is_not_found(opened, other_customer, agent):
    with pytest.raises(NotFound):
        followup_record(actor=agent, followup=_of(other_customer), outcome="好", now=AFTER)


def test_m16_a_technician_may_not_follow_up(opened, customer, technician):
    with pytest.raises(Forbidden):
        followup_record(actor=technician, followup=_of(customer), outcome="好", now=AFTER)


# --- requests and complaints --------------------------------------------------------------


def test_m16_a_request_opens_with_one_action_prefilled_and_linked(opened, customer, agent):
    mine = followup_open_request(
        actor=agent, followup=_of(customer), kind=Kind.REPAIR, expected_version=1, now=AFTER
    )

    ticket = mine.ticket
    assert ticket.kind == Kind.REPAIR and ticket.channel == Channel.SURVEY
    assert ticket.customer == customer
    assert OPINION in ticket.description and "Repairs" in ticket.description
    assert Contact.objects.filter(customer=customer, ticket=ticket).exists()
    with pytest.raises(Conflict) as err:
        followup_open_request(actor=agent, followup=mine, now=AFTER)
    assert err.value.code == "already_opened"


def test_m16_a_complaint_from_a_dissatisfied_response_without_followup(round_, customer, agent):
    response = Response.objects.get(household=customer.households.get())

    mine = followup_open_request(actor=agent, response=response, what="complaint", now=AFTER)

    complaint = Complaint.objects.get(ticket=mine.ticket)
    assert complaint.customer == customer and OPINION in complaint.account
    assert mine.kind == CB and mine.household == response.household
    assert Contact.objects.filter(customer=customer, ticket=mine.ticket).exists()
    # The job later finds the callback there and adds no second one.
    survey_followups_open(now=AFTER)
    assert FollowUp.objects.filter(household=response.household, kind=CB).count() == 1


def test_m16_another_offices_response_is_not_found(round_, other_customer, agent):
    response = Response.objects.get(household=other_customer.households.get())
    with pytest.raises(NotFound):
        followup_open_request(actor=agent, response=response, now=AFTER)
    assert not FollowUp.objects.exists()


# --- public replies -----------------------------------------------------------------------


def test_m16_a_public_reply_is_refused_before_the_deadline(round_, quality):
    with pytest.raises(Conflict) as err:
        reply_publish(
            actor=quality,
            campaign=round_["campaign"],
            topic="电梯",
            body="我们将更换电梯。",
            now=DEADLINE - dt.timedelta(hours=1),
        )
    assert err.value.code == "before_deadline"
    assert not PublicReply.objects.exists() and not Notice.objects.exists()


def test_m16_a_public_reply_is_published_as_a_notice_linked_to_the_campaign(round_, quality):
    reply = reply_publish(
        actor=quality, campaign=round_["campaign"], topic="电梯", body="将更换电梯。", now=AFTER
    )

    notice = reply.notice
    assert notice.state == Notice.State.PUBLISHED and notice.scope == Notice.Scope.COMPANY
    assert notice.audience == Notice.Audience.CUSTOMERS and "电梯" in notice.title
    assert reply.campaign == round_["campaign"]
    assert CampaignEvent.objects.filter(kind=CampaignEvent.Kind.REPLIED, note="电梯").exists()


def test_m16_a_director_replies_to_his_office_only(round_, director, office, other_office):
    reply = reply_publish(
        actor=director,
        campaign=round_["campaign"],
        topic="停车",
        body="增设车位。",
        office=office,
        now=AFTER,
    )
    assert reply.notice.scope == Notice.Scope.OFFICE and reply.notice.office == office

    with pytest.raises(Forbidden):
        reply_publish(
            actor=director, campaign=round_["campaign"], topic="停车", body="x", now=AFTER
        )
    with pytest.raises(NotFound):
        reply_publish(
            actor=director,
            campaign=round_["campaign"],
            topic="停车",
            body="x",
            office=other_office,
            now=AFTER,
        )


def test_m16_a_reply_needs_a_topic_and_a_text(round_, quality):
    with pytest.raises(DomainError) as err:
        reply_publish(actor=quality, campaign=round_["campaign"], topic="", body="x", now=AFTER)
    assert err.value.field == "topic"
    with pytest.raises(DomainError) as err:
        reply_publish(actor=quality, campaign=round_["campaign"], topic="电梯", body="", now=AFTER)
    assert err.value.field == "body"
    assert not Notice.objects.exists()
