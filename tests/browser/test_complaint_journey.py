"""M19 across the portal and the console: a customer files a complaint on their phone; in the
console, on a desktop screen, the office responds and, unable to handle it, passes it to the
company with a reason; Quality issues a corrective plan, the office reports it done, Quality
accepts it and resolves the complaint, and the follow-up specialist gives the customer the
company's answer. The customer follows it on their complaint's page, sees it passed to the
company and then the outcome, and never reads the staff's reason. The portal's pages fit a
375-pixel screen."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from propdesk.complaints.models import Complaint, CorrectivePlan
from propdesk.org.models import HotlineLine
from tests import factories as f
from tests.browser.test_portal_phone import assert_fits_the_phone, timeline

pytestmark = pytest.mark.browser

REASON = "涉及保洁外包合同, 办事处无权更换外包单位"  # for staff only
UNDERSTANDING = "非常理解您的心情, 给您添麻烦了"
EXPLANATION = "我们已联系保洁主管, 并将问题上报公司"
PLAN = "更换保洁外包单位, 三号楼每日两次清运"
PLAN_REPORT = "已更换外包单位, 排班表已调整"
RESOLUTION = "楼道已清理消毒, 今后每日清运两次"
ANSWER = "公司回访: 向您致歉, 楼道已清理, 今后每日清运两次"


@pytest.fixture
def console(live_server, phone):
    """``console(user)``: a desktop-sized page (1280×800) in the phone's Chromium, in a browser
    context of its own, signed in to the console as ``user`` through the sign-in page and
    landed on the complaint desk."""
    browser = phone.context.browser
    contexts = []

    def sign_in(user):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        desk = reverse("console:complaints")
        page.goto(f"{live_server.url}{reverse('login')}?next={desk}")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("pw")  # tests.factories.UserFactory's
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**{desk}")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def open_from_desk(page, number, *, tab=None):
    """On the complaint desk (a tab of it, if given), open the complaint ``number``."""
    if tab:
        tabs = page.get_by_role("navigation", name="Complaints by state")
        tabs.get_by_role("link", name=tab).click()
        expect(tabs.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Complaint {number}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def act(page, name, label, fields=None, *, done):
    """Open the action ``name`` on the complaint's page, fill its fields (label → value), send
    it, and see the page say ``done``."""
    action = page.locator(f"#action-{name}")
    if not action.evaluate("details => details.open"):
        action.locator("summary").click()
    for field, value in (fields or {}).items():
        action.get_by_label(field, exact=True).fill(value)
    action.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status").filter(has_text=done)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


def test_m19_complaint_from_portal_through_escalation_to_answer(
    live_server, resident, console, customer, office, agent, quality, followup, tmp_path
):
    f.HotlineLineFactory(office=office, kind=HotlineLine.Kind.COMPLAINT, number="+8675588123456")
    photo = tmp_path / "rubbish.png"
    Image.new("RGB", (64, 48), "olive").save(photo)

    # 1. The customer files it on their phone.
    resident.goto(f"{live_server.url}/portal/complaints/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Your complaints")
    expect(resident.locator("main")).to_contain_text("You have not filed any complaints.")
    expect(resident.get_by_role("link", name="0755 8812 3456")).to_have_attribute(
        "href", "tel:+8675588123456"
    )
    assert_fits_the_phone(resident)
    resident.get_by_role("button", name="File a complaint").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("File a complaint")
    assert_fits_the_phone(resident)
    resident.get_by_label("What happened? Tell us in your own words.").fill(
        "三号楼楼道垃圾三天没人清理, 气味很大, 打电话也没人管"
    )
    resident.get_by_label("What is it about?").select_option(label="Cleaning and greenery")
    resident.get_by_label("Photos (up to 5)").set_input_files(photo)
    resident.get_by_role("button", name="Send the complaint").click()

    expect(resident).to_have_url(re.compile(r"/portal/complaints/\d+/$"))
    complaint = Complaint.objects.select_related("ticket").get()
    number = complaint.ticket.number
    due = timezone.localtime(complaint.first_response_due_at)
    expect(resident.get_by_role("heading", level=1)).to_have_text(number)
    expect(resident.get_by_role("status")).to_have_text(
        f"Received: we will respond by {due:%Y-%m-%d %H:%M}."
    )
    main = resident.locator("main")
    expect(main).to_contain_text("三号楼楼道垃圾三天没人清理")
    expect(main.locator("#complaint-state")).to_have_text("Received")
    expect(resident.get_by_role("img", name="Your photo 1")).to_be_visible()
    expect(timeline(resident)).to_contain_text("Request received")
    assert_fits_the_phone(resident)
    assert (complaint.state, complaint.ticket.channel) == (Complaint.State.RECEIVED, "portal")
    assert complaint.ticket.photos.count() == 1

    # 2. At the office's desk the agent opens it, responds, then passes it to the company: the
    # office cannot handle it.
    office_desk = console(agent)
    expect(office_desk.get_by_role("heading", level=1)).to_have_text("Complaint desk")
    open_from_desk(office_desk, number)
    expect(office_desk.locator("main")).to_contain_text("filed by the customer")
    act(
        office_desk,
        "respond",
        "Respond to the customer",
        {"How understanding was shown": UNDERSTANDING, "Explanation given": EXPLANATION},
        done="First response recorded.",
    )
    act(
        office_desk,
        "escalate",
        "Pass up a level",
        {"Why it is passed up": REASON},
        done="Complaint passed up.",
    )
    expect(office_desk.locator("hgroup")).to_contain_text(
        "Handled by: Quality Management Department"
    )
    escalations = office_desk.get_by_role("heading", name="Escalations").locator(
        "xpath=following-sibling::table[1]"
    )
    expect(escalations).to_contain_text(REASON)  # the staff read it
    expect(office_desk.locator("#action-resolve")).to_have_count(0)  # the company's now

    resident.reload()
    expect(main.locator("#complaint-state")).to_have_text("Being handled")
    expect(timeline(resident)).to_contain_text(EXPLANATION)
    expect(timeline(resident)).to_contain_text("Complaint passed up to the company")
    expect(main).not_to_contain_text(REASON)
    assert_fits_the_phone(resident)

    # 3. Quality finds it on the company's desk and issues the corrective plan.
    company_desk = console(quality)
    expect(company_desk.get_by_role("heading", level=1)).to_have_text("Company complaint desk")
    open_from_desk(company_desk, number)
    plan_due = timezone.localtime(timezone.now() + dt.timedelta(days=2))
    act(
        company_desk,
        "plan",
        "Issue a corrective plan",
        {"The corrective plan": PLAN, "To be done by": f"{plan_due:%Y-%m-%dT%H:%M}"},
        done="Corrective plan issued to the office.",
    )
    plans = company_desk.get_by_role("heading", name="Corrective plans").locator("..")
    expect(plans).to_contain_text("Issued to the office")
    expect(plans).to_contain_text(f"to be done by {plan_due:%Y-%m-%d %H:%M}")

    # 4. The office reports the plan done; Quality accepts it and resolves the complaint.
    office_desk.reload()
    act(
        office_desk,
        "plan_report",
        "Report the corrective plan done",
        {"What the office has done": PLAN_REPORT},
        done="The plan is reported done.",
    )
    company_desk.reload()
    expect(plans).to_contain_text("Reported done by the office")
    expect(plans).to_contain_text(PLAN_REPORT)
    act(
        company_desk,
        "plan_accept",
        "Accept the office's report",
        done="Corrective plan accepted.",
    )
    act(
        company_desk,
        "resolve",
        "Resolve",
        {"How the complaint was resolved": RESOLUTION},
        done="Complaint resolved: now contact the customer with the outcome.",
    )

    # 5. The follow-up specialist finds it among those to answer and records the call.
    followup_desk = console(followup)
    open_from_desk(followup_desk, number, tab="To answer")
    answer = followup_desk.locator("#action-answer")
    answer.locator("summary").click()
    expect(answer.get_by_label("The customer was reached")).to_be_checked()
    answer.get_by_label("Satisfied", exact=True).check()
    act(
        followup_desk,
        "answer",
        "Contact the customer with the outcome",
        {"What the customer was told": ANSWER},
        done="The customer's answer is recorded.",
    )
    expect(followup_desk.locator("dl.facts")).to_contain_text("Satisfied")

    # 6. The customer reads the outcome on their phone, and not the staff's notes.
    resident.reload()
    expect(main.locator("#complaint-state")).to_have_text("Answered")
    expect(resident.locator("#answer")).to_contain_text(ANSWER)
    expect(resident.locator("#resolution")).to_contain_text(RESOLUTION)
    events = timeline(resident)
    expect(events).to_contain_text("Complaint passed up to the company")
    expect(events).to_contain_text("Complaint resolved")
    expect(events).to_contain_text("Customer contacted with the outcome")
    # The staff's reason, their notes and the company's plan stay internal.
    for internal in (REASON, "更换保洁外包单位", "已更换外包单位", UNDERSTANDING):
        expect(main).not_to_contain_text(internal)
    assert_fits_the_phone(resident)

    # Their list says so too.
    resident.get_by_role("link", name="Your complaints").click()
    expect(resident.locator("main li", has_text=number)).to_contain_text(
        "Cleaning and greenery · Answered"
    )
    assert_fits_the_phone(resident)
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ANSWERED
    assert complaint.owner == Complaint.Owner.QUALITY
    assert complaint.answer_satisfied is True
    plan = complaint.plans.get()
    assert plan.state == CorrectivePlan.State.ACCEPTED
    assert (plan.issued_by, plan.reported_by, plan.decided_by) == (quality, agent, quality)
    assert timezone.localtime(plan.due_at).replace(second=0, microsecond=0) == plan_due.replace(
        second=0, microsecond=0
    )
    assert complaint.escalations.get().actor == agent
