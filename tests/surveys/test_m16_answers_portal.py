"""M16 in the resident portal: the customer's households' surveys, answered or not and open
until when; answering and changing through the portal; another household's is not found."""

import datetime as dt

import pytest
from django.urls import reverse

from propdesk.surveys import services
from propdesk.surveys.models import Response
from tests.queries import count_queries, same_queries

from .answers_fixtures import first_scale, posted
from .conftest import NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def text(response) -> str:
    return response.content.decode()


def test_m16_the_portal_lists_the_customers_surveys(portal, make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)

    page = text(portal.get(reverse("portal:surveys")))

    assert campaign.title in page
    assert "Not answered yet" in page
    assert "Open until 2026-06-21" in page
    assert reverse("portal:survey", args=[participant.pk]) in page


def test_m16_a_draft_campaign_is_not_in_the_portal(portal, make_campaign, customer):
    make_campaign(launch=False)

    assert "There is no survey for your household" in text(portal.get(reverse("portal:surveys")))


def test_m16_the_customer_answers_and_changes_through_the_portal(portal, make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    url = reverse("portal:survey", args=[participant.pk])

    assert portal.post(url, posted(campaign, score=4)).status_code == 302

    response = Response.objects.get(participant=participant)
    assert response.channel == Response.Channel.PORTAL
    assert response.customer == customer
    listing = text(portal.get(reverse("portal:surveys")))
    assert "Answered on" in listing and "Not answered yet" not in listing

    changed = portal.post(url, {**posted(campaign, score=2), "version": response.version})

    assert changed.status_code == 302
    response.refresh_from_db()
    assert response.score == 2 and response.version == 2


def test_m16_the_portal_shows_a_missing_answer_by_its_question(portal, make_campaign, customer):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    question = first_scale(campaign)

    data = posted(campaign)
    data[f"q{question.pk}"] = ""

    page = portal.post(reverse("portal:survey", args=[participant.pk]), data)

    assert page.status_code == 400
    body = text(page)
    start = body.index(f'id="question-{question.pk}"')
    assert "this question needs an answer" in body[start : body.index("</fieldset>", start)]
    assert not Response.objects.exists()


def test_m16_another_households_survey_is_not_found_in_the_portal(
    portal, make_campaign, other_customer
):
    campaign = make_campaign()
    theirs = participant_of(campaign, other_customer)
    url = reverse("portal:survey", args=[theirs.pk])

    assert portal.get(url).status_code == 404
    assert portal.post(url, posted(campaign)).status_code == 404
    assert not Response.objects.exists()
    assert url not in text(portal.get(reverse("portal:surveys")))


def test_m16_after_the_deadline_the_portal_shows_the_answer_and_takes_no_change(
    portal, make_campaign, customer, time_machine
):
    campaign = make_campaign(deadline=NOW + dt.timedelta(hours=2))
    participant = participant_of(campaign, customer)
    services.response_submit(
        participant=participant,
        answers=full_answers(campaign, score=5),
        channel=Response.Channel.PORTAL,
        customer=customer,
        now=NOW,
    )
    time_machine.move_to(NOW + dt.timedelta(hours=3), tick=False)  # the sign-in still holds
    url = reverse("portal:survey", args=[participant.pk])

    page = text(portal.get(url))
    assert "The survey has ended" in page and '<form method="post" novalidate' not in page
    assert "Very satisfied" in page  # the household's answers, to read

    late = portal.post(url, {**posted(campaign, score=1), "version": 1})

    assert late.status_code == 409
    assert Response.objects.get(participant=participant).score == 5


def test_m16_the_portal_needs_a_sign_in(client, make_campaign, customer):
    campaign = make_campaign()
    url = reverse("portal:survey", args=[participant_of(campaign, customer).pk])

    assert client.get(url).status_code == 302
    assert client.get(reverse("portal:surveys")).status_code == 302


def test_m16_the_portal_list_reads_as_many_queries_for_many_surveys(
    portal, make_campaign, customer
):
    make_campaign()
    with count_queries() as one:
        portal.get(reverse("portal:surveys"))
    for n in range(3):
        make_campaign(title=f"专项调查{n}", season="special")
    with count_queries() as four:
        portal.get(reverse("portal:surveys"))

    same_queries(one, four)
