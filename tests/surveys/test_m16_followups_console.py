"""M16 follow-up in the console: the worklist with its filters and a constant number of
queries, a follow-up's page with the answers and the customer's phone as the reader may see it,
the outcome form, a request opened after a confirmation, and a campaign's public replies."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.notices.models import Notice
from propdesk.surveys.models import FollowUp, PublicReply
from propdesk.surveys.services.followups import survey_followups_open
from propdesk.tickets.models import Ticket
from tests.queries import count_queries, same_queries

from .conftest import NOW
from .followups_fixtures import *  # noqa: F403
from .followups_fixtures import OPINION, answer

pytestmark = pytest.mark.django_db

LIST = reverse("console:survey_followups")


def _mine(customer) -> FollowUp:
    return FollowUp.objects.get(household=customer.households.get(), kind="callback")


def test_m16_the_office_worklist_shows_its_own_followups_only(opened, client, agent, customer):
    client.force_login(agent)
    page = client.get(LIST)

    assert page.status_code == 200
    rows = list(page.context["page"])
    assert {r.office_id for r in rows} == {agent.office_id} and len(rows) == 2
    assert "住户1" in page.content.decode()


def test_m16_the_worklist_filters(opened, client, followup, customer):
    client.force_login(followup)
    assert len(list(client.get(LIST).context["page"])) == 3
    assert [r.kind for r in client.get(LIST, {"kind": "visit"}).context["page"]] == ["visit"]
    code = _mine(customer).participant.code
    assert [r.customer for r in client.get(LIST, {"q": code}).context["page"]] == [customer]
    assert list(client.get(LIST, {"mine": "on"}).context["page"]) == []
    assert list(client.get(LIST, {"state": "done"}).context["page"]) == []
    campaign = opened["campaign"]
    assert len(list(client.get(LIST, {"campaign": campaign.pk}).context["page"])) == 3
    empty = client.get(LIST, {"state": "done"})
    assert "No follow-up matches these filters." in empty.content.decode()


def test_m16_overdue_filter(opened, client, followup):
    client.force_login(followup)
    # The page's clock is the real one: the callbacks due tomorrow, the visit long ago.
    FollowUp.objects.filter(kind="callback").update(due_at=timezone.now() + dt.timedelta(days=1))
    FollowUp.objects.filter(kind="visit").update(due_at=NOW)
    assert [r.kind for r in client.get(LIST, {"overdue": "on"}).context["page"]] == ["visit"]


def test_m16_the_worklist_takes_as_many_queries_with_many_rows(opened, client, followup):
    client.force_login(followup)
    client.get(LIST)  # the session and the menu warmed
    with count_queries() as few:
        client.get(LIST)
    # More rows, each assigned: still the same queries for the page.
    FollowUp.objects.update(assigned_to=followup)
    for fu in list(FollowUp.objects.filter(kind="callback")):
        FollowUp.objects.create(
            campaign=fu.campaign,
            office=fu.office,
            participant=fu.participant,
            household=fu.household,
            customer=fu.customer,
            kind="visit",
            due_at=fu.due_at,
            assigned_to=followup,
        )
    with count_queries() as many:
        page = client.get(LIST)
    assert len(list(page.context["page"])) > 3
    same_queries(few, many)


def test_m16_a_followups_page_shows_answers_and_the_phone(opened, client, agent, customer):
    client.force_login(agent)
    page = client.get(reverse("console:survey_followup", args=[_mine(customer).pk]))

    body = page.content.decode()
    assert page.status_code == 200 and OPINION in body
    assert "Repairs" in body  # scored 1–2
    number = customer.phones.get().number
    assert number[-4:] in body and "****" not in body.split('class="phone">')[1][:30]


def test_m16_another_offices_followup_page_is_not_found(opened, client, agent, other_customer):
    client.force_login(agent)
    page = client.get(reverse("console:survey_followup", args=[_mine(other_customer).pk]))
    assert page.status_code == 404


def test_m16_recording_an_outcome_in_the_console(opened, client, agent, customer):
    client.force_login(agent)
    url = reverse("console:survey_followup_record", args=[_mine(customer).pk])

    missing = client.post(url, {"outcome": "", "version": 1})
    assert missing.status_code == 400
    assert "Write what the customer said" in missing.content.decode()
    stale = client.post(url, {"outcome": "好", "version": 7})
    assert stale.status_code == 409

    done = client.post(url, {"outcome": "已回访，客户满意。", "version": 1})
    assert done.status_code == 302
    assert _mine(customer).state == "done"


def test_m16_a_request_is_opened_after_a_confirmation(opened, client, agent, customer):
    client.force_login(agent)
    mine = _mine(customer)
    url = reverse("console:survey_followup_open", args=[mine.pk])

    confirm = client.get(url, {"what": "request"})
    assert confirm.status_code == 200 and OPINION in confirm.content.decode()
    assert not Ticket.objects.exists()

    posted = client.post(
        url,
        {
            "what": "request",
            "kind": "repair",
            "description": confirm.context["form"].initial["description"],
            "version": 1,
        },
    )
    assert posted.status_code == 302
    mine.refresh_from_db()
    assert mine.ticket.kind == "repair" and OPINION in mine.ticket.description


def test_m16_the_campaign_replies_page(round_, client, quality):
    client.force_login(quality)
    campaign = round_["campaign"]
    url = reverse("console:survey_campaign_replies", args=[campaign.pk])

    assert "No public replies yet." in client.get(url).content.decode()
    posted = client.post(url, {"topic": "电梯", "body": "将于下月更换电梯。", "office": ""})
    # The page is used now, after the campaign's deadline in the past of the real clock.
    assert posted.status_code == 302
    reply = PublicReply.objects.get()
    page = client.get(url).content.decode()
    assert reverse("console:notice", args=[reply.notice_id]) in page
    assert Notice.objects.get().state == "published"


def test_m16_a_technician_has_no_worklist(opened, client, technician):
    client.force_login(technician)
    assert client.get(LIST).status_code == 403


def test_m16_an_answer_before_the_deadline_opens_nothing(make_campaign, customer):
    campaign = make_campaign()
    answer(campaign, customer, opinion=OPINION)
    assert survey_followups_open(now=NOW + dt.timedelta(days=1))["offices"] == 0


def test_m16_a_complaint_from_a_dissatisfied_answer_in_one_action(round_, client, agent, customer):
    from propdesk.surveys.models import Response

    client.force_login(agent)
    response = Response.objects.get(household=customer.households.get())
    url = reverse("console:survey_response_open", args=[response.pk])

    confirm = client.get(url, {"what": "complaint"})
    assert confirm.status_code == 200 and not FollowUp.objects.exists()
    posted = client.post(url, {"what": "complaint", "description": ""})
    assert posted.status_code == 302
    mine = _mine(customer)
    assert posted["Location"] == reverse("console:survey_followup", args=[mine.pk])
    assert mine.ticket.kind == "complaint" and OPINION in mine.ticket.description


def test_m16_another_offices_answer_cannot_become_a_request(round_, client, agent, other_customer):
    from propdesk.surveys.models import Response

    client.force_login(agent)
    response = Response.objects.get(household=other_customer.households.get())
    url = reverse("console:survey_response_open", args=[response.pk])
    assert client.post(url, {"what": "request"}).status_code == 404
    assert not Ticket.objects.exists()
