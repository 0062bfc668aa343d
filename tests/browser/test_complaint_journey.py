"""M19 on a phone: a customer files a complaint in the portal; the office cannot handle it and
passes it to the company with a reason, the company's corrective plan is carried out, and a
company department answers. The customer follows it on their complaint's page, sees it passed
to the company and then the outcome, and never reads the staff's reason. The pages fit a
375-pixel screen."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from propdesk.complaints.models import Complaint
from propdesk.complaints.services import handling
from propdesk.hotline.models import HotlineLine
from tests import factories as f
from tests.browser.test_portal_phone import assert_fits_the_phone, timeline

pytestmark = pytest.mark.browser

REASON = "涉及保洁外包合同, 办事处无权更换外包单位"  # for staff only


def test_m19_complaint_from_portal_through_escalation_to_answer(
    live_server, resident, customer, office, agent, quality, followup, tmp_path
):
    f.HotlineLineFactory(office=office, kind=HotlineLine.Kind.COMPLAINT, number="+8675588123456")
    photo = tmp_path / "rubbish.png"
    Image.new("RGB", (64, 48), "olive").save(photo)

    # The customer files it on their phone.
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
    due = timezone.localtime(complaint.first_response_due_at)
    expect(resident.get_by_role("heading", level=1)).to_have_text(complaint.ticket.number)
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

    # The office responds, then passes it to the company: it cannot handle it.
    handling.complaint_respond(
        actor=agent,
        complaint=complaint,
        understanding="非常理解您的心情, 给您添麻烦了",
        explanation="我们已联系保洁主管, 并将问题上报公司",
    )
    handling.complaint_escalate(actor=agent, complaint=complaint, reason=REASON)
    resident.reload()
    expect(main.locator("#complaint-state")).to_have_text("Being handled")
    expect(timeline(resident)).to_contain_text("我们已联系保洁主管, 并将问题上报公司")
    expect(timeline(resident)).to_contain_text("Complaint passed up to the company")
    expect(main).not_to_contain_text(REASON)
    assert_fits_the_phone(resident)

    # Quality issues the corrective plan, the office carries it out, Quality accepts and
    # resolves, and the follow-up specialist makes the company's contact with the customer.
    plan = handling.plan_issue(
        actor=quality,
        complaint=complaint,
        plan="更换保洁外包单位, 三号楼每日两次清运",
        due_at=timezone.now() + dt.timedelta(days=3),
    )
    handling.plan_report(actor=agent, plan=plan, report="已更换外包单位, 排班表已调整")
    handling.plan_accept(actor=quality, plan=plan)
    handling.complaint_resolve(
        actor=quality, complaint=complaint, resolution="楼道已清理消毒, 今后每日清运两次"
    )
    handling.complaint_answer(
        actor=followup,
        complaint=complaint,
        summary="公司回访: 向您致歉, 楼道已清理, 今后每日清运两次",
        satisfied=True,
    )

    resident.reload()
    expect(main.locator("#complaint-state")).to_have_text("Answered")
    expect(resident.locator("#answer")).to_contain_text(
        "公司回访: 向您致歉, 楼道已清理, 今后每日清运两次"
    )
    expect(resident.locator("#resolution")).to_contain_text("楼道已清理消毒, 今后每日清运两次")
    events = timeline(resident)
    expect(events).to_contain_text("Complaint passed up to the company")
    expect(events).to_contain_text("Complaint resolved")
    expect(events).to_contain_text("Customer contacted with the outcome")
    # The staff's reason, their notes and the company's plan stay internal.
    for internal in (REASON, "更换保洁外包单位", "已更换外包单位", "非常理解您的心情"):
        expect(main).not_to_contain_text(internal)
    assert_fits_the_phone(resident)

    # Their list says so too.
    resident.get_by_role("link", name="Your complaints").click()
    expect(resident.locator("main li", has_text=complaint.ticket.number)).to_contain_text(
        "Cleaning and greenery · Answered"
    )
    assert_fits_the_phone(resident)
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ANSWERED
    assert complaint.owner == Complaint.Owner.QUALITY
