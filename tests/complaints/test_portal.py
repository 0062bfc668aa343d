"""M17, M19, M23 in the resident portal: the customer files a complaint in their own words, with
photos, and follows it to the answer; they read its progress, never the staff's notes."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from propdesk.complaints.models import Complaint
from propdesk.complaints.services import handling, intake
from propdesk.org.models import HotlineLine
from propdesk.tickets.models import Ticket, TicketPhoto
from tests import factories as f
from tests.queries import count_queries, max_queries

from .conftest import NOW

pytestmark = pytest.mark.django_db
S = Complaint.State
NEW = "/portal/complaints/new/"
REASON = "保洁外包合同纠纷, 办事处无权处理"  # an escalation's reason: for staff only


@pytest.fixture(autouse=True)
def _clock(time_machine):
    """The pages read the clock: it stands at NOW."""
    time_machine.move_to(NOW, tick=False)


def at(hours):
    return NOW + dt.timedelta(hours=hours)


def text(response) -> str:
    return response.content.decode()


def png(name="a.png"):
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def local(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def by_customer(customer, *, account="楼道垃圾三天没人清理", now=NOW, **kw):
    kw.setdefault("category", Complaint.Category.ENVIRONMENT)
    return intake.complaint_file_by_customer(customer=customer, account=account, now=now, **kw)


def page_of(complaint):
    return reverse("portal:complaint", args=[complaint.pk])


@pytest.fixture
def line(office):
    return f.HotlineLineFactory(
        office=office, kind=HotlineLine.Kind.COMPLAINT, number="+8675588123456"
    )


def nothing_written():
    return not (
        Complaint.objects.exists() or Ticket.objects.exists() or TicketPhoto.objects.exists()
    )


# --- the list ---------------------------------------------------------------------------------


def test_m17_the_list_shows_the_customers_own_complaints_and_the_complaint_line(
    portal, customer, other_customer, office, other_office, line
):
    mine = by_customer(customer)
    neighbour = by_customer(f.CustomerFactory(office=office), account="邻居装修噪音")
    elsewhere = by_customer(other_customer, account="电梯故障")
    f.HotlineLineFactory(
        office=other_office, kind=HotlineLine.Kind.COMPLAINT, number="+8675588999999"
    )

    page = portal.get(reverse("portal:complaints"))
    body = text(page)
    assert page.status_code == 200
    assert mine.ticket.number in body and page_of(mine) in body
    assert "Cleaning and greenery" in body and "Received" in body
    assert "2026-06-01 10:00" in body  # when it was filed, in Shanghai
    for other in (neighbour, elsewhere):
        assert other.ticket.number not in body and page_of(other) not in body
    assert f'href="{NEW}"' in body and "File a complaint" in body
    # They may call the complaint line of their own office instead.
    assert 'href="tel:+8675588123456"' in body and "0755 8812 3456" in body
    assert "+8675588999999" not in body


def test_m23_the_list_says_each_state_in_plain_words(portal, customer, agent):
    received = by_customer(customer, account="一")
    handled = by_customer(customer, account="二")
    handling.complaint_respond(
        actor=agent, complaint=handled, understanding="理解", explanation="已安排", now=at(1)
    )
    resolved = by_customer(customer, account="三")
    handling.complaint_resolve(actor=agent, complaint=resolved, resolution="已清理", now=at(1))
    body = text(portal.get(reverse("portal:complaints")))
    for complaint, words in (
        (received, "Received"),
        (handled, "Being handled"),
        (resolved, "Resolved — we will contact you"),
    ):
        row = re.search(rf"{complaint.ticket.number}</strong></a>[^<]*", body).group(0)
        assert row.endswith(f"· {words}"), row


def test_m17_with_no_complaints_the_list_says_so(portal):
    body = text(portal.get(reverse("portal:complaints")))
    assert "You have not filed any complaints." in body
    assert "File a complaint" in body
    assert "complaint line" not in body  # the office has no complaint line set up


def test_m17_the_list_pages_and_its_queries_do_not_grow(portal, customer):
    def count():
        with count_queries() as queries:
            assert portal.get(reverse("portal:complaints")).status_code == 200
        return queries

    by_customer(customer, account="第0件")
    few = count()
    for i in range(1, 23):
        by_customer(customer, account=f"第{i}件")
    with max_queries(len(few)):
        page = portal.get(reverse("portal:complaints"))
    assert len(page.context["page"].object_list) == 20
    assert "Older" in text(page)
    second = portal.get(reverse("portal:complaints"), {"page": 2})
    assert len(second.context["page"].object_list) == 3


# --- filing one -------------------------------------------------------------------------------


def test_m17_the_form_offers_the_categories_and_a_key_against_double_filing(portal, line):
    body = text(portal.get(NEW))
    assert "What happened? Tell us in your own words." in body
    assert "Staff attitude" in body and "Quality of repairs" in body
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', body)
    assert 'name="household"' not in body  # one home: no need to ask
    assert 'href="tel:+8675588123456"' in body


def test_m17_a_customer_files_a_complaint_with_photos(portal, customer, household):
    response = portal.post(
        NEW,
        {
            "account": "维修师傅上门态度很差, 还把地板弄脏了",
            "category": Complaint.Category.ATTITUDE,
            "requested_deadline": local(at(48)),
            "photos": [png("a.png"), png("b.png")],
            "idempotency_key": "k-1",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == page_of(complaint)
    assert (complaint.customer, complaint.state, complaint.owner) == (
        customer,
        S.RECEIVED,
        Complaint.Owner.SERVICE_CENTER,
    )
    assert complaint.account == "维修师傅上门态度很差, 还把地板弄脏了"
    ticket = complaint.ticket
    assert (ticket.channel, ticket.created_by, ticket.household) == ("portal", None, household)
    assert ticket.requested_deadline == at(48) and ticket.photos.count() == 2
    assert not complaint.involves_compensation and complaint.compensation_claimed is None

    page = portal.get(response["Location"])
    body = text(page)
    # Heard within 24 hours: 10:00 the next day, in Shanghai.
    assert "Received: we will respond by 2026-06-02 10:00." in body
    assert "We will respond by 2026-06-02 10:00." in body
    assert "维修师傅上门态度很差" in body and "Staff attitude" in body
    for photo in ticket.photos.all():
        url = reverse("portal:complaint_photo", args=[complaint.pk, photo.pk])
        assert url in body
        served = portal.get(url)
        assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_m18_a_compensation_claim_is_filed_with_its_amount(portal, customer):
    response = portal.post(
        NEW,
        {
            "account": "楼上漏水泡坏了我家吊顶",
            "category": Complaint.Category.FACILITIES,
            "involves_compensation": "on",
            "compensation_claimed": "800",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.involves_compensation and complaint.compensation_claimed == Decimal("800.00")
    assert complaint.owner == Complaint.Owner.LEADERSHIP  # M18, at once
    body = text(portal.get(page_of(complaint)))
    assert "Received: we will respond by 2026-06-01 14:00." in body  # serious: four hours
    assert "Compensation claimed: ¥800.00" in body
    assert "Complaint passed up to the company" in body


def test_m17_a_customer_with_two_homes_says_which(portal, customer, household, office):
    second = f.HouseholdFactory(unit__building__community__office=office)
    customer.residences.create(household=second, kind=customer.kind)
    body = text(portal.get(NEW))
    assert 'name="household"' in body and second.address in body
    portal.post(
        NEW,
        {"account": "门禁坏了", "category": "security", "household": second.pk},
    )
    assert Complaint.objects.get().ticket.household == second


GOOD = {"account": "楼道灯坏了一周", "category": "facilities"}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"account": "  "}, "Tell us what happened, in your own words."),
        ({"category": ""}, "Choose what the complaint is about."),
        ({"compensation_claimed": "很多"}, "Enter an amount in yuan."),
        ({"compensation_claimed": "-5"}, "Enter an amount between 0 and 999,999.99 yuan."),
        ({"requested_deadline": local(at(-1))}, "The deadline must be in the future."),
        ({"photos": [png(f"{i}.png") for i in range(6)]}, "At most 5 photos."),
    ],
    ids=["no_account", "no_category", "bad_amount", "negative_amount", "past", "six_photos"],
)
def test_m17_bad_input_is_refused_with_a_message_and_nothing_is_filed(
    portal, household, change, message
):
    response = portal.post(NEW, {**GOOD, "idempotency_key": "k-bad", **change})
    assert response.status_code == 400
    assert message in text(response)
    assert nothing_written()
    # The form comes back with what was typed and the same key, to send again once corrected.
    assert 'value="k-bad"' in text(response)


def test_m17_a_file_that_is_not_a_photo_is_refused(portal, household):
    bogus = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = portal.post(NEW, {**GOOD, "photos": [png(), bogus]})
    assert response.status_code == 400 and "The file is not a photo" in text(response)
    assert nothing_written()


def test_m17_the_same_form_sent_twice_files_one_complaint(portal, household):
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', text(portal.get(NEW))).group(1)
    first = portal.post(NEW, {**GOOD, "idempotency_key": key, "photos": [png()]})
    again = portal.post(NEW, {**GOOD, "idempotency_key": key, "photos": [png()]})
    complaint = Complaint.objects.get()
    assert first["Location"] == again["Location"] == page_of(complaint)
    assert Ticket.objects.count() == 1 and TicketPhoto.objects.count() == 1
    # A new form is a new key: a second complaint is a second complaint.
    other = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', text(portal.get(NEW))).group(1)
    assert other != key


# --- following it -----------------------------------------------------------------------------


def test_m19_the_page_shows_the_progress_but_never_the_internal_reason(
    portal, customer, agent, quality
):
    complaint = by_customer(customer)
    handling.complaint_respond(
        actor=agent,
        complaint=complaint,
        understanding="非常理解您的心情",
        explanation="已通知保洁主管, 今天下午处理",
        now=at(1),
    )
    handling.complaint_escalate(actor=agent, complaint=complaint, reason=REASON, now=at(2))
    handling.plan_issue(
        actor=quality, complaint=complaint, plan="更换保洁外包单位", due_at=at(72), now=at(3)
    )

    body = text(portal.get(page_of(complaint)))
    assert "Being handled" in body
    assert "To be resolved by 2026-06-04 10:00" in body
    assert "We will respond by" not in body  # responded already
    for seen in (
        "Request received",
        "Complaint heard: understanding shown and explained",
        "已通知保洁主管, 今天下午处理",  # what was said to them
        "Complaint passed up to the company",
    ):
        assert seen in body
    for internal in (REASON, "非常理解您的心情", "更换保洁外包单位", "Corrective plan"):
        assert internal not in body
    assert "How it was resolved" not in body and "Our answer" not in body


def test_m19_the_resolution_then_the_answer_appear(portal, customer, agent):
    complaint = by_customer(customer)
    handling.complaint_resolve(
        actor=agent, complaint=complaint, resolution="已清理并消毒, 调整保洁排班", now=at(3)
    )
    body = text(portal.get(page_of(complaint)))
    assert "Resolved — we will contact you" in body
    assert "How it was resolved" in body and "已清理并消毒, 调整保洁排班" in body
    assert "Our answer" not in body

    handling.complaint_answer(
        actor=agent,
        complaint=complaint,
        summary="电话告知已处理完毕, 今后每日抽查",
        satisfied=True,
        now=at(5),
    )
    body = text(portal.get(page_of(complaint)))
    assert re.search(r'<strong id="complaint-state">Answered</strong>', body)
    assert "Our answer" in body and "电话告知已处理完毕, 今后每日抽查" in body
    assert "Customer contacted with the outcome" in body
    assert "2026-06-01 15:00" in body  # when they were answered


def test_m23_a_reopened_complaint_no_longer_shows_the_old_outcome(portal, customer, agent):
    complaint = by_customer(customer)
    handling.complaint_resolve(actor=agent, complaint=complaint, resolution="已清理", now=at(3))
    handling.complaint_answer(
        actor=agent, complaint=complaint, summary="客户说还是很脏", satisfied=False, now=at(4)
    )
    body = text(portal.get(page_of(complaint)))
    assert "Being handled" in body
    assert "How it was resolved" not in body and "Our answer" not in body
    assert "Customer not satisfied with the answer: handling resumed" in body


def test_m17_another_customers_complaint_is_not_there(portal, customer, other_customer):
    theirs = by_customer(other_customer, photos=[png()])
    photo = theirs.ticket.photos.get()
    assert portal.get(page_of(theirs)).status_code == 404
    url = reverse("portal:complaint_photo", args=[theirs.pk, photo.pk])
    assert portal.get(url).status_code == 404
    mine = by_customer(customer)
    # Their photo, asked for through my own complaint, is not there either.
    assert (
        portal.get(reverse("portal:complaint_photo", args=[mine.pk, photo.pk])).status_code == 404
    )
    assert portal.get("/portal/complaints/999999/").status_code == 404


def test_m17_signed_out_the_pages_ask_to_sign_in(client, customer):
    complaint = by_customer(customer)
    for url in (reverse("portal:complaints"), NEW, page_of(complaint)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:login")
    response = client.post(NEW, GOOD)
    assert response.status_code == 302 and Complaint.objects.count() == 1


def test_m23_a_complaint_in_the_portals_request_list_opens_its_complaint_page(portal, customer):
    from rest_framework.test import APIClient

    from propdesk.portal.tokens import token_issue

    _token, raw = token_issue(account=customer.portal_account)
    customer_api = APIClient()
    customer_api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    complaint = intake.complaint_file_by_customer(
        customer=customer, account="保安态度差", category="attitude", now=timezone.now()
    )
    home = portal.get("/portal/")
    assert f"/portal/complaints/{complaint.pk}/" in home.content.decode()
    page = portal.get(f"/portal/requests/{complaint.ticket.pk}/")
    assert page.status_code == 302 and page["Location"] == f"/portal/complaints/{complaint.pk}/"
    rows = customer_api.get("/api/v1/portal/requests/").json()["results"]
    assert complaint.ticket.number not in [row["number"] for row in rows]


def test_m17_the_portal_gives_the_company_complaint_line_too(portal, customer):
    company = customer.office.company
    company.complaint_line = "+8675526880001"
    company.save()
    page = portal.get(reverse("portal:complaints")).content.decode()
    assert "tel:+8675526880001" in page and "0755 2688 0001" in page
