"""M05: the notice's life, its lock after publishing, revisions, reads and the rate."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.core.jobs import run_job
from propdesk.notices import selectors, services
from propdesk.notices.models import Notice, NoticeAttachment, NoticeRead
from tests import factories as f

pytestmark = pytest.mark.django_db
S = Notice.Scope


def _visible_to(customer) -> set:
    return set(selectors.notices_for_customer(customer).values_list("pk", flat=True))


def test_m05_scope_company_office_buildings_for_customers(
    make_notice, director, quality, customer, neighbour, other_customer, building, office
):
    company = services.notice_publish(actor=quality, notice=make_notice(scope=S.COMPANY))
    mine = services.notice_publish(actor=director, notice=make_notice(office=office))
    block = services.notice_publish(
        actor=director, notice=make_notice(scope=S.BUILDINGS, buildings=[building])
    )
    assert _visible_to(customer) == {company.pk, mine.pk, block.pk}
    assert _visible_to(neighbour) == {company.pk, mine.pk}
    assert _visible_to(other_customer) == {company.pk}
    assert set(selectors.audience_customers(block)) == {customer}
    with pytest.raises(NotFound):
        selectors.notice_for_customer(neighbour, block.pk)


def test_m05_drafts_and_board_only_notices_are_not_shown_to_customers(
    make_notice, director, customer
):
    make_notice()
    board = make_notice(by_network=False, by_notification=False)
    services.notice_publish(actor=director, notice=board)
    assert _visible_to(customer) == set()


def test_m05_published_text_is_locked(published, director):
    with pytest.raises(Conflict) as err:
        services.notice_update(actor=director, notice=published, title="改")
    assert err.value.code == "notice_locked"
    published.refresh_from_db()
    assert published.title == "停水通知"


def test_m05_corrections_are_revisions_with_history(published, director):
    services.notice_revise(
        actor=director, notice=published, title="停水通知(更正)", body="改为周日停水。", note="日期"
    )
    published.refresh_from_db()
    assert published.title == "停水通知(更正)" and published.corrected_at is not None
    history = list(published.revisions.values_list("number", "title", "note"))
    assert history == [(2, "停水通知(更正)", "日期"), (1, "停水通知", "")]
    with pytest.raises(DomainError):  # the same text again is no correction
        services.notice_revise(
            actor=director, notice=published, title="停水通知(更正)", body="改为周日停水。"
        )


def test_m05_a_draft_cannot_be_revised(make_notice, director):
    with pytest.raises(Conflict):
        services.notice_revise(actor=director, notice=make_notice(), title="a", body="b")


def test_m05_read_once_and_read_rate(published, customer, neighbour, building):
    services.notice_mark_read(notice=published, customer=customer)
    services.notice_mark_read(notice=published, customer=customer)
    assert NoticeRead.objects.filter(notice=published).count() == 1
    rate = selectors.read_rate(published)
    assert (rate.audience, rate.read, rate.percent) == (2, 1, 50.0)
    rows = {r["building"]: r["rate"] for r in selectors.read_rate_by_building(published)}
    mine = f"{building.community.name} {building.name}"
    assert rows[mine].read == 1 and rows[mine].audience == 1
    assert sum(r.read for r in rows.values()) == 1 and len(rows) == 2


def test_m05_scheduled_notices_publish_at_their_time_once(make_notice, director, customer):
    now = timezone.now()
    notice = services.notice_schedule(
        actor=director, notice=make_notice(), publish_at=now + dt.timedelta(minutes=10), now=now
    )
    assert notice.state == Notice.State.SCHEDULED
    assert run_job("publish_due_notices", now=now).result == {"published": 0}
    later = now + dt.timedelta(minutes=15)
    assert run_job("publish_due_notices", now=later).result == {"published": 1}
    assert run_job("publish_due_notices", now=later).result == {"published": 0}
    notice.refresh_from_db()
    assert notice.state == Notice.State.PUBLISHED and notice.published_at == later
    assert notice.revisions.count() == 1


def test_m05_archive(published, director, customer):
    services.notice_archive(actor=director, notice=published)
    assert _visible_to(customer) == set()
    with pytest.raises(Conflict):
        services.notice_archive(actor=director, notice=published)


# --- bad input: a clear error and nothing changed ----------------------------------------------


def test_m05_past_schedule_time_is_refused(make_notice, director):
    notice = make_notice()
    with pytest.raises(DomainError) as err:
        services.notice_schedule(
            actor=director, notice=notice, publish_at=timezone.now() - dt.timedelta(hours=1)
        )
    assert err.value.field == "publish_at"
    notice.refresh_from_db()
    assert notice.state == Notice.State.DRAFT and notice.publish_at is None


@pytest.mark.parametrize("field", ["title", "body"])
def test_m05_empty_text_is_refused(make_notice, field):
    with pytest.raises(DomainError) as err:
        make_notice(**{field: "  "})
    assert err.value.field == field
    assert not Notice.objects.exists()


def test_m05_wrong_scope_combinations_are_refused(
    make_notice, quality, office, other_office, building
):
    other_building = f.BuildingFactory(community__office=other_office)
    cases = [
        ({"scope": S.COMPANY, "office": office}, "scope"),
        ({"scope": S.OFFICE, "office": office, "buildings": [building]}, "buildings"),
        ({"scope": S.BUILDINGS, "office": office}, "buildings"),
        ({"scope": S.BUILDINGS, "office": office, "buildings": [other_building]}, "buildings"),
        ({"scope": "street"}, "scope"),
        ({"scope": S.OFFICE}, "office"),  # quality has no office of his own
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as err:
            make_notice(actor=quality, **kwargs)
        assert err.value.field == field, kwargs
    assert not Notice.objects.exists()


def test_m05_no_channel_is_refused(make_notice):
    with pytest.raises(DomainError) as err:
        make_notice(by_board=False, by_network=False, by_notification=False)
    assert err.value.field == "by_network"


def test_m05_another_offices_notice_is_not_found(make_notice, other_agent, agent):
    notice = make_notice()
    assert selectors.notice_get(agent, notice.pk) == notice
    with pytest.raises(NotFound):
        selectors.notice_get(other_agent, notice.pk)


def test_m05_company_notices_are_seen_by_every_office(make_notice, other_agent):
    notice = make_notice(scope=S.COMPANY)
    assert selectors.notice_get(other_agent, notice.pk) == notice


def test_m05_attachments_pdf_or_image_only(make_notice, director):
    notice = make_notice()
    pdf = SimpleUploadedFile("rules.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    services.notice_attach(actor=director, notice=notice, upload=pdf)
    exe = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    with pytest.raises(DomainError) as err:
        services.notice_attach(actor=director, notice=notice, upload=exe)
    assert err.value.code == "bad_attachment" and err.value.field == "file"
    assert NoticeAttachment.objects.filter(notice=notice).count() == 1


def test_m05_attachment_too_large(make_notice, director, settings):
    settings.PROPDESK_MAX_PHOTO_BYTES = 10
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 20)
    with pytest.raises(DomainError) as err:
        services.notice_attach(actor=director, notice=make_notice(), upload=upload)
    assert err.value.code == "file_too_large"
    assert not NoticeAttachment.objects.exists()


# --- who may do what ---------------------------------------------------------------------------


ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin_user"]
MAY = {
    # (action, scope): roles that may
    ("create", S.OFFICE): {"agent", "director", "quality", "admin_user"},
    ("create", S.COMPANY): {"quality", "admin_user"},
    ("publish", S.OFFICE): {"director", "quality", "admin_user"},
    ("publish", S.COMPANY): {"quality", "admin_user"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action,scope", list(MAY))
def test_m05_permission_matrix(request, role, action, scope, office, make_notice):
    user = request.getfixturevalue(role)
    office_arg = {"office": office} if scope == S.OFFICE else {}

    def act():
        if action == "create":
            return make_notice(actor=user, scope=scope, **office_arg)
        return services.notice_publish(actor=user, notice=make_notice(scope=scope, **office_arg))

    if role in MAY[(action, scope)]:
        act()
    else:
        with pytest.raises(Forbidden):
            act()


def test_m05_another_offices_staff_may_not_act(make_notice, other_agent, office):
    with pytest.raises(Forbidden):
        make_notice(actor=other_agent, office=office)
    notice = make_notice()
    with pytest.raises(Forbidden):
        services.notice_update(actor=other_agent, notice=notice, title="x")
