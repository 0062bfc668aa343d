"""M25 in the browser: a director signs in, lands on this week's board of his office above his
work, sees the deadline measure red, opens the office's board (its trends drawn by ECharts) and
the requests behind the red figure."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from propdesk.tickets.models import Channel, Kind, Status, Ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def late_request(customer):
    """A repair completed a minute after its deadline (the pages read the real clock)."""
    now = timezone.now()
    return Ticket.objects.create(
        number="R-LATE-1",
        office=customer.office,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        status=Status.CLOSED,
        description="卫生间漏水",
        due_at=now - dt.timedelta(minutes=2),
        completed_at=now - dt.timedelta(minutes=1),
    )


def test_m25_a_director_lands_on_his_board_and_opens_the_cases_behind_red(
    live_server, phone, director, late_request
):
    browser = phone.context.browser
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Username").fill(director.username)
    page.get_by_label("Password").fill("pw")  # tests.factories.UserFactory's
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator("#board-summary")
    expect(summary).to_contain_text("this week")
    red = summary.locator("li.red", has_text="Requests done within the customer's deadline")
    expect(red).to_contain_text("0.0%")
    summary.get_by_role("button", name="The whole board").click()

    page.wait_for_url(f"**{reverse('console:board_office', args=[director.office_id])}")
    row = page.locator("#measure-m09_deadline_kept")
    expect(row).to_have_class("red")
    expect(row.locator(".badge.red")).to_have_text("Target missed")
    expect(row.locator("[data-chart-drawn]")).to_be_visible()  # the trend, drawn by ECharts
    row.get_by_role("link", name="What missed").click()

    expect(page.locator("h1")).to_contain_text("Requests done within the customer's deadline")
    expect(page.locator("h1")).to_have_attribute("title", "Manual rule M09")
    case = page.locator("tr.case")
    expect(case).to_have_count(1)
    expect(case).to_contain_text("R-LATE-1")
    context.close()
