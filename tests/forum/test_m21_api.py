"""The forum's API (M21): staff's desk and actions under /api/v1/forum/, the customer's forum
under /api/v1/portal/forum/."""

import pytest
from rest_framework.test import APIClient

from propdesk.forum import services
from propdesk.forum.models import Post, Reply, Route, SensitiveWord, Visibility
from tests.queries import count_queries, same_queries

from .conftest import NOW, photo

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/forum/posts/"
MINE = "/api/v1/portal/forum/posts/"


@pytest.fixture
def staff_api():
    def signed_in(user):
        client = APIClient()
        client.force_authenticate(user)
        client.credentials(HTTP_ACCEPT_LANGUAGE="en")
        return client

    return signed_in


def test_m21_api_routes_answers_and_measures(staff_api, agent, director, post, office, engineering):
    api = staff_api(agent)
    listed = api.get(POSTS, {"view": "untriaged"})
    assert listed.status_code == 200 and [p["id"] for p in listed.json()["results"]] == [post.pk]
    detail = api.get(f"{POSTS}{post.pk}/")
    assert detail["ETag"] == '"1"' and "route" in detail.json()["allowed_actions"]
    response = api.post(
        f"{POSTS}{post.pk}/route/",
        {"office": office.pk, "department": engineering.pk, "note": "电梯"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    assert response.json()["routes"][0]["department"] == engineering.pk
    response = api.post(f"{POSTS}{post.pk}/answer/", {"text": "已安排"}, format="json")
    assert response.status_code == 201
    assert response.json()["replies"][0]["official"] is True
    measures = api.get(f"{POSTS}measures/", {"since": "2026-05-01", "until": "2026-12-31"})
    assert measures.status_code == 403  # an agent is not measured here; the director is
    measures = staff_api(director).get(
        f"{POSTS}measures/", {"since": "2026-05-01", "until": "2026-12-31"}
    )
    assert measures.status_code == 200
    assert measures.json()["company"]["posts"] == 1 and measures.json()["target_hours"] == 24


def test_m21_api_change_without_a_version_is_428_and_stale_is_409(staff_api, agent, post, office):
    api = staff_api(agent)
    response = api.post(f"{POSTS}{post.pk}/route/", {"office": office.pk}, format="json")
    assert response.status_code == 428 and response.json()["field"] == "version"
    api.post(f"{POSTS}{post.pk}/route/", {"office": office.pk, "version": 1}, format="json")
    response = api.post(
        f"{POSTS}{post.pk}/route/", {"office": office.pk, "note": "x", "version": 1}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    assert Route.objects.count() == 1


def test_m21_api_another_offices_post_is_404(staff_api, other_agent, post):
    api = staff_api(other_agent)
    assert api.get(f"{POSTS}{post.pk}/").status_code == 404
    response = api.post(f"{POSTS}{post.pk}/answer/", {"text": "x"}, format="json")
    assert response.status_code == 404
    assert not Reply.objects.exists()


def test_m21_api_hide_needs_a_reason_and_an_agent_may_not(staff_api, agent, director, post):
    response = staff_api(agent).post(
        f"{POSTS}{post.pk}/hide/", {"reason": "x", "version": 1}, format="json"
    )
    assert response.status_code == 403
    response = staff_api(director).post(
        f"{POSTS}{post.pk}/hide/", {"reason": "", "version": 1}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "reason"
    assert Post.objects.get().state == Visibility.VISIBLE


def test_m21_api_convert_into_a_complaint(staff_api, agent, post):
    response = staff_api(agent).post(
        f"{POSTS}{post.pk}/convert/",
        {"into": "complaint", "category": "facilities", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["ticket"] == Post.objects.get().ticket_id is not None
    response = staff_api(agent).post(
        f"{POSTS}{post.pk}/convert/", {"into": "request", "version": 2}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "already_converted"


def test_m21_api_words_are_qualitys(staff_api, quality, director):
    response = staff_api(director).post("/api/v1/forum/words/", {"word": "骗子"}, format="json")
    assert response.status_code == 403
    api = staff_api(quality)
    assert api.post("/api/v1/forum/words/", {"word": "骗子"}, format="json").status_code == 201
    assert api.post("/api/v1/forum/words/", {"word": "骗子"}, format="json").status_code == 409
    word = SensitiveWord.objects.get()
    assert api.delete(f"/api/v1/forum/words/{word.pk}/").status_code == 204


def test_m21_api_desk_queries_do_not_grow(staff_api, agent, make_post, make_customer_in):
    api = staff_api(agent)

    def queries():
        with count_queries() as captured:
            assert api.get(POSTS).status_code == 200
        return captured

    make_post(title="帖0")
    one = queries()
    for i in range(1, 8):
        make_post(title=f"帖{i}", author=make_customer_in())
    same_queries(one, queries())


# --- the customer's ------------------------------------------------------------------------------


def test_m21_customer_api_posts_reads_and_replies(customer_api, community, agent, neighbour):
    response = customer_api.post(
        MINE,
        {
            "community": community.pk,
            "topic": "repairs",
            "title": "水压低",
            "text": "打 13912345678",
            "photos": [photo()],
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "139****5678" in body["text"] and len(body["photos"]) == 1
    again = customer_api.post(
        MINE,
        {
            "community": community.pk,
            "topic": "repairs",
            "title": "水压低",
            "text": "打 13912345678",
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert again.status_code == 201 and Post.objects.count() == 1
    post = Post.objects.get()
    services.post_answer(actor=agent, post=post, text="已检查水泵", now=NOW)
    detail = customer_api.get(f"{MINE}{post.pk}/").json()
    assert detail["answered"] and detail["replies"][0]["official"]
    response = customer_api.post(f"{MINE}{post.pk}/replies/", {"text": "谢谢"}, format="json")
    assert response.status_code == 201
    listed = customer_api.get(MINE, {"forum": community.pk}).json()["results"]
    assert [p["id"] for p in listed] == [post.pk]
    photo_id = body["photos"][0]
    assert customer_api.get(f"{MINE}{post.pk}/photos/{photo_id}/").status_code == 200


def test_m21_customer_api_bad_input_changes_nothing(customer_api, community, stranger, make_post):
    response = customer_api.post(
        MINE,
        {"community": community.pk, "topic": "repairs", "title": "", "text": "x"},
        format="json",
    )
    assert response.status_code == 400 and "title" in response.json()["errors"]
    response = customer_api.post(
        MINE,
        {"community": community.pk, "topic": "repairs", "title": "t", "text": "长" * 4001},
        format="json",
    )
    assert response.status_code == 400 and "text" in response.json()["errors"]
    theirs = stranger.households.get().unit.building.community
    response = customer_api.post(
        MINE, {"community": theirs.pk, "topic": "repairs", "title": "t", "text": "x"}, format="json"
    )
    assert response.status_code == 404 and response.json()["field"] == "community"
    assert customer_api.get(MINE, {"forum": theirs.pk}).status_code == 404
    elsewhere = make_post(author=stranger, community=theirs)
    assert customer_api.get(f"{MINE}{elsewhere.pk}/").status_code == 404
    assert Post.objects.count() == 1


def test_m21_customer_api_reply_to_a_hidden_post_is_409(customer_api, make_post, director):
    post = make_post()
    services.post_hide(actor=director, post=post, reason="重复", now=NOW)
    response = customer_api.post(f"{MINE}{post.pk}/replies/", {"text": "?"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "post_not_visible"
    assert not Reply.objects.exists()


def test_m21_customer_api_flooding_is_429(customer_api, community, make_post, customer, at):
    from django.utils import timezone

    for n in range(services.POSTS_PER_HOUR):
        make_post(title=f"帖{n}", now=timezone.now())
    response = customer_api.post(
        MINE,
        {"community": community.pk, "topic": "other", "title": "再来", "text": "x"},
        format="json",
    )
    assert response.status_code == 429 and response.json()["code"] == "too_many_posts"


def test_m21_customer_api_review_and_report(customer_api, free_item, make_post, neighbour):
    response = customer_api.post(
        f"{MINE}reviews/", {"rating": 5, "comment": "好", "item": free_item.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["rating"] == 5
    response = customer_api.post(
        f"{MINE}reviews/", {"rating": 7, "comment": "好", "item": free_item.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "rating"
    post = make_post(author=neighbour)
    response = customer_api.post(f"{MINE}{post.pk}/report/", {"reason": "广告"}, format="json")
    assert response.status_code == 202
    assert post.reports.count() == 1
