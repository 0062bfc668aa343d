"""A customer takes part in their own requests in the resident portal, on a phone.

They file a request with a photo and their deadline (M09), accept the fee before the work (M10),
confirm the result (M01: recorded as an after-service contact), or ask for rework (M15). The pages
fit a 375-pixel screen, in English and in Chinese; ``PROPDESK_SCREENSHOTS=1`` also writes the
README's screenshots of the portal (docs/screenshots/portal-*-phone.png).
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

from propdesk.tickets import services
from propdesk.tickets.models import Contact, Priority, Quote, Status, Ticket

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WRITE_SCREENSHOTS = os.environ.get("PROPDESK_SCREENSHOTS", "").lower() in {"1", "true", "yes"}
# What sticks out past the screen's right edge, to say why a page scrolls sideways.
STICKING_OUT = """() => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth)
    .map(e => e.outerHTML.slice(0, 100))"""


def assert_fits_the_phone(page):
    """Nothing sticks out sideways on a 375-pixel phone: the page never scrolls horizontally."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide: {page.evaluate(STICKING_OUT)}"


def choose(select, text: str):
    """Pick the one option that mentions ``text``, as a person scanning the list would."""
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))
    return option


def open_request(page, live_server, ticket):
    page.goto(f"{live_server.url}/portal/requests/{ticket.pk}/")
    expect(page.locator("main")).to_contain_text(ticket.number)  # under its name, the headline


def timeline(page, heading="What has happened"):
    return page.get_by_role("heading", name=heading).locator("xpath=following-sibling::ul[1]")


@pytest.fixture
def completed(dispatched, technician):
    """``dispatched``, with every procedure step done and the work completed."""
    for step in dispatched.checklist.all():
        services.checklist_tick(actor=technician, ticket=dispatched, step_id=step.pk)
    dispatched.refresh_from_db()
    return services.ticket_complete(actor=technician, ticket=dispatched, work_summary="更换了接头")


def test_m09_customer_files_a_request_with_a_photo_and_a_deadline(
    live_server, resident, customer, household, free_item, tmp_path
):
    photo = tmp_path / "leak.png"
    Image.new("RGB", (64, 48), "steelblue").save(photo)
    deadline = (timezone.localtime() + dt.timedelta(days=2)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )

    resident.goto(f"{live_server.url}/portal/")
    resident.get_by_role("button", name="New request").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("New request")
    resident.get_by_label("What is it about?").select_option(label="Something to repair")
    service = resident.get_by_label(re.compile(r"^Service"))
    expect(choose(service, free_item.name)).to_contain_text("Free")  # its fee standard (M10)
    resident.get_by_label("What do you need?").fill("卫生间地漏返水")
    resident.get_by_label("Done by (optional)").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    resident.get_by_label("Photos (up to 5)").set_input_files(photo)
    resident.get_by_role("button", name="Send", exact=True).click()

    expect(resident).to_have_url(re.compile(r"/portal/requests/\d+/$"))
    ticket = Ticket.objects.get()
    expect(resident.locator("main")).to_contain_text(ticket.number)
    expect(resident.get_by_role("status")).to_have_text(f"Request {ticket.number} received.")
    main = resident.locator("main")
    expect(main).to_contain_text("卫生间地漏返水")
    expect(main).to_contain_text(f"To be done by {deadline:%Y-%m-%d %H:%M}")
    expect(timeline(resident)).to_contain_text("Request received")

    assert (ticket.customer, ticket.household, ticket.item) == (customer, household, free_item)
    assert (ticket.kind, ticket.channel, ticket.created_by) == ("repair", "portal", None)
    assert ticket.status == Status.NEW
    assert ticket.requested_deadline == ticket.due_at == deadline
    stored = ticket.photos.get()  # exactly one photo, the one attached
    with stored.image.open("rb") as image, Image.open(image) as img:
        assert (img.format, img.size) == ("PNG", (64, 48))


def test_m10_customer_accepts_the_fee_in_the_portal(
    live_server, resident, make_ticket, agent, paid_item
):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="更换水龙头, 收费¥80"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}])

    open_request(resident, live_server, ticket)
    fee = resident.locator("article").filter(
        has=resident.get_by_role("heading", name="The fee, for your answer")
    )
    expect(fee).to_contain_text("水电维修 × 1 = ¥80.00")
    expect(fee).to_contain_text("Total: ¥80.00")
    expect(resident.locator("main")).to_contain_text("Awaiting fee acceptance")
    fee.get_by_role("button", name="Accept the fee").click()

    expect(resident.get_by_role("status")).to_have_text("Thank you: your answer is recorded.")
    expect(resident.locator("main")).to_contain_text("Fee accepted")
    expect(timeline(resident)).to_contain_text("Customer accepted the fee")
    expect(resident.get_by_role("heading", name="The fee, for your answer")).to_have_count(0)

    quote = Quote.objects.get()
    assert (quote.state, quote.answered_via, quote.answered_by_name) == (
        "accepted",
        "portal",
        "张伟",
    )
    assert quote.answered_at is not None and quote.recorded_by is None
    ticket.refresh_from_db()
    assert ticket.status == Status.ACCEPTED


def test_m01_customer_confirms_the_work_and_the_request_closes(
    live_server, resident, completed, customer
):
    open_request(resident, live_server, completed)
    expect(resident.locator("main")).to_contain_text("Completed")
    expect(timeline(resident)).to_contain_text("Work completed")
    answer = resident.locator("form").filter(has=resident.get_by_text("Your comment"))
    answer.locator(".stars label", has_text="5 stars").click()
    answer.get_by_label("Your comment").fill("师傅很专业")
    answer.get_by_role("button", name="Send", exact=True).click()

    expect(resident.get_by_role("status")).to_have_text("Thank you: your answer is recorded.")
    expect(resident.locator("main")).to_contain_text("Closed")
    expect(timeline(resident)).to_contain_text("Confirmed by the customer and closed")
    expect(resident.get_by_text("Is the work done to your satisfaction?")).to_have_count(0)

    completed.refresh_from_db()
    assert completed.status == Status.CLOSED and completed.closed_at is not None
    assert (completed.satisfied, completed.satisfaction_comment) == (True, "师傅很专业")
    # What the customer said is in their history: by the portal, after service, from them.
    said = Contact.objects.filter(ticket=completed).latest("at", "pk")
    assert (said.customer, said.channel, said.stage, said.direction, said.staff) == (
        customer,
        "portal",
        Contact.Stage.AFTER,
        Contact.Direction.INBOUND,
        None,
    )
    assert said.summary == "Satisfied (★★★★★): 师傅很专业"


def test_m15_unsatisfied_customer_asks_for_rework_and_sees_it(
    live_server, resident, completed, customer
):
    open_request(resident, live_server, completed)
    answer = resident.locator("form").filter(has=resident.get_by_text("Your comment"))
    answer.locator(".stars label", has_text="2 stars").click()
    answer.get_by_role("button", name="Send", exact=True).click()
    # Without saying what is wrong, nothing happens but a message.
    expect(resident.get_by_role("alert")).to_have_text(
        "Say what the customer is not satisfied with."
    )
    assert not Ticket.objects.filter(rework_of=completed).exists()

    answer = resident.locator("form").filter(has=resident.get_by_text("Your comment"))
    answer.locator(".stars label", has_text="2 stars").click()
    answer.get_by_label("Your comment").fill("接头还在滴水")
    answer.get_by_role("button", name="Send", exact=True).click()

    expect(resident.get_by_role("status")).to_have_text("Thank you: your answer is recorded.")
    expect(resident.locator("main")).to_contain_text("Reopened for rework")
    expect(timeline(resident)).to_contain_text("Customer not satisfied: reopened for rework")
    expect(timeline(resident)).to_contain_text("Rework order opened")

    rework = Ticket.objects.get(rework_of=completed)
    assert (rework.customer, rework.household_id) == (customer, completed.household_id)
    assert (rework.status, rework.priority) == (Status.DISPATCHED, Priority.HIGH)
    assert rework.due_at <= timezone.now() + dt.timedelta(hours=24)
    completed.refresh_from_db()
    assert completed.status == Status.REOPENED and completed.satisfied is False

    # The rework is among the customer's requests, and its page says what it is for.
    resident.get_by_role("link", name="Your requests").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Your requests")
    resident.get_by_role("link", name=rework.number).click()
    expect(resident.locator("main")).to_contain_text(rework.number)
    expect(resident.locator("main")).to_contain_text(f"Rework of {completed.number}: 接头还在滴水")
    expect(timeline(resident)).to_contain_text("Rework order opened")


@pytest.fixture
def paid_and_done(make_ticket, agent, technician, paid_item):
    """A paid repair taken through every step a customer sees, over an afternoon: received,
    confirmed, fee quoted and accepted in the portal, dispatched, completed."""
    start = timezone.now() - dt.timedelta(hours=5)

    def at(minutes):
        return start + dt.timedelta(minutes=minutes)

    ticket = make_ticket(item=paid_item, description="厨房水龙头关不紧, 一直滴水", now=at(0))
    ticket = services.ticket_confirm(
        actor=agent, ticket=ticket, confirmation="今天下午上门更换水龙头, 收费¥80", now=at(8)
    )
    quote, _token = services.quote_create(
        actor=agent, ticket=ticket, lines=[{"item": paid_item}], now=at(10)
    )
    services.quote_answer_by_customer(
        customer=ticket.customer, quote=quote, accepted=True, now=at(25)
    )
    ticket = services.ticket_dispatch(actor=agent, ticket=ticket, technician=technician, now=at(31))
    for step in ticket.checklist.all():
        services.checklist_tick(actor=technician, ticket=ticket, step_id=step.pk, now=at(150))
    ticket.refresh_from_db()
    return services.ticket_complete(
        actor=technician, ticket=ticket, work_summary="更换了水龙头", final_charge="80", now=at(170)
    )


def test_the_portal_fits_a_phone(live_server, resident, paid_and_done):
    for path, heading in [
        ("/portal/login/", "Sign in"),
        ("/portal/", "Hello, 张伟"),
        ("/portal/requests/new/", "New request"),
        (f"/portal/requests/{paid_and_done.pk}/", paid_and_done.item.name),
    ]:
        resident.goto(f"{live_server.url}{path}")
        expect(resident.get_by_role("heading", level=1)).to_have_text(heading)
        assert_fits_the_phone(resident)


def test_the_request_pages_fit_a_phone_in_chinese(live_server, resident, paid_and_done):
    """The request page a customer follows, and the form to file one, in the company's language
    (and the README's screenshots of them)."""
    resident.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    with translation.override("zh-hans"):
        timeline_heading = translation.gettext("What has happened")
        new_request = translation.gettext("New request")

    resident.goto(f"{live_server.url}/portal/")
    expect(resident.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_fits_the_phone(resident)

    open_request(resident, live_server, paid_and_done)
    # Received, confirmed, quoted, fee accepted, dispatched, completed.
    expect(timeline(resident, timeline_heading).locator("li")).to_have_count(6)
    assert_fits_the_phone(resident)
    if WRITE_SCREENSHOTS:
        resident.screenshot(path=SCREENSHOTS / "portal-request-phone.png", full_page=True)

    resident.goto(f"{live_server.url}/portal/requests/new/")
    expect(resident.get_by_role("heading", level=1)).to_have_text(new_request)
    assert_fits_the_phone(resident)
    if WRITE_SCREENSHOTS:
        # Filled in for the picture, found by the fields' names: this test is about the layout.
        form = resident.locator("main form")
        form.locator("select[name=kind]").select_option("repair")
        choose(form.locator("select[name=item]"), paid_and_done.item.name)
        form.locator("textarea[name=description]").fill("卫生间地漏返水, 有异味")
        deadline = form.locator("input[name=requested_deadline]")
        deadline.fill(f"{timezone.localtime() + dt.timedelta(days=1):%Y-%m-%d}T18:30")
        deadline.blur()
        resident.screenshot(path=SCREENSHOTS / "portal-new-request-phone.png")
