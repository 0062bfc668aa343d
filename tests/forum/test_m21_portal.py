"""The portal's forum (M21): a customer reads the forums of their communities and the
company-wide one, posts, replies, reviews and reports; no JavaScript needed."""

import pytest
from django.urls import reverse

from propdesk.forum import services
from propdesk.forum.models import AbuseReport, Post, Reply, Visibility
from propdesk.tickets.models import Status
from tests.queries import count_queries, same_queries

from .conftest import NOW, photo

pytestmark = pytest.mark.django_db
LIST = reverse("portal:forum")


def test_m21_customer_posts_with_photos_and_reads_the_official_reply(portal, community, agent):
    response = portal.post(
        reverse("portal:forum_new"),
        {
            "forum": community.pk,
            "topic": "repairs",
            "title": "楼道灯坏了",
            "text": "5栋2单元楼道灯不亮,电话 13912345678",
            "photos": [photo()],
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "portal:forum_post", args=[post.pk]
    )
    assert post.photos.count() == 1
    services.post_answer(actor=agent, post=post, text="今天下午更换")
    page = portal.get(response.url).content.decode()
    assert "Official reply" in page and "今天下午更换" in page
    assert "13912345678" not in page and "139****5678" in page
    photo_url = reverse("portal:forum_photo", args=[post.pk, post.photos.get().pk])
    assert portal.get(photo_url).status_code == 200


def test_m21_empty_post_is_refused_on_the_form(portal, community):
    response = portal.post(
        reverse("portal:forum_new"),
        {"forum": community.pk, "topic": "repairs", "title": "", "text": ""},
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_m21_oversized_post_is_refused_on_the_form(portal, community):
    response = portal.post(
        reverse("portal:forum_new"),
        {"forum": community.pk, "topic": "repairs", "title": "长文", "text": "字" * 4001},
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_m21_posting_in_a_forum_not_theirs_is_refused(portal, other_office):
    from tests import factories as f

    elsewhere = f.CommunityFactory(office=other_office)
    response = portal.post(
        reverse("portal:forum_new"),
        {"forum": elsewhere.pk, "topic": "repairs", "title": "t", "text": "x"},
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_m21_customer_sees_only_forums_of_their_communities(
    portal, make_post, stranger, other_customer, community, neighbour
):
    own = make_post(author=neighbour, title="本小区")
    elsewhere = make_post(
        author=stranger,
        community=stranger.households.get().unit.building.community,
        title="别的小区",
    )
    company_wide = make_post(author=other_customer, community=None, title="全公司")
    assert portal.get(reverse("portal:forum_post", args=[own.pk])).status_code == 200
    assert portal.get(reverse("portal:forum_post", args=[elsewhere.pk])).status_code == 404
    assert portal.get(reverse("portal:forum_post", args=[company_wide.pk])).status_code == 200
    assert portal.get(LIST, {"forum": elsewhere.community_id}).status_code == 404
    titles = [p.title for p in portal.get(LIST, {"forum": community.pk}).context["page"]]
    assert titles == ["本小区"]
    titles = [p.title for p in portal.get(LIST, {"forum": "company"}).context["page"]]
    assert titles == ["全公司"]


def test_m21_reply_and_report_from_the_post_page(portal, make_post, neighbour):
    post = make_post(author=neighbour)
    response = portal.post(reverse("portal:forum_reply", args=[post.pk]), {"text": "同感"})
    assert response.status_code == 302
    assert Reply.objects.get().text == "同感"
    response = portal.post(reverse("portal:forum_report", args=[post.pk]), {"reason": "广告"})
    assert response.status_code == 302
    assert AbuseReport.objects.get().reason == "广告"


def test_m21_reply_to_a_hidden_post_is_refused_on_the_page(portal, make_post, director):
    post = make_post()  # the customer's own: they still see it, hidden, with the reason
    services.post_hide(actor=director, post=post, reason="重复", now=NOW)
    page = portal.get(reverse("portal:forum_post", args=[post.pk])).content.decode()
    assert "重复" in page and 'id="reply"' not in page
    response = portal.post(reverse("portal:forum_reply", args=[post.pk]), {"text": "为什么"})
    assert response.status_code == 409
    assert not Reply.objects.exists()


def test_m21_review_of_a_completed_request(portal, make_ticket):
    ticket = make_ticket()
    ticket.status = Status.COMPLETED
    ticket.save(update_fields=["status"])
    url = reverse("portal:forum_review")
    assert ticket.number in portal.get(url).content.decode()
    response = portal.post(url, {"about": f"ticket:{ticket.pk}", "rating": 5, "comment": "很满意"})
    assert response.status_code == 302
    review = Post.objects.get()
    assert (review.rating, review.reviewed_ticket) == (5, ticket)
    response = portal.post(url, {"about": f"ticket:{ticket.pk}", "rating": 9, "comment": "x"})
    assert response.status_code == 400
    assert Post.objects.count() == 1


def test_m21_held_post_shows_to_its_author_as_waiting(portal, community, quality):
    services.word_add(actor=quality, word="骗子", now=NOW)
    response = portal.post(
        reverse("portal:forum_new"),
        {"forum": community.pk, "topic": "fees", "title": "收费", "text": "骗子公司"},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.state == Visibility.HELD
    assert "only you see it" in portal.get(response.url).content.decode()


def test_m21_forum_list_queries_do_not_grow(portal, make_post, make_customer_in, community):
    def queries():
        with count_queries() as captured:
            response = portal.get(LIST, {"forum": community.pk})
        assert response.status_code == 200
        return captured, len(response.context["page"])

    make_post(title="帖0")
    one = queries()
    for i in range(1, 8):
        make_post(title=f"帖{i}", author=make_customer_in())
    many = queries()
    assert one[1] == 1 and many[1] == 8
    same_queries(one[0], many[0])


def test_m21_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
