"""M16 in the browser: a resident answers the June survey on a phone through the link in the SMS
the launch sent; office staff type a paper questionnaire in with the keyboard alone; the
campaign's page then shows the office past its 60% target, in green."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from propdesk.core.models import Notification
from propdesk.surveys import services
from propdesk.surveys.models import Campaign, CampaignOffice, Participant, Response
from tests import factories as f
from tests.browser.test_portal_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(quality, office, customer):
    """The June campaign over ``office``'s three households: 张伟 and two neighbours. Two
    answers reach the target (60% of 3 is 1.8). (The pages read the real clock.)"""
    f.CustomerFactory(office=office, name="王芳")
    f.CustomerFactory(office=office, name="李娜")
    now = timezone.now()
    created = services.campaign_create(
        actor=quality,
        title="2026年6月客户满意率调查",
        year=timezone.localtime(now).year,
        season=Campaign.Season.SPECIAL,
        deadline=now + dt.timedelta(days=20),
        now=now,
    )
    return services.campaign_launch(actor=quality, campaign=created, now=now)


@pytest.fixture
def desk(live_server, phone):
    """``desk(user, path)``: a desktop-sized page signed in to the console as ``user`` at
    ``path``, in a browser context of its own."""
    browser = phone.context.browser
    contexts = []

    def open_as(user, path):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('login')}?next={path}")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("pw")  # tests.factories.UserFactory's
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**{path}")
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_m16_a_resident_answers_by_phone_staff_type_in_paper_and_the_office_passes_60(
    live_server, phone, desk, campaign, customer, agent, quality, office
):
    # The invitation the launch sent by SMS carries the household's link.
    sms = Notification.objects.get(event="survey_invited", channel="sms", customer=customer)
    path = re.search(r"/s/[A-Za-z0-9_-]+/", sms.body)[0]

    phone.goto(f"{live_server.url}{path}")
    expect(phone.get_by_role("heading", level=1)).to_have_text(campaign.title)
    assert_fits_the_phone(phone)
    questions = list(campaign.questionnaire.questions.all())
    for question in questions:
        if question.kind == "scale":
            phone.locator(f"#question-{question.pk} input[value='5']").check()
        elif question.is_opinion:
            phone.locator(f"#question-{question.pk} textarea").fill("希望增加停车位")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you!")).to_be_visible()
    assert_fits_the_phone(phone)
    online = Response.objects.get(household=customer.households.get())
    assert online.channel == "link" and online.opinion == "希望增加停车位"

    # A neighbour's paper questionnaire, typed in without the mouse.
    paper = Participant.objects.filter(campaign=campaign, office=office, responded_at=None).first()
    page = desk(agent, reverse("console:survey_enter", args=[campaign.pk]))
    code = page.get_by_label("Questionnaire code")
    expect(code).to_be_focused()
    page.keyboard.type(paper.code)
    page.keyboard.press("Enter")
    expect(page.locator("#entry-household")).to_contain_text(paper.household.address)
    page.keyboard.type("443454345")  # the nine satisfaction questions, one digit each
    page.keyboard.type("2")  # how they contact us: the second option, and on by itself
    page.keyboard.type("13")  # what to improve first: the first and the third
    page.keyboard.press("Enter")
    page.keyboard.type("电梯经常故障")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(f"Saved {paper.code}")
    expect(page.locator("#entry-counters")).to_contain_text("1 questionnaire entered")
    expect(page.locator("#entry-counters")).to_contain_text("2 of 3 answered (66.7%)")
    expect(code).to_be_focused()  # ready for the next form
    typed = Response.objects.get(participant=paper)
    assert (typed.channel, typed.entered_by, typed.opinion) == ("paper", agent, "电梯经常故障")
    scores = [typed.data[str(q.pk)] for q in questions if q.kind == "scale"]
    assert scores == [4, 4, 3, 4, 5, 4, 3, 4, 5]
    choice, multi = (q for q in questions if q.kind in ("choice", "multi"))
    assert typed.data[str(choice.pk)] == choice.options[1]["value"]
    assert typed.data[str(multi.pk)] == [multi.options[0]["value"], multi.options[2]["value"]]

    # The campaign's page: the office is past its target, in green, since that answer.
    part = CampaignOffice.objects.get(campaign=campaign, office=office)
    assert part.responses == 2 and part.reached_at is not None
    board = desk(quality, reverse("console:survey_campaign", args=[campaign.pk]))
    row = board.locator(f"tr[data-office='{office.code}']")
    expect(row).to_contain_text("66.7%")
    expect(row).to_have_class("reached")
    expect(row.locator(".rate-bar")).to_have_class(re.compile(r"\bgreen\b"))
    expect(row).to_contain_text(timezone.localtime(part.reached_at).strftime("%Y-%m-%d %H:%M"))
