"""M05: two people on one notice. Every change raises the notice's version, and a change made
against an older one is refused (409, ``field`` ``version``) in the API and in the console,
changing nothing; what the API lists as ``allowed_actions`` is what the services accept."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from propdesk.core.errors import DomainError
from propdesk.core.jobs import run_job
from propdesk.notices import services
from propdesk.notices.lifecycle import NOTICES
from propdesk.notices.models import Notice, NoticeAttachment
from tests import factories as f

pytestmark = pytest.mark.django_db
S = Notice.State
STALE = "Someone else changed this notice meanwhile. Reload it and try again."


def _pdf(name="a.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode())


def _meanwhile(notice, actor) -> Notice:
    """Someone else changes the notice, without moving its state: its version goes up."""
    notice.refresh_from_db()
    if notice.is_locked:
        return services.notice_revise(
            actor=actor, notice=notice, title=notice.title, body=notice.body + " (更正)"
        )
    return services.notice_update(actor=actor, notice=notice, title=notice.title + "·")


def _version_of(notice) -> int:
    return Notice.objects.values_list("version", flat=True).get(pk=notice.pk)


# --- the version ------------------------------------------------------------------------------


def test_every_change_raises_the_version_by_one(make_notice, director):
    notice = make_notice()
    assert notice.version == 1
    later = timezone.now() + dt.timedelta(hours=1)
    steps = [
        lambda n: services.notice_update(actor=director, notice=n, title="停水通知(改)"),
        lambda n: services.notice_attach(actor=director, notice=n, upload=_pdf()),
        lambda n: services.notice_detach(actor=director, attachment=n.attachments.get()),
        lambda n: services.notice_schedule(actor=director, notice=n, publish_at=later),
        lambda n: services.notice_unschedule(actor=director, notice=n),
        lambda n: services.notice_publish(actor=director, notice=n),
        lambda n: services.notice_revise(actor=director, notice=n, title="更正", body="改为周日。"),
        lambda n: services.notice_archive(actor=director, notice=n),
    ]
    for expected, step in enumerate(steps, start=2):
        step(Notice.objects.get(pk=notice.pk))
        assert _version_of(notice) == expected


def test_the_scheduled_publication_raises_the_version(make_notice, director):
    now = timezone.now()
    notice = services.notice_schedule(
        actor=director, notice=make_notice(), publish_at=now + dt.timedelta(minutes=5), now=now
    )
    assert run_job("publish_due_notices", now=now + dt.timedelta(minutes=10)).result == {
        "published": 1
    }
    assert _version_of(notice) == notice.version + 1


def test_a_stale_version_is_refused_by_the_service_and_nothing_changes(make_notice, director):
    notice = make_notice()
    _meanwhile(notice, director)
    with pytest.raises(DomainError) as refused:
        services.notice_publish(actor=director, notice=notice, expected_version=1)
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        409,
        "stale_version",
        "version",
    )
    assert str(refused.value.message) == STALE
    notice.refresh_from_db()
    assert (notice.state, notice.version) == (S.DRAFT, 2)
    services.notice_publish(actor=director, notice=notice, expected_version=2)
    assert _version_of(notice) == 3


# --- the API ----------------------------------------------------------------------------------


@pytest.fixture
def staff_api(api, director):
    api.force_authenticate(director)
    return api


def _send(how: str, version: int) -> tuple[dict, dict]:
    """The version as the client sends it: in the body, or as If-Match (an ETag)."""
    if how == "body":
        return {"version": version}, {}
    return {}, {"HTTP_IF_MATCH": f'"{version}"'}


def _assert_stale(answer):
    assert answer.status_code == 409, answer.content
    body = answer.json()
    assert (body["code"], body["field"], body["detail"]) == ("stale_version", "version", STALE)


def test_api_detail_carries_the_version_as_etag_and_the_allowed_actions(staff_api, make_notice):
    notice = make_notice()
    answer = staff_api.get(f"/api/v1/notices/{notice.pk}/")
    assert answer.json()["version"] == 1 and answer["ETag"] == '"1"'
    assert answer.json()["allowed_actions"] == ["edit", "attach", "detach", "schedule", "publish"]


@pytest.mark.parametrize("how", ["body", "header"])
def test_api_stale_edit_is_refused_and_a_fresh_one_succeeds(staff_api, make_notice, agent, how):
    notice = make_notice()
    _meanwhile(notice, agent)  # the agent's edit: version 2
    body, headers = _send(how, 1)
    stale = staff_api.patch(
        f"/api/v1/notices/{notice.pk}/", {"title": "消防演练", **body}, format="json", **headers
    )
    _assert_stale(stale)
    notice.refresh_from_db()
    assert (notice.title, notice.version) == ("停水通知·", 2)
    body, headers = _send(how, 2)
    fresh = staff_api.patch(
        f"/api/v1/notices/{notice.pk}/", {"title": "消防演练", **body}, format="json", **headers
    )
    assert fresh.status_code == 200, fresh.json()
    assert (fresh.json()["title"], fresh.json()["version"], fresh["ETag"]) == ("消防演练", 3, '"3"')


@pytest.mark.parametrize("how", ["body", "header"])
def test_api_stale_publish_is_refused_and_a_fresh_one_succeeds(staff_api, make_notice, agent, how):
    notice = make_notice()
    _meanwhile(notice, agent)
    body, headers = _send(how, 1)
    _assert_stale(
        staff_api.post(f"/api/v1/notices/{notice.pk}/publish/", body, format="json", **headers)
    )
    notice.refresh_from_db()
    assert (notice.state, notice.version, notice.revisions.count()) == (S.DRAFT, 2, 0)
    body, headers = _send(how, 2)
    fresh = staff_api.post(f"/api/v1/notices/{notice.pk}/publish/", body, format="json", **headers)
    assert fresh.status_code == 200, fresh.json()
    assert (fresh.json()["state"], fresh.json()["version"]) == ("published", 3)
    assert fresh.json()["allowed_actions"] == ["revise", "archive"]


@pytest.mark.parametrize(
    "state,method,path",
    [
        (S.SCHEDULED, "post", "schedule/"),
        (S.SCHEDULED, "post", "unschedule/"),
        (S.PUBLISHED, "post", "revise/"),
        (S.PUBLISHED, "post", "archive/"),
        (S.DRAFT, "post", "attachments/"),
        (S.DRAFT, "delete", "attachments/{file}/"),
    ],
)
def test_api_every_other_change_refuses_a_stale_if_match(
    staff_api, make_notice, director, state, method, path
):
    notice = make_notice()
    attachment = services.notice_attach(actor=director, notice=notice, upload=_pdf())
    if state != S.DRAFT:
        publish_at = timezone.now() + dt.timedelta(days=1)
        services.notice_schedule(actor=director, notice=notice, publish_at=publish_at)
    if state == S.PUBLISHED:
        services.notice_publish(actor=director, notice=notice)
    seen = _version_of(notice)
    _meanwhile(notice, director)
    data = {
        "schedule/": {"publish_at": (timezone.now() + dt.timedelta(days=2)).isoformat()},
        "revise/": {"title": "停水通知", "body": "改为周日。"},
        "attachments/": {"file": _pdf("b.pdf")},
    }.get(path, {})
    url = f"/api/v1/notices/{notice.pk}/{path.format(file=attachment.pk)}"
    answer = getattr(staff_api, method)(url, data, HTTP_IF_MATCH=f'"{seen}"')
    _assert_stale(answer)
    assert _version_of(notice) == seen + 1
    assert Notice.objects.get(pk=notice.pk).state == state
    assert list(NoticeAttachment.objects.filter(notice=notice)) == [attachment]


def test_api_if_match_that_is_no_version_is_bad_input(staff_api, make_notice):
    notice = make_notice()
    answer = staff_api.post(f"/api/v1/notices/{notice.pk}/publish/", HTTP_IF_MATCH="abc")
    assert answer.status_code == 400 and answer.json()["field"] == "version"
    assert Notice.objects.get(pk=notice.pk).state == S.DRAFT


# --- the console ------------------------------------------------------------------------------


@pytest.fixture
def staff(client, director):
    client.force_login(director)
    return client


def _rendered_version(page) -> str:
    """The version a page's form carries in its hidden field."""
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', page.content.decode())
    assert found, "the form carries no version"
    return found.group(1)


def _form(notice, **changes) -> dict:
    data = {
        "category": notice.category,
        "title": notice.title,
        "body": notice.body,
        "scope": notice.scope,
        "by_board": "on",
        "by_network": "on",
    }
    return {**data, **changes}


def test_console_stale_edit_shows_the_refusal_and_changes_nothing(staff, make_notice, agent):
    notice = make_notice()
    url = reverse("console:notice_edit", args=[notice.pk])
    seen = _rendered_version(staff.get(url))
    assert seen == "1"
    _meanwhile(notice, agent)
    stale = staff.post(url, _form(notice, title="电梯维修", version=seen))
    assert stale.status_code == 409 and STALE in stale.content.decode()
    # The form keeps what was typed, and the version it was rendered with: reload to see.
    assert _rendered_version(stale) == "1" and "电梯维修" in stale.content.decode()
    notice.refresh_from_db()
    assert (notice.title, notice.version) == ("停水通知·", 2)
    seen = _rendered_version(staff.get(url))
    assert staff.post(url, _form(notice, title="电梯维修", version=seen)).status_code == 302
    notice.refresh_from_db()
    assert (notice.title, notice.version) == ("电梯维修", 3)


def test_console_stale_publish_shows_the_refusal_and_changes_nothing(staff, make_notice, agent):
    notice = make_notice()
    url = reverse("console:notice_publish", args=[notice.pk])
    seen = _rendered_version(staff.get(url))
    _meanwhile(notice, agent)
    stale = staff.post(url, {"version": seen})
    assert stale.status_code == 409 and STALE in stale.content.decode()
    notice.refresh_from_db()
    assert (notice.state, notice.version) == (S.DRAFT, 2)
    # The page shows the notice as it is now; publishing again starts from what it shows.
    assert staff.post(url, {"version": _rendered_version(staff.get(url))}).status_code == 302
    notice.refresh_from_db()
    assert (notice.state, notice.version) == (S.PUBLISHED, 3)


@pytest.mark.parametrize("name", ["notice_schedule", "notice_attach"])
def test_console_forms_on_the_notice_page_carry_its_version(staff, make_notice, agent, name):
    notice = make_notice()
    _meanwhile(notice, agent)
    page = staff.get(reverse("console:notice", args=[notice.pk]))
    assert _rendered_version(page) == "2"
    data = {
        "notice_schedule": {
            "publish_at": (timezone.localtime() + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        },
        "notice_attach": {"file": _pdf()},
    }[name]
    stale = staff.post(reverse(f"console:{name}", args=[notice.pk]), {**data, "version": "1"})
    assert stale.status_code == 409 and STALE in stale.content.decode()
    notice.refresh_from_db()
    assert (notice.state, notice.version, notice.attachments.count()) == (S.DRAFT, 2, 0)


@pytest.mark.parametrize(
    "state,offered",
    [
        (S.DRAFT, ["Edit", "Publish now", "Schedule", "Attach"]),
        (S.SCHEDULED, ["Edit", "Publish now", "Schedule", "Back to draft", "Attach"]),
        (S.PUBLISHED, ["Publish a correction", "Archive"]),
        (S.ARCHIVED, []),
    ],
)
def test_console_offers_the_lifecycles_actions(staff, make_notice, director, state, offered):
    notice = _in_state(make_notice(), state, director)
    html = staff.get(reverse("console:notice", args=[notice.pk])).content.decode()
    buttons = ["Edit", "Publish now", "Publish a correction", "Archive"]
    buttons += ["Schedule", "Back to draft", "Attach"]
    shown = [b for b in buttons if re.search(rf">{re.escape(b)}</(a|button)>", html)]
    assert sorted(shown) == sorted(offered)


# --- allowed_actions is what the services accept ----------------------------------------------


def _in_state(notice, state, actor) -> Notice:
    if state == S.DRAFT:
        return notice
    publish_at = timezone.now() + dt.timedelta(days=1)
    notice = services.notice_schedule(actor=actor, notice=notice, publish_at=publish_at)
    if state == S.SCHEDULED:
        return notice
    notice = services.notice_publish(actor=actor, notice=notice)
    if state == S.PUBLISHED:
        return notice
    return services.notice_archive(actor=actor, notice=notice)


# Each action a user may be offered, as its service is called.
TRIES = {
    "edit": lambda user, n: services.notice_update(actor=user, notice=n, title="改"),
    "attach": lambda user, n: services.notice_attach(actor=user, notice=n, upload=_pdf("c.pdf")),
    "detach": lambda user, n: services.notice_detach(actor=user, attachment=n.attachments.get()),
    "schedule": lambda user, n: services.notice_schedule(
        actor=user, notice=n, publish_at=timezone.now() + dt.timedelta(days=2)
    ),
    "unschedule": lambda user, n: services.notice_unschedule(actor=user, notice=n),
    "publish": lambda user, n: services.notice_publish(actor=user, notice=n),
    "revise": lambda user, n: services.notice_revise(
        actor=user, notice=n, title="更正", body="更正后的正文。"
    ),
    "archive": lambda user, n: services.notice_archive(actor=user, notice=n),
}


def test_the_matrix_tries_every_action_the_table_offers():
    assert set(TRIES) == {name for name, step in NOTICES.actions.items() if step.permission}


class _Undo(Exception):
    """Rolls an accepted try back, so the next one starts from the same notice."""


def _accepted(user, notice) -> list[str]:
    accepted = []
    for name, attempt in TRIES.items():
        try:
            with transaction.atomic():
                attempt(user, Notice.objects.get(pk=notice.pk))
                raise _Undo
        except _Undo:
            accepted.append(name)
        except DomainError:
            pass
    return accepted


@pytest.mark.parametrize("state", [S.DRAFT, S.SCHEDULED, S.PUBLISHED, S.ARCHIVED])
@pytest.mark.parametrize("scope", [Notice.Scope.OFFICE, Notice.Scope.COMPANY])
@pytest.mark.parametrize("who", ["agent", "director", "other_director"])
def test_allowed_actions_are_what_the_services_accept(
    request, api, make_notice, director, quality, other_office, state, scope, who
):
    if who == "other_director":
        user = f.UserFactory(role="director", office=other_office)
    else:
        user = request.getfixturevalue(who)
    author = quality if scope == Notice.Scope.COMPANY else director
    notice = make_notice(scope=scope)
    services.notice_attach(actor=author, notice=notice, upload=_pdf())
    notice = _in_state(notice, state, author)
    api.force_authenticate(user)
    answer = api.get(f"/api/v1/notices/{notice.pk}/")
    if who == "other_director" and scope == Notice.Scope.OFFICE:
        assert answer.status_code == 404  # another office's notice is not even found
        offered = NOTICES.actions_for(user, notice)
    else:
        offered = answer.json()["allowed_actions"]
    assert offered == NOTICES.actions_for(user, notice)
    assert offered == _accepted(user, notice)
    if who == "director" and scope == Notice.Scope.OFFICE:
        assert (
            offered
            == {
                S.DRAFT: ["edit", "attach", "detach", "schedule", "publish"],
                S.SCHEDULED: ["edit", "attach", "detach", "schedule", "unschedule", "publish"],
                S.PUBLISHED: ["revise", "archive"],
                S.ARCHIVED: [],
            }[state]
        )
    elif who == "agent" and scope == Notice.Scope.OFFICE:
        assert offered == (["edit", "attach", "detach"] if state in (S.DRAFT, S.SCHEDULED) else [])
    else:  # another office's, or the company's: not theirs to touch
        assert offered == []


def test_the_company_acts_on_its_own_notices(api, make_notice, quality):
    notice = make_notice(scope=Notice.Scope.COMPANY)
    services.notice_attach(actor=quality, notice=notice, upload=_pdf())
    api.force_authenticate(quality)
    offered = api.get(f"/api/v1/notices/{notice.pk}/").json()["allowed_actions"]
    assert (
        offered == _accepted(quality, notice) == ["edit", "attach", "detach", "schedule", "publish"]
    )
