"""A technician works his order on a phone (M11): starts it from the top of the page, ticks the
steps in place with a note and a photo from the camera, and completes it with the final charge."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from propdesk.tickets import services
from propdesk.tickets.models import Channel, Kind, Status

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WRITE_SCREENSHOTS = os.environ.get("PROPDESK_SCREENSHOTS", "").lower() in {"1", "true", "yes"}
PHONE = (390, 844)
TAP = 44  # the smallest tap target, in CSS pixels


@pytest.fixture
def work_order(agent, technician, customer, free_item):
    ticket = services.ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="厨房水管漏水",
        item=free_item,
    )
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="明早上门")
    return services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)


@pytest.fixture
def paid_order(agent, technician, customer, paid_item):
    """A chargeable repair whose ¥80 fee the customer accepted, dispatched to ``technician``."""
    ticket = services.ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="卫生间地漏返水",
        item=paid_item,
    )
    ticket = services.ticket_confirm(actor=agent, ticket=ticket, confirmation="下午上门")
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])
    services.quote_record_answer(
        actor=agent, quote=ticket.quotes.get(), accepted=True, via="phone", answered_by_name="张伟"
    )
    ticket.refresh_from_db()
    return services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician)


def sign_in(page, live_server, url):
    page.goto(f"{live_server.url}{reverse('login')}?next={url}")
    page.fill("input[name=username]", "tech")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"**{url}")


def png_file(color="blue") -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "PNG")
    return {"name": "photo.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def main_frame_navigations(page) -> list:
    """The main frame's navigations from now on: a page load each, never an HTMX swap."""
    seen = []
    page.on(
        "framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None
    )
    return seen


def heights(locator) -> list[float]:
    return [locator.nth(i).bounding_box()["height"] for i in range(locator.count())]


def test_m11_technician_ticks_a_step_on_his_phone(live_server, phone, work_order, customer):
    url = reverse("console:workorder", args=[work_order.pk])
    sign_in(phone, live_server, url)

    assert customer.name in phone.inner_text("main")
    call = phone.locator("a.wo-call").first
    assert call.get_attribute("href") == "tel:+8613912345678"
    # Made for the phone: nothing sticks out sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    phone.locator("#wo-actions-top").get_by_role("button", name="Start work").click()
    phone.wait_for_url(f"**{url}")
    step = work_order.checklist.first()
    item = phone.locator(f"#step-{step.pk}")
    item.locator("textarea[name=note]").fill("已关闭总阀")
    item.get_by_role("button", name="Mark this step done").click()

    done = phone.locator(f"#step-{step.pk}.done")
    done.wait_for()
    assert "Done" in done.inner_text() and "已关闭总阀" in done.inner_text()
    step.refresh_from_db()
    assert step.done_at is not None


def test_m11_a_technician_starts_and_completes_his_order_on_a_phone(
    live_server, open_page, paid_order
):
    page = open_page(*PHONE)
    url = reverse("console:workorder", args=[paid_order.pk])
    sign_in(page, live_server, url)

    # Before the work starts: the start button is on the first screen, the steps folded.
    start = page.locator("#wo-actions-top").get_by_role("button", name="Start work")
    box = start.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE[1], "start is below the fold"
    assert box["height"] >= TAP
    bar = page.locator("nav.wo-bar")
    assert bar.get_by_role("button", name="Start work").bounding_box()["height"] >= TAP
    assert page.locator("textarea[name=note]").count() == 0  # nothing to tick yet
    fold = page.locator("details.wo-fold")
    assert fold.get_attribute("open") is None and "3 steps" in fold.inner_text()
    # Each step is numbered once: its own number, no list marker in front of it.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('ol.steps')).listStyleType")
        == "none"
    )
    fold.locator("summary").click()
    assert fold.locator("li").first.inner_text().strip() == "1. 上门查看"
    # The compact header: one line, no row of links.
    assert page.locator("header.topbar").bounding_box()["height"] <= 60
    assert not page.locator("ul.nav-links").is_visible()

    start.click()
    page.wait_for_url(f"**{url}")
    paid_order.refresh_from_db()
    assert paid_order.status == Status.IN_PROGRESS

    # The order's actions, at the top and in the bar that stays at the bottom: tap-sized.
    for where in (page.locator("#wo-actions-top .wo-btn"), bar.locator(".wo-btn")):
        assert where.count() == 3  # complete, hand back, extend
        assert min(heights(where)) >= TAP
    bar_box = bar.bounding_box()
    assert bar_box["y"] + bar_box["height"] == pytest.approx(PHONE[1], abs=1)  # stuck to the bottom

    # Ticking: each step saved in place, no page load, the page stays where it was scrolled.
    navigations = main_frame_navigations(page)
    page.evaluate("window.notReloaded = true")
    steps = list(paid_order.checklist.order_by("position"))
    for n, step in enumerate(steps):
        item = page.locator(f"#step-{step.pk}")
        item.locator("textarea[name=note]").fill(f"第{n + 1}步完成")
        if n == 0:
            file_input = item.locator("input[type=file]")
            assert file_input.get_attribute("accept") == "image/*"
            assert file_input.get_attribute("capture") == "environment"
            file_input.set_input_files(png_file())
        item.get_by_role("button", name="Mark this step done").click()
        page.locator(f"#step-{step.pk}.done").wait_for()
        assert f"第{n + 1}步完成" in page.locator(f"#step-{step.pk}").inner_text()
        # Not thrown back to the top: the step just ticked is still on the screen.
        box = page.locator(f"#step-{step.pk}").bounding_box()
        assert box["y"] < PHONE[1] and box["y"] + box["height"] > 0
        assert page.evaluate("window.scrollY") > 0
    assert navigations == [] and page.evaluate("window.notReloaded")
    assert page.locator("#wo-progress").inner_text() == "3/3"
    for step in steps:
        step.refresh_from_db()
        assert step.done_at is not None
    assert steps[0].photo and steps[0].note == "第1步完成"
    # The first step's photo is shown on the step and with completion.
    assert page.locator(f"#step-{steps[0].pk} img.thumb").count() == 1
    assert page.locator("#wo-photos img").count() == 1

    # Completion from the bar: the panel opens with the accepted fee as the final charge.
    bar.get_by_role("button", name="Complete").click()
    panel = page.locator("#action-complete")
    assert panel.is_visible()
    charge = panel.locator("input[name=final_charge]")
    assert charge.input_value() in {"80.00", "80"}
    panel.locator("textarea[name=work_summary]").fill("已疏通地漏, 更换存水弯")
    charge.fill("60")
    panel.get_by_role("button", name="Complete").click()
    page.wait_for_url(f"**{url}")
    assert "Work completed." in page.inner_text("main")
    assert "¥60.00" in page.inner_text("main")
    paid_order.refresh_from_db()
    assert paid_order.status == Status.COMPLETED
    assert str(paid_order.final_charge) == "60.00"
    assert page.locator("nav.wo-bar").count() == 0  # nothing left to do: the tabs again
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]


def test_a_refused_tick_says_why_next_to_the_step(live_server, open_page, paid_order, technician):
    page = open_page(*PHONE)
    url = reverse("console:workorder", args=[paid_order.pk])
    services.ticket_start(actor=technician, ticket=paid_order)
    sign_in(page, live_server, url)
    navigations = main_frame_navigations(page)
    step = paid_order.checklist.first()
    item = page.locator(f"#step-{step.pk}")
    item.locator("input[type=file]").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}
    )
    item.get_by_role("button", name="Mark this step done").click()
    page.get_by_text("The file is not a photo (JPEG, PNG, WebP or GIF).").wait_for()
    assert navigations == []
    step.refresh_from_db()
    assert step.done_at is None


def test_the_work_order_in_progress_in_chinese(live_server, open_page, paid_order, technician):
    """The work order in the company's language (and the README's screenshot of it)."""
    page = open_page(*PHONE, locale="zh-CN")
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    services.ticket_start(actor=technician, ticket=paid_order)
    first = paid_order.checklist.order_by("position").first()
    services.checklist_tick(
        actor=technician, ticket=paid_order, step_id=first.pk, note="已查看, 地漏堵塞"
    )
    url = reverse("console:workorder", args=[paid_order.pk])
    sign_in(page, live_server, url)
    with translation.override("zh-hans"):
        complete = translation.gettext("Complete")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    buttons = page.locator("nav.wo-bar .wo-btn")
    assert buttons.first.inner_text() == complete
    assert min(heights(buttons)) >= TAP
    # Nothing in the bar wraps onto a second line.
    assert max(heights(buttons)) < 2 * TAP
    if WRITE_SCREENSHOTS:
        page.screenshot(path=SCREENSHOTS / "workorder-phone.png")
