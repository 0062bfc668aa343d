"""M16: the household's one-time link page: answered on a phone without signing in, once; opened
again it shows the answers and takes changes until the deadline; after it, a clear page and
nothing changed; a wrong link is a 404 page; a missing answer is shown by its question."""

import datetime as dt

import pytest
from django.utils.html import escape

from propdesk.surveys import services
from propdesk.surveys.models import CampaignOffice, Response
from tests.queries import max_queries

from .answers_fixtures import first_scale, link_of, posted
from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def text(response) -> str:
    return response.content.decode()


def test_m16_the_link_page_shows_the_questionnaire_without_signing_in(
    client, make_campaign, customer
):
    campaign = make_campaign()
    page = client.get(link_of(campaign, customer))

    assert page.status_code == 200
    body = text(page)
    for question in campaign.questionnaire.questions.all():
        assert escape(question.text_en) in body  # the reader's language (English here)
        assert f'name="q{question.pk}"' in body
    assert "Very satisfied" in body and "Very dissatisfied" in body
    assert escape(campaign.questionnaire.intro_en[:30]) in body
    assert "<script" not in body
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]


def test_m16_the_link_page_speaks_the_households_language(client, make_campaign, customer):
    campaign = make_campaign()
    question = first_scale(campaign)

    chinese = text(client.get(link_of(campaign, customer) + "?lang=zh-hans"))

    assert question.text in chinese
    assert question.text_en not in chinese


def test_m16_the_link_answers_once_and_then_edits(client, make_campaign, customer):
    campaign = make_campaign()
    url = link_of(campaign, customer)

    sent = client.post(url, posted(campaign, score=4, opinion="电梯太慢"))

    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert "Thank you" in text(thanks)
    response = Response.objects.get(participant=participant_of(campaign, customer))
    assert response.channel == Response.Channel.LINK
    assert response.customer == customer
    assert response.opinion == "电梯太慢"
    assert CampaignOffice.objects.get(campaign=campaign, office=customer.office).responses == 1

    again = text(client.get(url))
    assert "Your household answered on" in again
    assert 'value="电梯太慢"' in again or "电梯太慢</textarea>" in again
    assert f'name="version" value="{response.version}"' in again

    changed = client.post(url, {**posted(campaign, score=2), "version": response.version})

    assert changed.status_code == 302
    response.refresh_from_db()
    assert response.score == 2 and response.version == 2 and response.opinion == ""
    # Changing is not a second answer.
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert CampaignOffice.objects.get(campaign=campaign, office=customer.office).responses == 1


def test_m16_a_change_from_an_old_page_is_refused(client, make_campaign, customer):
    campaign = make_campaign()
    url = link_of(campaign, customer)
    client.post(url, posted(campaign, score=4))
    response = Response.objects.get(campaign=campaign)
    client.post(url, {**posted(campaign, score=3), "version": 1})  # the other phone's change

    stale = client.post(url, {**posted(campaign, score=1), "version": 1})

    assert stale.status_code == 409
    assert "changed meanwhile" in text(stale)
    response.refresh_from_db()
    assert response.score == 3


def test_m16_a_wrong_token_is_a_clear_404_page(client, make_campaign, customer):
    make_campaign()

    page = client.get("/s/not-a-real-token/")

    assert page.status_code == 404
    assert "This survey link is not valid" in text(page)
    assert client.post("/s/not-a-real-token/", {}).status_code == 404
    assert not Response.objects.exists()


def test_m16_after_the_deadline_the_link_refuses_with_a_clear_page_and_changes_nothing(
    client, make_campaign, customer, time_machine
):
    campaign = make_campaign()
    url = link_of(campaign, customer)
    client.post(url, posted(campaign, score=4))
    time_machine.move_to(DEADLINE + dt.timedelta(minutes=1), tick=False)

    page = client.get(url)
    assert page.status_code == 200
    assert "The survey has ended" in text(page)
    assert "<form" not in text(page)

    late = client.post(url, {**posted(campaign, score=1), "version": 1})

    assert late.status_code == 409
    assert "The survey has ended" in text(late)
    response = Response.objects.get(campaign=campaign)
    assert response.score == 4 and response.version == 1


def test_m16_a_closed_campaign_says_so(client, make_campaign, customer, quality, time_machine):
    campaign = make_campaign()
    url = link_of(campaign, customer)
    later = DEADLINE + dt.timedelta(days=1)
    services.campaign_close(actor=quality, campaign=campaign, now=later)
    time_machine.move_to(later, tick=False)

    page = client.get(url)

    assert "This survey is closed" in text(page)
    assert client.post(url, posted(campaign)).status_code == 409
    assert not Response.objects.exists()


def test_m16_a_missing_required_answer_is_shown_by_its_question_and_changes_nothing(
    client, make_campaign, customer
):
    campaign = make_campaign()
    question = first_scale(campaign)
    data = posted(campaign, score=5, opinion="绿化不错")
    data[f"q{question.pk}"] = ""

    page = client.post(link_of(campaign, customer), data)

    assert page.status_code == 400
    body = text(page)
    # The message sits in the question's own fieldset, before the next question.
    start = body.index(f'id="question-{question.pk}"')
    end = body.index("</fieldset>", start)
    assert "this question needs an answer" in body[start:end]
    assert 'aria-invalid="true"' in body[start:end]
    # What was typed is kept for the household to correct.
    assert "绿化不错" in body
    assert not Response.objects.exists()
    assert CampaignOffice.objects.get(campaign=campaign, office=customer.office).responses == 0


def test_m16_a_second_answer_to_one_link_from_another_phone_changes_nothing(
    client, make_campaign, customer
):
    campaign = make_campaign()
    participant = participant_of(campaign, customer)
    services.response_submit(
        participant=participant,
        answers=full_answers(campaign, score=5),
        channel=Response.Channel.LINK,
        now=NOW,
    )
    url = link_of(campaign, customer)

    # A page opened before the first answer has no version: a first answer, refused.
    second = client.post(url, posted(campaign, score=1))

    assert second.status_code == 409
    assert Response.objects.get(campaign=campaign).score == 5


def test_m16_the_link_page_reads_a_few_queries(client, make_campaign, customer):
    campaign = make_campaign()
    url = link_of(campaign, customer)

    with max_queries(6):
        client.get(url)
