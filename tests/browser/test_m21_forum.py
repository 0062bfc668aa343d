"""M21 on a phone: a resident posts in their community's forum from a phone-sized page, the
service center answers officially, and the resident reads the reply, marked as official. The
forum's pages fit a 375-pixel screen and need no JavaScript of their own."""

import pytest
from playwright.sync_api import expect

from propdesk.forum import services
from propdesk.forum.models import Post
from tests.browser.test_portal_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser


def test_m21_a_resident_posts_from_a_phone_and_reads_the_official_reply(
    live_server, resident, customer, agent
):
    resident.goto(f"{live_server.url}/portal/forum/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Forum")
    expect(resident.locator("main")).to_contain_text("No posts here yet.")
    assert_fits_the_phone(resident)

    resident.get_by_role("button", name="New post").click()  # a link styled as one
    expect(resident.get_by_role("heading", level=1)).to_have_text("New post")
    resident.get_by_label("Topic").select_option("repairs")
    resident.get_by_label("Title").fill("楼道灯坏了")
    resident.get_by_label("Text").fill("5栋2单元三楼楼道灯不亮, 有事请打 13912345678")
    assert_fits_the_phone(resident)
    resident.get_by_role("button", name="Post", exact=True).click()

    expect(resident.get_by_role("status")).to_have_text("Your post is in the forum.")
    expect(resident.get_by_role("heading", level=1)).to_have_text("楼道灯坏了")
    # The phone number is personal data: masked where the public reads it.
    expect(resident.locator("#post-text")).to_contain_text("139****5678")
    expect(resident.locator("#post-text")).not_to_contain_text("13912345678")
    expect(resident.locator("main")).to_contain_text("The service center will reply officially.")

    post = Post.objects.get(author=customer)
    services.post_route(actor=agent, post=post, office=post.office)
    services.post_answer(actor=agent, post=post, text="已安排电工今天下午更换灯管。")

    resident.reload()
    official = resident.locator("#official")
    expect(official).to_contain_text("Official reply")
    expect(official).to_contain_text("已安排电工今天下午更换灯管。")
    assert_fits_the_phone(resident)

    resident.get_by_role("link", name="Forum").first.click()
    item = resident.locator("article", has_text="楼道灯坏了").first
    expect(item).to_contain_text("Answered officially")
    assert_fits_the_phone(resident)
