"""M22 across the console and the portal: a director records the month's meeting with the owners'
committee (who came, the minutes, the opinion raised), turns the opinion into an improvement
action, and its owner reports progress; the committee's chair sees the action and its progress
in the portal on their phone. The portal's pages fit a 375-pixel screen."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from propdesk.committee import services
from propdesk.committee.models import Action, Meeting
from propdesk.org.models import Department
from tests.browser.test_portal_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser

OPINION = "3栋电梯经常停运"
ACTION = "更换3栋电梯控制板"
PROGRESS = "控制板已订货"


@pytest.fixture
def meeting(director, agent, office, customer):
    """Yesterday's planned meeting of ``office``'s committee, whose chair is ``customer``.
    (The pages read the real clock, so the dates follow it.)"""
    today = timezone.localdate()
    committee = services.committee_create(
        actor=director,
        office=office,
        name="翠苑业主委员会",
        established_on=today - dt.timedelta(days=400),
    )
    services.seat_add(
        actor=director,
        committee=committee,
        customer=customer,
        kind="member",
        role="chair",
        term_from=today - dt.timedelta(days=400),
    )
    Department.objects.create(
        company=office.company, office=office, kind=Department.Kind.ENGINEERING, name="工程部"
    )
    planned_for = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
    return services.meeting_plan(
        actor=agent,
        committee=committee,
        planned_for=planned_for,
        place="会所二楼会议室",
        agenda="电梯维保情况",
    )


def sign_in(live_server, browser, user, path):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}?next={path}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw")  # tests.factories.UserFactory's
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{path}")
    return page


def test_m22_a_director_records_a_meeting_and_a_member_follows_its_action(
    live_server, resident, director, agent, meeting
):
    browser = resident.context.browser
    path = reverse("console:committee_meeting", args=[meeting.pk])
    desk = sign_in(live_server, browser, director, path)
    expect(desk.locator("#state")).to_have_text("Planned")
    desk.get_by_label(director.display_name).check()
    desk.get_by_label("张伟 · Chair").check()
    desk.get_by_label("Minutes").fill("通报电梯维保情况，听取业委会意见。")
    desk.get_by_label("Opinions raised").fill(OPINION)
    desk.get_by_role("button", name="Save the minutes").click()
    expect(desk.locator("#state")).to_have_text("Held")
    expect(desk.locator("#items")).to_contain_text(OPINION)

    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    form = desk.locator("form.act-form")
    form.get_by_label("Action").fill(ACTION)
    form.get_by_label("Owner").select_option(label=agent.display_name)
    form.get_by_label("Department").select_option(label="工程部")
    form.get_by_label("Due on").fill(due)
    form.get_by_role("button", name="Set the action").click()
    expect(desk.locator("#items")).to_contain_text(ACTION)
    desk.context.close()

    action = Action.objects.get()
    assert Meeting.objects.get().state == "held" and action.owner == agent
    owner = sign_in(
        live_server, browser, agent, reverse("console:committee_action", args=[action.pk])
    )
    owner.get_by_label("Progress", exact=True).fill(PROGRESS)
    owner.get_by_label("Progress (%)").fill("40")
    owner.get_by_role("button", name="Report progress").click()
    expect(owner.locator("#updates")).to_contain_text(PROGRESS)
    owner.context.close()

    resident.goto(f"{live_server.url}/portal/committee/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Owners' committee")
    item = resident.locator("#actions li", has_text=ACTION)
    expect(item).to_contain_text("40%")
    assert_fits_the_phone(resident)
    item.get_by_role("link", name=ACTION).click()
    expect(resident.locator("#updates")).to_contain_text(PROGRESS)
    expect(resident.locator("main")).to_contain_text(OPINION)
    assert_fits_the_phone(resident)
