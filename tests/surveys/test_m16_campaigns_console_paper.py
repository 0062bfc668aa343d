"""M16 on paper: a household's printed questionnaire (a valid PDF with its code, its address and
a QR code of its one-time link), an office's not-answered households in one file of at most
PRINT_LIMIT, and the desk where staff type paper questionnaires in: the happy path, the session's
count and the office's return rate, and each bad input shown on the form with nothing saved."""

import datetime as dt
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas

from propdesk.surveys import paper, services
from propdesk.surveys.models import CampaignOffice, Participant, Response
from tests.queries import count_queries, same_queries

from .campaigns_fixtures import *  # noqa: F403
from .conftest import DEADLINE, NOW, full_answers, participant_of

pytestmark = pytest.mark.django_db


def url(name, campaign, *args):
    return reverse(f"console:{name}", args=[campaign.pk, *args])


def _pdf(response) -> PdfReader:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    return PdfReader(BytesIO(content))


def _link(participant) -> str:
    token = services.participant_token(participant)
    # On SITE_URL when set, else on the address the staff member printed it from.
    site = settings.SITE_URL or "http://testserver"
    return f"{site.rstrip('/')}{reverse('survey_answer', args=[token])}"


def _reference_qr(link: str) -> bytes:
    """A QR code of ``link`` drawn on its own, as the content of a form XObject."""
    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.beginForm("ref", lowerx=0, lowery=0, upperx=paper.QR_SIZE, uppery=paper.QR_SIZE)
    renderPDF.draw(paper.qr_drawing(link), canvas, 0, 0)
    canvas.endForm()
    canvas.doForm("ref")
    canvas.showPage()
    canvas.save()
    page = PdfReader(BytesIO(buffer.getvalue())).pages[0]
    (form,) = page["/Resources"]["/XObject"].values()
    return form.get_object().get_data()


def _qr_forms(page) -> list[bytes]:
    xobjects = page["/Resources"]["/XObject"]
    return [x.get_object().get_data() for name, x in xobjects.items() if "qr" in name]


def _links(page) -> list[str]:
    return [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]


# --- printing -----------------------------------------------------------------------------------


def test_m16_a_households_questionnaire_prints_with_its_code_address_and_qr_link(
    signed_in, running, customer
):
    participant = participant_of(running, customer)
    response = signed_in("agent").get(url("survey_paper_one", running, participant.pk))

    reader = _pdf(response)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    text = page.extract_text()
    assert participant.code in text
    assert customer.households.get().address in text
    assert running.title in text and "2026-06-21 10:00" in text  # the deadline, Shanghai time
    for question in running.questionnaire.questions.all():
        assert question.text in text  # in Chinese, the household's language
    assert "□" in text
    link = _link(participant)
    assert _links(page) == [link]
    # The QR drawn is the QR of that very link, not of another household's.
    assert _qr_forms(page) == [_reference_qr(link)]
    assert _reference_qr(link) != _reference_qr(link + "x")


def test_m16_an_offices_not_answered_households_print_in_one_file(
    signed_in, running, office, customer, neighbours
):
    services.response_submit(
        participant=participant_of(running, neighbours[0]),
        answers=full_answers(running),
        channel="link",
        now=NOW,
    )
    reader = _pdf(signed_in("director").get(url("survey_paper_office", running, office.pk)))

    texts = [page.extract_text() for page in reader.pages]
    expected = [participant_of(running, c) for c in (customer, neighbours[1])]
    assert len(reader.pages) == 2
    for page, participant in zip(reader.pages, expected, strict=True):
        assert participant.code in page.extract_text()
        assert _links(page) == [_link(participant)]
    assert not any(participant_of(running, neighbours[0]).code in t for t in texts)


def test_m16_printing_an_office_takes_as_many_queries_for_many_households(
    signed_in, running, office, make_customer, quality
):
    client = signed_in("agent")
    with count_queries() as first:
        client.get(url("survey_paper_office", running, office.pk))
    special = services.campaign_create(
        actor=quality, title="专项", year=2026, season="special", deadline=DEADLINE, now=NOW
    )
    for _n in range(5):
        make_customer()
    services.campaign_launch(actor=quality, campaign=special, now=NOW)
    with count_queries() as then:
        reader = _pdf(client.get(url("survey_paper_office", special, office.pk)))
    assert len(reader.pages) == 8
    same_queries(first, then)


def test_m16_more_households_than_a_file_holds_print_file_by_file(
    signed_in, running, office, customer, neighbours, monkeypatch
):
    from propdesk.surveys.views import campaigns as views

    monkeypatch.setattr(views, "PRINT_LIMIT", 2)
    client = signed_in("agent")
    too_many = client.get(url("survey_paper_office", running, office.pk), follow=True)
    assert "a file holds at most 2" in too_many.text
    first = _pdf(client.get(url("survey_paper_office", running, office.pk), {"file": 1}))
    second = _pdf(client.get(url("survey_paper_office", running, office.pk), {"file": 2}))
    assert len(first.pages) == 2 and len(second.pages) == 1
    assert participant_of(running, neighbours[1]).code in second.pages[0].extract_text()


def test_m16_another_offices_household_does_not_print(signed_in, running, other_customer):
    other = participant_of(running, other_customer)
    assert signed_in("agent").get(url("survey_paper_one", running, other.pk)).status_code == 404


# --- typing paper questionnaires in -------------------------------------------------------------


def _typed(campaign, code, **changes) -> dict:
    """A whole questionnaire as typed: 4 on every satisfaction question, the second option of
    the single choice, the first and third of the multiple one, an opinion."""
    data = {"code": code}
    for q in campaign.questionnaire.questions.all():
        data[f"q{q.pk}"] = {"scale": "4", "choice": "2", "multi": "13"}.get(q.kind, "楼道灯坏了")
    return {**data, **changes}


def _question(campaign, position):
    return campaign.questionnaire.questions.get(position=position)


def test_m16_staff_type_in_a_paper_questionnaire_and_the_office_counts_it(
    signed_in, running, agent, customer, office
):
    client = signed_in("agent")
    participant = participant_of(running, customer)

    response = client.post(url("survey_enter", running), _typed(running, participant.code.lower()))

    assert response.status_code == 302 and response["Location"] == url("survey_enter", running)
    saved = Response.objects.get(participant=participant)
    assert saved.channel == Response.Channel.PAPER and saved.entered_by == agent
    choice, multi = _question(running, 10), _question(running, 11)
    assert saved.data[str(choice.pk)] == choice.options[1]["value"]
    assert saved.data[str(multi.pk)] == [multi.options[0]["value"], multi.options[2]["value"]]
    assert saved.opinion == "楼道灯坏了" and saved.score == 4
    assert CampaignOffice.objects.get(campaign=running, office=office).responses == 1
    page = client.get(url("survey_enter", running)).text
    assert f"Saved {participant.code}" in page
    assert "<strong>1</strong> questionnaire entered this session" in page
    assert "1 of 3 answered (33.3%)" in page
    assert 'autofocus aria-describedby="entry-household"' in page  # the next form: the code


def test_m16_the_desk_counts_each_form_of_the_session(signed_in, running, customer, neighbours):
    client = signed_in("director")
    for who in (customer, *neighbours):
        client.post(
            url("survey_enter", running), _typed(running, participant_of(running, who).code)
        )
    page = client.get(url("survey_enter", running)).text
    assert "<strong>3</strong> questionnaires entered this session" in page
    assert "3 of 3 answered (100.0%)" in page and "target reached" in page


def _refused(client, campaign, data, message, *, status=400):
    before = (Response.objects.count(), list(CampaignOffice.objects.values_list("responses")))
    response = client.post(url("survey_enter", campaign), data)
    assert response.status_code == status
    assert message in response.text
    assert (Response.objects.count(), list(CampaignOffice.objects.values_list("responses"))) == (
        before
    )
    assert (
        not Participant.objects.filter(responded_at__isnull=False)
        .exclude(response__isnull=False)
        .exists()
    )
    return response


def test_m16_an_unknown_code_is_refused_on_the_code(signed_in, running):
    response = _refused(
        signed_in("agent"),
        running,
        _typed(running, "CUIYUAN-99999"),
        "No household of this campaign has the code CUIYUAN-99999.",
    )
    assert 'value="CUIYUAN-99999"' in response.text  # what was typed stays


def test_m16_another_offices_household_is_refused_like_an_unknown_code(
    signed_in, running, other_customer
):
    code = participant_of(running, other_customer).code
    _refused(
        signed_in("agent"),
        running,
        _typed(running, code),
        f"No household of this campaign has the code {code.upper()}.",
    )


def test_m16_a_code_of_another_campaign_is_refused(signed_in, running, quality, make_customer):
    special = services.campaign_create(
        actor=quality, title="专项", year=2026, season="special", deadline=DEADLINE, now=NOW
    )
    newcomer = make_customer()
    services.campaign_launch(actor=quality, campaign=special, now=NOW)
    code = participant_of(special, newcomer).code
    assert not Participant.objects.filter(campaign=running, code=code).exists()
    _refused(
        signed_in("agent"),
        running,
        _typed(running, code),
        f"No household of this campaign has the code {code.upper()}.",
    )


def test_m16_a_household_that_answered_is_refused(signed_in, running, customer):
    participant = participant_of(running, customer)
    services.response_submit(
        participant=participant, answers=full_answers(running), channel="link", now=NOW
    )
    _refused(
        signed_in("agent"),
        running,
        _typed(running, participant.code),
        "This household has answered already.",
        status=409,
    )


def test_m16_a_missing_required_answer_is_refused_on_its_question(signed_in, running, customer):
    first = _question(running, 1)
    response = _refused(
        signed_in("agent"),
        running,
        _typed(running, participant_of(running, customer).code, **{f"q{first.pk}": ""}),
        "Question 1: this question needs an answer.",
    )
    assert f'name="q{first.pk}"' in response.text


@pytest.mark.parametrize(
    "position, typed, message",
    [
        (1, "7", "Question 1: choose from 1 (very dissatisfied) to 5 (very satisfied)."),
        (10, "9", "Type the option&#x27;s number as printed, from 1 to 4."),
        (10, "12", "Type one option&#x27;s number."),
        (11, "11", "Question 11: choose among the options, each once."),
    ],
)
def test_m16_an_answer_out_of_range_is_refused_on_its_question(
    signed_in, running, customer, position, typed, message
):
    question = _question(running, position)
    _refused(
        signed_in("agent"),
        running,
        _typed(running, participant_of(running, customer).code, **{f"q{question.pk}": typed}),
        message,
    )


def test_m16_a_form_typed_after_the_deadline_is_refused(signed_in, running, customer, clock):
    clock.move_to(DEADLINE + dt.timedelta(minutes=5), tick=False)
    client = signed_in("agent")
    assert "answers are no longer taken" in client.get(url("survey_enter", running)).text
    _refused(
        client,
        running,
        _typed(running, participant_of(running, customer).code),
        "The collection deadline has passed: answers are no longer taken.",
        status=409,
    )


def test_m16_the_code_lookup_shows_the_household_or_why_not(signed_in, running, customer):
    client = signed_in("agent")
    participant = participant_of(running, customer)
    found = client.get(url("survey_enter_lookup", running), {"code": participant.code})
    assert found.status_code == 200
    assert customer.households.get().address in found.text and 'data-ok="1"' in found.text
    unknown = client.get(url("survey_enter_lookup", running), {"code": "X-1"})
    assert unknown.status_code == 400 and 'data-ok="0"' in unknown.text
    services.response_submit(
        participant=participant, answers=full_answers(running), channel="link", now=NOW
    )
    answered = client.get(url("survey_enter_lookup", running), {"code": participant.code})
    assert answered.status_code == 400 and "has answered already" in answered.text


def test_m16_office_staff_type_in_whatever_the_campaigns_number(
    signed_in, clock, make_campaign, quality, customer, office
):
    """A campaign is the company's: its number is no office's (on a fresh database the first
    campaign and the first office share the number 1, which once hid this)."""
    make_campaign(launch=False, season="special", title="专项")
    campaign = make_campaign()
    assert campaign.pk != office.pk
    client = signed_in("agent")
    assert "/enter/" in client.get(url("survey_campaign", campaign)).text
    code = participant_of(campaign, customer).code
    assert client.post(url("survey_enter", campaign), _typed(campaign, code)).status_code == 302
    assert Response.objects.get(campaign=campaign).channel == Response.Channel.PAPER
