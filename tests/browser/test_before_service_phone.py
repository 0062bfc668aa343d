"""Before service, on a phone: a customer reads a notice (M05) and opens the Service Guide (M06)."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from propdesk.guide import services as guide
from propdesk.notices import services as notices
from propdesk.notices.models import Notice, NoticeRead
from propdesk.org.models import HotlineLine
from tests import factories as f

pytestmark = pytest.mark.browser


def test_m05_a_customer_reads_a_notice_and_it_counts_as_read(
    live_server, resident, customer, household, director
):
    notice = notices.notice_publish(
        actor=director,
        notice=notices.notice_create(
            actor=director,
            scope=Notice.Scope.OFFICE,
            category=Notice.Category.CUSTOMER_NOTICE,
            title="停水通知",
            body="因管道检修, 本周六上午8点至12点停水, 请提前储水。",
        ),
    )
    resident.goto(f"{live_server.url}/portal/")
    resident.get_by_role("link", name="Notices").click()
    item = resident.locator("li.unread", has_text="停水通知")
    expect(item).to_contain_text("new")
    item.get_by_role("link", name="停水通知").click()
    expect(resident.locator("main")).to_contain_text("本周六上午8点至12点停水")
    assert NoticeRead.objects.filter(notice=notice, customer=customer).count() == 1
    resident.go_back()
    resident.reload()
    expect(resident.locator("li", has_text="停水通知")).not_to_have_class("unread")
    resident.get_by_role("link", name="停水通知").click()  # reading again counts once
    expect(resident.locator("main")).to_contain_text("本周六")
    assert NoticeRead.objects.filter(notice=notice, customer=customer).count() == 1


def test_m06_a_customer_opens_the_service_guide_pdf(
    live_server, resident, office, household, director, free_item, paid_item
):
    for kind, number in [
        (HotlineLine.Kind.COMPLAINT, "+8675586001001"),
        (HotlineLine.Kind.SERVICE, "+8675586002002"),
        (HotlineLine.Kind.DUTY, "+8675586003003"),
    ]:
        f.HotlineLineFactory(office=office, kind=kind, number=number)
    edition = guide.edition_publish(actor=director, office=office)
    resident.goto(f"{live_server.url}/portal/")
    # The guide is under the portal's Community tab.
    resident.get_by_role("link", name="Community", exact=True).click()
    resident.get_by_role("link", name="Service Guide").click()
    expect(resident.locator("main")).to_contain_text(paid_item.name)
    link = resident.get_by_text("Printable PDF")
    # What the phone gets when the customer taps it: the PDF, with their own session.
    answer = resident.request.get(live_server.url + link.get_attribute("href"))
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(answer.body())).pages)
    assert paid_item.name in text and free_item.name in text
    assert edition.number == 1
