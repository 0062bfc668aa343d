"""The resident portal as a phone app (390×844): a fee waiting on the front page is answered in
two taps; finished work is rated four stars with a reason, with JavaScript off too; the tab bar
stays in sight with targets of at least 44 pixels. ``docs/screenshots/portal-home.png`` is the
front page in Chinese with a fee waiting, written when ``PROPDESK_SCREENSHOTS=1``."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from propdesk.tickets import services
from propdesk.tickets.models import Quote, Status

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WRITE_SCREENSHOTS = os.environ.get("PROPDESK_SCREENSHOTS", "").lower() in {"1", "true", "yes"}


def sign_in(page, live_server, customer):
    from importlib import import_module

    from propdesk.portal.auth import session_fields
    from propdesk.portal.models import PortalAccount

    account, _ = PortalAccount.objects.get_or_create(
        customer=customer, defaults={"phone": "+8613912345678"}
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update(session_fields(account))
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def quoted(make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="更换水龙头, 收费¥80"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    return ticket


@pytest.fixture
def completed(dispatched, technician):
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=dispatched, work_summary="更换了接头")


def test_a_fee_waiting_on_the_home_page_is_accepted_in_two_taps(
    live_server, open_page, customer, quoted
):
    page = open_page(390, 844)
    sign_in(page, live_server, customer)
    page.goto(f"{live_server.url}/portal/")
    waiting = page.locator("#waiting")
    expect(waiting).to_contain_text("Accept or decline the fee of ¥80.00")
    taps = 0
    waiting.get_by_role("link", name="Answer").click()
    taps += 1
    page.get_by_role("button", name="Accept the fee").click()
    taps += 1
    expect(page.get_by_role("status")).to_have_text("Thank you: your answer is recorded.")
    assert taps == 2
    assert Quote.objects.get().state == "accepted"
    page.get_by_role("link", name="Home").click()
    expect(page.locator("#waiting")).to_contain_text("Nothing waits for your answer.")


def test_the_tab_bar_stays_in_sight_with_large_targets(live_server, open_page, customer, quoted):
    page = open_page(390, 844)
    sign_in(page, live_server, customer)
    page.goto(f"{live_server.url}/portal/")
    bar = page.get_by_role("navigation", name="Main sections")
    expect(bar).to_be_visible()
    tabs = bar.get_by_role("link")
    expect(tabs).to_have_count(5)
    for i in range(5):
        box = tabs.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box
        assert box["y"] + box["height"] <= 844  # on the screen, at its foot
    page.mouse.wheel(0, 2000)
    expect(bar).to_be_in_viewport()
    bar.get_by_role("link", name="Me", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(customer.name)
    expect(page.get_by_role("combobox", name="Language")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_finished_work_is_rated_four_stars_with_a_reason(
    live_server, open_page, customer, completed, javascript
):
    first = open_page(390, 844)
    if javascript:
        page = first
    else:
        context = first.context.browser.new_context(
            viewport={"width": 390, "height": 844}, java_script_enabled=False
        )
        page = context.new_page()
    sign_in(page, live_server, customer)
    page.goto(f"{live_server.url}/portal/requests/{completed.pk}/")
    rate = page.locator("#rate")
    rate.locator(".stars label", has_text="4 stars").click()  # the fourth star
    rate.locator(".reasons label", has_text="On time").click()
    rate.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_have_text("Thank you: your answer is recorded.")
    completed.refresh_from_db()
    assert completed.status == Status.CLOSED
    assert (completed.stars, completed.satisfied, completed.satisfaction_reasons) == (
        4,
        True,
        ["on_time"],
    )
    if not javascript:
        context.close()


def test_the_home_page_in_chinese_with_a_fee_waiting(live_server, open_page, customer, quoted):
    page = open_page(390, 844, locale="zh-CN")
    sign_in(page, live_server, customer)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/portal/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#waiting .todo")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    if WRITE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "portal-home.png")
