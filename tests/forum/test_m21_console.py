"""The console's forum pages (M21): the desk, a post's page with its actions, the word list,
the response measures."""

import pytest
from django.urls import reverse

from propdesk.forum import services
from propdesk.forum.models import Post, Route, SensitiveWord, Visibility
from tests.queries import count_queries, max_queries, same_queries

from .conftest import NOW

pytestmark = pytest.mark.django_db
DESK = reverse("console:forum")


def _act(pk, action):
    return reverse("console:forum_post_act", args=[pk, action])


def test_m21_desk_shows_untriaged_unanswered_and_overdue(client, agent, make_post, office, at):
    routed = make_post(title="已分派")
    services.post_route(actor=agent, post=routed, office=office)
    fresh = make_post(title="新帖子")
    client.force_login(agent)

    def listed(**params):
        response = client.get(DESK, params)
        assert response.status_code == 200
        return [p.title for p in response.context["page"]]

    assert listed(view="untriaged") == ["新帖子"]
    assert set(listed(view="unanswered")) == {"已分派", "新帖子"}
    assert set(listed(view="overdue")) == {"已分派", "新帖子"}  # NOW + 24 h is long past
    services.post_answer(actor=agent, post=fresh, text="收到")
    assert listed(view="unanswered") == ["已分派"]
    assert listed(q="新") == ["新帖子"]
    assert listed(q="没有") == []
    assert "No post matches" in client.get(DESK, {"q": "没有"}).content.decode()


def test_m21_desk_queries_do_not_grow(client, agent, make_post, make_customer_in, neighbour):
    client.force_login(agent)

    def queries():
        with count_queries() as captured:
            response = client.get(DESK)
        assert response.status_code == 200
        return captured, len(response.context["page"])

    make_post(title="帖0")
    one = queries()
    for i in range(1, 11):
        post = make_post(title=f"帖{i}", author=make_customer_in())
        services.reply_create(customer=neighbour, post=post, text="同感", now=NOW)
    many = queries()
    assert one[1] == 1 and many[1] == 11
    same_queries(one[0], many[0])
    with max_queries(10):
        client.get(DESK, {"view": "overdue"})


def test_m21_staff_see_only_their_offices_posts(client, other_agent, quality, post):
    client.force_login(other_agent)
    assert client.get(reverse("console:forum_post", args=[post.pk])).status_code == 404
    assert list(client.get(DESK).context["page"]) == []
    client.force_login(quality)
    assert client.get(reverse("console:forum_post", args=[post.pk])).status_code == 200


def test_m21_post_page_routes_answers_and_converts(client, agent, post, office, engineering):
    client.force_login(agent)
    page = client.get(reverse("console:forum_post", args=[post.pk]))
    assert page.status_code == 200 and post.title in page.content.decode()
    response = client.post(
        _act(post.pk, "route"),
        {"office": office.pk, "department": engineering.pk, "note": "电梯", "version": 1},
    )
    assert response.status_code == 302
    assert Route.objects.get(post=post).department == engineering
    response = client.post(_act(post.pk, "answer"), {"text": "已安排维保单位"})
    assert response.status_code == 302
    page = client.get(reverse("console:forum_post", args=[post.pk])).content.decode()
    assert "Official reply" in page and "已安排维保单位" in page
    response = client.post(
        _act(post.pk, "convert"), {"into": "request", "kind": "repair", "version": 2}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.ticket.kind == "repair"


def test_m21_stale_or_missing_version_is_refused_on_the_page(client, agent, post, office):
    client.force_login(agent)
    services.post_route(actor=agent, post=post, office=office)
    response = client.post(_act(post.pk, "route"), {"office": office.pk, "note": "x", "version": 1})
    assert response.status_code == 409
    assert "Someone else changed this post" in response.content.decode()
    response = client.post(_act(post.pk, "route"), {"office": office.pk, "note": "x"})
    assert response.status_code == 409
    assert Route.objects.filter(post=post).count() == 1


def test_m21_empty_official_reply_is_refused_on_the_form(client, agent, post):
    client.force_login(agent)
    response = client.post(_act(post.pk, "answer"), {"text": ""})
    assert response.status_code == 400
    assert post.replies.count() == 0


def test_m21_hiding_without_a_reason_is_refused_and_with_one_hides(client, director, post):
    client.force_login(director)
    response = client.post(_act(post.pk, "hide"), {"reason": "", "version": 1})
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.state == Visibility.VISIBLE
    response = client.post(_act(post.pk, "hide"), {"reason": "广告", "version": 1})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.state, post.hidden_reason) == (Visibility.HIDDEN, "广告")


def test_m21_agent_is_not_offered_moderation_and_cannot_hide(client, agent, post):
    client.force_login(agent)
    page = client.get(reverse("console:forum_post", args=[post.pk])).content.decode()
    assert 'id="moderation"' not in page
    response = client.post(_act(post.pk, "hide"), {"reason": "x", "version": 1})
    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).state == Visibility.VISIBLE


def test_m21_quality_keeps_the_word_list_and_others_may_not(client, quality, director):
    url = reverse("console:forum_words")
    client.force_login(director)
    assert client.get(url).status_code == 403
    client.force_login(quality)
    assert client.post(url, {"word": "骗子"}).status_code == 302
    response = client.post(url, {"word": "骗子"})
    assert response.status_code == 409 and "already" in response.content.decode()
    word = SensitiveWord.objects.get()
    assert client.post(reverse("console:forum_word_delete", args=[word.pk])).status_code == 302
    assert not SensitiveWord.objects.exists()


def test_m21_measures_page_shows_the_share_on_time(client, director, post, agent):
    services.post_answer(actor=agent, post=post, text="好")
    client.force_login(director)
    response = client.get(
        reverse("console:forum_measures"), {"since": "2026-05-01", "until": "2026-06-30"}
    )
    assert response.status_code == 200
    assert response.context["measures"]["company"].posts == 1


def test_m21_post_page_queries_do_not_grow_with_the_thread(client, agent, post, make_customer_in):
    client.force_login(agent)
    url = reverse("console:forum_post", args=[post.pk])

    def queries():
        with count_queries() as captured:
            assert client.get(url).status_code == 200
        return captured

    services.reply_create(customer=make_customer_in(), post=post, text="同感0", now=NOW)
    one = queries()
    for i in range(1, 6):
        services.reply_create(customer=make_customer_in(), post=post, text=f"同感{i}", now=NOW)
    services.post_answer(actor=agent, post=post, text="好", now=NOW)
    same_queries(one, queries())
