"""M21: a moderator dismisses an abuse report found unfounded — the post stays as it is, the
report is settled with who, when and why on the post's timeline and in its history; from the
post's console page (after a confirmation) and the staff API, with bad input, a role that does
not moderate, another office's post and a report settled already refused."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.forum import services
from propdesk.forum.models import AbuseReport, PostEvent, Visibility
from tests import factories as f

from .conftest import NOW

pytestmark = pytest.mark.django_db
V = Visibility


@pytest.fixture
def report(post, neighbour):
    return services.report_abuse(customer=neighbour, post=post, reason="这是广告", now=NOW)


@pytest.fixture
def other_director(other_office):
    return f.UserFactory(role="director", office=other_office)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def _url(report) -> str:
    return f"/api/v1/forum/posts/{report.post_id}/reports/{report.pk}/dismiss/"


# --- the service ------------------------------------------------------------------------------


def test_m21_a_dismissed_report_is_settled_and_the_post_stays(post, report, director):
    assert post.state == V.VISIBLE
    services.report_dismiss(actor=director, report=report, note="正常的询问", now=NOW)
    report.refresh_from_db()
    post.refresh_from_db()
    assert report.settled_at == NOW and report.settled_by == director
    assert report.dismissed and report.dismissed_note == "正常的询问"
    assert post.state == V.VISIBLE and post.hidden_reason == ""
    event = PostEvent.objects.get(post=post, kind=PostEvent.Kind.DISMISSED)
    assert (event.actor, event.note) == (director, "正常的询问")
    audit = report.history.first()
    assert audit.history_user == director and audit.dismissed


def test_m21_a_reply_report_is_dismissed_and_the_reply_stays(post, neighbour, customer, quality):
    reply = services.reply_create(customer=customer, post=post, text="已经报修了", now=NOW)
    report = services.report_abuse(
        customer=neighbour, post=post, reply=reply, reason="无关", now=NOW
    )
    services.report_dismiss(actor=quality, report=report, now=NOW)
    reply.refresh_from_db()
    assert reply.state == V.VISIBLE
    event = PostEvent.objects.get(post=post, kind=PostEvent.Kind.DISMISSED)
    assert event.reply == reply and event.note == "无关"  # no note: the report's reason


def test_m21_only_moderators_of_the_office_dismiss_reports(report, agent, other_director):
    with pytest.raises(Forbidden):
        services.report_dismiss(actor=agent, report=report, now=NOW)
    with pytest.raises(NotFound):
        services.report_dismiss(actor=other_director, report=report, now=NOW)
    assert AbuseReport.objects.get(pk=report.pk).settled_at is None


def test_m21_a_report_is_settled_once(report, director, post):
    services.report_dismiss(actor=director, report=report, now=NOW)
    with pytest.raises(Conflict) as err:
        services.report_dismiss(actor=director, report=report, now=NOW)
    assert err.value.code == "already_settled"
    # and one settled by moderating the post cannot be dismissed either
    other = services.report_abuse(
        customer=f.CustomerFactory(
            office=post.office,
            household=f.HouseholdFactory(unit__building__community=post.community),
        ),
        post=post,
        reason="骂人",
        now=NOW,
    )
    services.post_hide(actor=director, post=post, reason="人身攻击", expected_version=post.version)
    with pytest.raises(Conflict):
        services.report_dismiss(actor=director, report=other, now=NOW)


def test_m21_a_dismissal_note_is_bounded(report, director):
    with pytest.raises(DomainError) as err:
        services.report_dismiss(actor=director, report=report, note="长" * 2001, now=NOW)
    assert err.value.field == "note"
    assert AbuseReport.objects.get(pk=report.pk).settled_at is None


# --- the console ------------------------------------------------------------------------------


def test_m21_the_post_page_offers_a_confirmed_dismissal_to_moderators(client, report, director):
    client.force_login(director)
    page = client.get(reverse("console:forum_post", args=[report.post_id])).content.decode()
    action = reverse("console:forum_report_dismiss", args=[report.post_id, report.pk])
    assert f'action="{action}"' in page
    assert "Dismiss this report? The post stays as it is." in page  # asked before it is done
    done = client.post(action, {"note": "正常的询问"})
    assert done.status_code == 302
    page = client.get(done.url).content.decode()
    assert "dismissed by" in page and f'action="{action}"' not in page
    assert AbuseReport.objects.get(pk=report.pk).dismissed


def test_m21_the_console_shows_a_refusal_on_the_page(client, report, director, agent):
    client.force_login(agent)
    page = client.get(reverse("console:forum_post", args=[report.post_id])).content.decode()
    action = reverse("console:forum_report_dismiss", args=[report.post_id, report.pk])
    assert f'action="{action}"' not in page  # an agent does not moderate
    assert client.post(action, {}).status_code == 403
    client.force_login(director)
    too_long = client.post(action, {"note": "长" * 2001})
    assert too_long.status_code == 400
    assert "at most 2000 characters" in too_long.content.decode()
    services.report_dismiss(actor=director, report=report, now=NOW)
    again = client.post(action, {})
    assert again.status_code == 409
    assert "This report was settled already." in again.content.decode()
    missing = reverse("console:forum_report_dismiss", args=[report.post_id, 999999])
    assert client.post(missing, {}).status_code == 404


# --- the API ----------------------------------------------------------------------------------


def test_m21_a_report_is_dismissed_through_the_api(report, director):
    answer = _api(director).post(_url(report), {"note": "正常的询问"}, format="json")
    assert answer.status_code == 200, answer.json()
    (shown,) = answer.json()["reports"]
    assert shown["id"] == report.pk and shown["dismissed"] and shown["settled_by"] == director.pk
    assert answer.json()["state"] == V.VISIBLE


def test_m21_dismissing_through_the_api_refuses_what_it_must(
    report, director, agent, other_director
):
    assert _api(agent).post(_url(report), {}, format="json").status_code == 403
    assert _api(other_director).post(_url(report), {}, format="json").status_code == 404
    missing = f"/api/v1/forum/posts/{report.post_id}/reports/999999/dismiss/"
    assert _api(director).post(missing, {}, format="json").status_code == 404
    bad = _api(director).post(_url(report), {"note": "长" * 2001}, format="json")
    assert bad.status_code == 400 and "note" in bad.json()["errors"]
    assert _api(director).post(_url(report), {}, format="json").status_code == 200
    again = _api(director).post(_url(report), {}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_settled"
