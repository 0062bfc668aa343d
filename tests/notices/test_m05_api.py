"""M05 through the API: staff CRUD and actions; the customer's read endpoints."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from propdesk.notices import services
from propdesk.notices.models import Notice, NoticeAttachment, NoticeRead
from tests import factories as f
from tests.queries import max_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_api(api, director):
    api.force_authenticate(director)
    return api


NEW = {
    "category": "customer_notice",
    "title": "消防演习",
    "body": "本周五下午消防演习。",
    "scope": "office",
    "by_notification": True,
}


def test_m05_api_create_publish_and_the_lock(staff_api, office, customer):
    created = staff_api.post("/api/v1/notices/", NEW, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["office"] == office.pk and created.json()["state"] == "draft"
    edited = staff_api.patch(f"/api/v1/notices/{pk}/", {"title": "消防演练", "version": 1})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    published = staff_api.post(f"/api/v1/notices/{pk}/publish/", HTTP_IF_MATCH='"2"')
    assert published.status_code == 200 and published.json()["state"] == "published"
    locked = staff_api.patch(f"/api/v1/notices/{pk}/", {"title": "改", "version": 3}, format="json")
    assert locked.status_code == 409
    assert locked.json()["code"] == "notice_locked" and locked.json()["field"] == "body"
    assert Notice.objects.get().title == "消防演练"
    revised = staff_api.post(
        f"/api/v1/notices/{pk}/revise/",
        {"title": "消防演练", "body": "改到周六。", "version": 3},
        format="json",
    )
    assert revised.status_code == 200
    assert [r["number"] for r in revised.json()["revisions"]] == [2, 1]
    assert revised.json()["corrected_at"]


def test_m05_api_list_filters_and_query_count(staff_api, make_notice):
    for i in range(12):
        make_notice(title=f"通知{i}", category="government" if i % 3 else "handbook")
    with max_queries(6):
        answer = staff_api.get("/api/v1/notices/", {"category": "handbook", "state": "draft"})
    assert answer.json()["count"] == 4


@pytest.mark.parametrize(
    "change,field",
    [
        ({"title": ""}, "title"),
        ({"scope": "company"}, "scope"),  # a director may not; and needs no office
        ({"scope": "buildings"}, "buildings"),
    ],
)
def test_m05_api_bad_input_names_the_field(staff_api, change, field):
    answer = staff_api.post("/api/v1/notices/", {**NEW, **change}, format="json")
    assert answer.status_code in (400, 403)
    if answer.status_code == 400:
        assert answer.json()["field"] == field
    assert not Notice.objects.exists()


def test_m05_api_past_schedule_time(staff_api, make_notice):
    notice = make_notice()
    past = (timezone.now() - dt.timedelta(minutes=1)).isoformat()
    answer = staff_api.post(
        f"/api/v1/notices/{notice.pk}/schedule/", {"publish_at": past, "version": notice.version}
    )
    assert answer.status_code == 400 and answer.json()["field"] == "publish_at"
    notice.refresh_from_db()
    assert notice.state == "draft"


def test_m05_api_another_offices_notice_is_404(api, other_agent, make_notice):
    notice = make_notice()
    api.force_authenticate(other_agent)
    assert api.get(f"/api/v1/notices/{notice.pk}/").status_code == 404
    assert api.post(f"/api/v1/notices/{notice.pk}/publish/").status_code == 404


def test_m05_api_attachments(staff_api, make_notice):
    notice = make_notice()
    bad = SimpleUploadedFile("a.txt", b"hello")
    url = f"/api/v1/notices/{notice.pk}/attachments/"
    answer = staff_api.post(url, {"file": bad, "version": 1})
    assert answer.status_code == 400 and answer.json()["field"] == "file"
    good = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    assert staff_api.post(url, {"file": good, "version": 1}).status_code == 201
    assert NoticeAttachment.objects.count() == 1


def test_m05_api_removes_an_attachment_only_while_a_draft(staff_api, make_notice, director):
    notice = make_notice()
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    attachment = services.notice_attach(actor=director, notice=notice, upload=upload)
    second = services.notice_attach(
        actor=director, notice=notice, upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4 y")
    )
    url = f"/api/v1/notices/{notice.pk}/attachments/"
    assert staff_api.delete(f"{url}{attachment.pk}/", HTTP_IF_MATCH='"3"').status_code == 204
    assert staff_api.delete(f"{url}{attachment.pk}/", HTTP_IF_MATCH='"4"').status_code == 404
    services.notice_publish(actor=director, notice=notice)
    locked = staff_api.delete(f"{url}{second.pk}/", HTTP_IF_MATCH='"5"')
    assert locked.status_code == 409 and locked.json()["code"] == "notice_locked"
    assert list(notice.attachments.all()) == [second]


def test_m05_api_poster_pdf_in_chinese(staff_api, published):
    from io import BytesIO

    from pypdf import PdfReader

    answer = staff_api.get(f"/api/v1/notices/{published.pk}/poster/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(answer.content)).pages)
    assert "停水通知" in text


def test_m05_api_read_rate(staff_api, published, customer):
    services.notice_mark_read(notice=published, customer=customer)
    rate = staff_api.get(f"/api/v1/notices/{published.pk}/read-rate/").json()
    assert (rate["audience"], rate["read"]) == (1, 1) and rate["buildings"][0]["percent"] == 100.0


def test_m05_customer_api_sees_only_notices_in_scope_and_reads_once(
    customer_api, make_notice, director, other_office, customer
):
    mine = services.notice_publish(actor=director, notice=make_notice())
    other_director = f.UserFactory(role="director", office=other_office)
    theirs = services.notice_publish(
        actor=other_director, notice=make_notice(actor=other_director, office=other_office)
    )
    listed = customer_api.get("/api/v1/portal/notices/").json()
    assert [(n["id"], n["read"]) for n in listed["results"]] == [(mine.pk, False)]
    assert customer_api.get(f"/api/v1/portal/notices/{theirs.pk}/").status_code == 404
    for _ in range(2):
        assert customer_api.get(f"/api/v1/portal/notices/{mine.pk}/").status_code == 200
    assert NoticeRead.objects.filter(customer=customer).count() == 1
    listed = customer_api.get("/api/v1/portal/notices/").json()
    assert listed["results"][0]["read"] is True


def test_m05_customer_api_needs_a_customer_token(api, agent, published):
    api.force_authenticate(agent)
    assert api.get("/api/v1/portal/notices/").status_code in (401, 403)


def test_m05_api_a_change_without_a_version_is_428_and_changes_nothing(staff_api, make_notice):
    notice = make_notice()
    url = f"/api/v1/notices/{notice.pk}/"
    for method, path, body in (
        ("patch", url, {"title": "改"}),
        ("post", f"{url}publish/", {}),
        ("post", f"{url}schedule/", {"publish_at": "2099-01-01T08:00:00+08:00"}),
    ):
        answer = getattr(staff_api, method)(path, body, format="json")
        assert answer.status_code == 428, (path, answer.content)
        assert (answer.json()["code"], answer.json()["field"]) == ("version_required", "version")
    notice.refresh_from_db()
    assert (notice.state, notice.version) == ("draft", 1) and notice.title != "改"
