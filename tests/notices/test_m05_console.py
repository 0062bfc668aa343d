"""M05 in the console: list, drafts, schedule, publish with confirmation, lock, corrections,
archive, poster, read rate; and the 10,000-customer publish request."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from propdesk.core.models import Notification
from propdesk.notices import services
from propdesk.notices.models import Notice, NoticeAttachment
from tests.queries import count_queries, max_queries, same_queries

from .test_m05_fan_out import _residents

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, director):
    client.force_login(director)
    return client


def _form(**kwargs):
    data = {
        "category": "customer_notice",
        "title": "电梯检修",
        "body": "3号楼电梯周二检修。",
        "scope": "office",
        "by_board": "on",
        "by_network": "on",
    }
    data.update(kwargs)
    return data


def test_m05_console_create_edit_and_list(staff, director, office):
    response = staff.post(reverse("console:notice_new"), _form())
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.office == office
    assert notice.state == Notice.State.DRAFT and notice.created_by == director
    response = staff.post(reverse("console:notice_edit", args=[notice.pk]), _form(title="电梯维修"))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.title == "电梯维修"
    page = staff.get(reverse("console:notices"), {"q": "电梯", "state": "draft"})
    assert [n.pk for n in page.context["page"]] == [notice.pk]
    assert list(staff.get(reverse("console:notices"), {"state": "published"}).context["page"]) == []


def test_m05_console_list_queries_are_constant(staff, make_notice):
    for i in range(15):
        make_notice(title=f"通知{i}", pinned=bool(i % 2))
    with max_queries(9):
        page = staff.get(
            reverse("console:notices"), {"category": "customer_notice", "pinned": "true"}
        )
    assert len(page.context["page"]) == 7


def test_m05_console_bad_input_shows_the_error_and_changes_nothing(staff):
    response = staff.post(reverse("console:notice_new"), _form(title=" "))
    assert response.status_code == 400 and not Notice.objects.exists()
    response = staff.post(reverse("console:notice_new"), _form(scope="buildings"))
    assert response.status_code == 400
    assert "Choose at least one building." in response.content.decode()
    assert not Notice.objects.exists()


def test_m05_console_publish_asks_then_publishes_and_locks(staff, make_notice, customer):
    notice = make_notice(by_notification=True)
    confirm = staff.get(reverse("console:notice_publish", args=[notice.pk]))
    assert confirm.status_code == 200 and "1 customer will be notified" in confirm.content.decode()
    notice.refresh_from_db()
    assert notice.state == Notice.State.DRAFT
    assert staff.post(reverse("console:notice_publish", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.state == Notice.State.PUBLISHED
    # Editing in place: a message, and nothing changed.
    response = staff.post(reverse("console:notice_edit", args=[notice.pk]), _form(title="改"))
    assert response.status_code == 409
    assert "cannot be changed" in response.content.decode()
    response = staff.get(reverse("console:notice_edit", args=[notice.pk]), follow=True)
    assert "cannot be changed" in response.content.decode()
    notice.refresh_from_db()
    assert notice.title == "停水通知"


def test_m05_console_revision_history_and_archive(staff, published):
    response = staff.post(
        reverse("console:notice_revise", args=[published.pk]),
        {"title": "停水通知", "body": "改为周日。", "note": "日期有误"},
    )
    assert response.status_code == 302
    page = staff.get(reverse("console:notice", args=[published.pk])).content.decode()
    assert "日期有误" in page and "改为周日" in page
    assert staff.post(reverse("console:notice_archive", args=[published.pk])).status_code == 302
    published.refresh_from_db()
    assert published.state == Notice.State.ARCHIVED


def test_m05_console_schedule_in_the_past_is_refused(staff, make_notice):
    notice = make_notice()
    past = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = staff.post(
        reverse("console:notice_schedule", args=[notice.pk]), {"publish_at": past}
    )
    assert (
        response.status_code == 400 and "Choose a time in the future." in response.content.decode()
    )
    future = (timezone.localtime() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    staff.post(reverse("console:notice_schedule", args=[notice.pk]), {"publish_at": future})
    notice.refresh_from_db()
    assert notice.state == Notice.State.SCHEDULED


def test_m05_console_another_offices_notice_is_404(client, other_agent, make_notice):
    notice = make_notice()
    client.force_login(other_agent)
    for name in (
        "console:notice",
        "console:notice_edit",
        "console:notice_pdf",
        "console:notice_reads",
    ):
        assert client.get(reverse(name, args=[notice.pk])).status_code == 404


def test_m05_console_agent_may_not_publish(client, agent, make_notice):
    client.force_login(agent)
    notice = make_notice()
    assert client.post(reverse("console:notice_publish", args=[notice.pk])).status_code == 403
    notice.refresh_from_db()
    assert notice.state == Notice.State.DRAFT


def test_m05_console_attachments(staff, make_notice):
    notice = make_notice()
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = staff.post(reverse("console:notice_attach", args=[notice.pk]), {"file": bad})
    assert response.status_code == 400 and "Attach a PDF or an image" in response.content.decode()
    assert not NoticeAttachment.objects.exists()
    good = SimpleUploadedFile("rules.pdf", b"%PDF-1.4 rules", content_type="application/pdf")
    assert (
        staff.post(reverse("console:notice_attach", args=[notice.pk]), {"file": good}).status_code
        == 302
    )
    attachment = NoticeAttachment.objects.get()
    assert (
        staff.get(reverse("console:notice_file", args=[notice.pk, attachment.pk])).status_code
        == 200
    )
    # core.media serves an office's notice files within the office's scope too.
    assert staff.get(f"/media/{attachment.file.name}").status_code == 200


def test_m05_poster_pdf_has_the_chinese_title_and_body(staff, make_notice):
    notice = make_notice(body="因管道检修, 本周六停水。\n请提前储水。")
    response = staff.get(reverse("console:notice_pdf", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "停水通知" in text and "因管道检修" in text and "请提前储水" in text


def test_m05_read_rate_page(staff, published, customer, neighbour):
    services.notice_mark_read(notice=published, customer=customer)
    with max_queries(10):
        page = staff.get(reverse("console:notice_reads", args=[published.pk]))
    assert page.context["rate"].percent == 50.0
    assert sorted(r["rate"].read for r in page.context["rows"]) == [0, 1]


def test_m05_publish_request_to_10000_customers_is_constant(
    staff, make_notice, office, django_capture_on_commit_callbacks
):
    small_building, _ = _residents(office, 1)
    big_building, _ = _residents(office, 10_000)
    counts = []
    for building in (small_building, big_building):
        notice = make_notice(scope="buildings", buildings=[building], by_notification=True)
        with (
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            count_queries() as queries,
        ):
            response = staff.post(reverse("console:notice_publish", args=[notice.pk]))
        assert response.status_code == 302 and len(callbacks) == 1
        counts.append(queries)
    same_queries(*counts)
    assert not Notification.objects.exists()


def test_m05_console_buildings_are_chosen_by_community(staff, make_notice, building):
    notice = make_notice(scope="buildings", buildings=[building])
    page = staff.get(reverse("console:notice_edit", args=[notice.pk]))
    groups = page.context["form"].building_groups()
    assert [(label, len(boxes), chosen) for label, boxes, chosen in groups] == [
        (building.community.name, 1, True)
    ]
    html = page.content.decode()
    assert f'value="{building.pk}"' in html and "checked" in html
    answer = staff.post(
        reverse("console:notice_edit", args=[notice.pk]),
        _form(scope="buildings", buildings=[building.pk]),
    )
    assert answer.status_code == 302
    assert list(Notice.objects.get().buildings.all()) == [building]
