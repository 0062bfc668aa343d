"""M07 on a phone: a resident joins the waiting list of a full activity and gets the place when
the person holding it cancels. The activity pages fit a 375-pixel screen."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from propdesk.community import services
from propdesk.community.models import Activity, Registration
from tests import factories as f
from tests.browser.test_portal_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser


@pytest.fixture
def taken(agent, director, office):
    """An activity next week with one place, already taken by another resident: their
    registration. (The pages read the real clock, so the dates follow it.)"""
    starts_at = timezone.now() + dt.timedelta(days=7)
    activity = services.activity_create(
        actor=agent,
        kind=Activity.Kind.CULTURE,
        title="周末观影会",
        place="会所多功能厅",
        description="老电影放映, 备有茶点。",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        capacity=1,
    )
    services.activity_publish(actor=director, activity=activity, notify_customers=False)
    other = f.CustomerFactory(office=office, name="王芳")
    return services.register(activity=activity, customer=other)


def test_m07_a_resident_waits_for_a_place_and_gets_it(live_server, resident, customer, taken):
    activity = taken.activity
    resident.goto(f"{live_server.url}/portal/")
    resident.get_by_role("link", name="Community", exact=True).click()
    resident.locator("a.card", has_text="Activities").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Activities")
    item = resident.locator("#upcoming li", has_text="周末观影会")
    expect(item).to_contain_text("Full — waiting list")
    assert_fits_the_phone(resident)

    item.get_by_role("link", name="周末观影会").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("周末观影会")
    expect(resident.locator("main")).to_contain_text("老电影放映, 备有茶点。")
    assert_fits_the_phone(resident)
    resident.get_by_label("How many people (you included)?").select_option("1")
    resident.get_by_role("button", name="Join the waiting list").click()

    expect(resident.get_by_role("status")).to_have_text(
        "The activity is full: you are number 1 on the waiting list."
    )
    registration = resident.locator("#registration")
    expect(registration).to_contain_text("You are number 1 on the waiting list.")
    assert_fits_the_phone(resident)
    mine = Registration.objects.get(customer=customer)
    assert (mine.state, mine.channel, mine.seats) == ("waiting", "portal", 1)

    # The other resident cancels (by phone or in their own portal): the place moves up.
    services.registration_cancel(registration=taken, customer=taken.customer)
    resident.reload()

    expect(registration).to_contain_text("Your place is confirmed.")
    expect(resident.get_by_role("status")).to_have_count(0)  # the earlier message was shown once
    mine.refresh_from_db()
    assert mine.state == "confirmed" and mine.confirmed_at is not None

    # Their own list says so too; cancelling asks first, and that page fits as well.
    resident.get_by_role("link", name="Community", exact=True).click()
    resident.locator("a.card", has_text="Activities").click()
    expect(resident.locator("#upcoming li", has_text="周末观影会")).to_contain_text(
        "Registered: 1 place"
    )
    resident.goto(f"{live_server.url}/portal/activities/{activity.pk}/")
    resident.get_by_role("button", name="Cancel my registration").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Are you sure?")
    assert_fits_the_phone(resident)
