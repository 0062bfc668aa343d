"""M16 in a browser: the analysis page draws its ECharts charts from the figures (the pages read
the real clock, so the campaign's deadline is a moment from now)."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from propdesk.surveys.models import Participant
from tests.browser import conftest as browser

from .analysis_fixtures import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The browser tests' phone-sized page in Chromium (and the fixture it opens it with), as fixtures
# of this module.
open_page = browser.open_page
browser_page = browser.phone


def test_m16_the_analysis_page_draws_its_charts(
    live_server, browser_page, make_campaign, make_customer, office, quality
):
    now = timezone.now()
    for _ in range(3):
        make_customer(office=office)
    campaign = make_campaign(now=now, year=now.year, deadline=now + dt.timedelta(seconds=3))
    for i, participant in enumerate(Participant.objects.filter(campaign=campaign)):
        answer(campaign, participant, 3 + i, "电梯经常坏", now=now)
    time.sleep(max(0.0, (campaign.deadline - timezone.now()).total_seconds()) + 0.5)

    path = reverse("console:survey_analysis", args=[campaign.pk])
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}{reverse('login')}?next={path}")
    page.get_by_label("Username").fill(quality.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{path}")

    for chart in ("survey-areas-option", "survey-offices-option", "survey-questions-option"):
        drawn = page.locator(f'[data-chart="{chart}"]')
        expect(drawn).to_be_visible()
        expect(drawn.locator("canvas").first).to_be_attached()
    # The same figures in the tables under the charts.
    expect(page.locator("#areas table")).to_contain_text("66.7%")
