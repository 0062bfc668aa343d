"""M01, M12: the customer's posts and replies in the forum, and the official replies to them,
are on the customer's history page with the after-service channels."""

import pytest
from django.urls import reverse

from propdesk.forum import services

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_m21_m12_forum_posts_and_replies_show_on_the_customers_history(
    client, agent, post, customer, neighbour
):
    services.post_answer(actor=agent, post=post, text="已安排维保单位检查", now=NOW)
    client.force_login(agent)
    page = client.get(reverse("console:customer_detail", args=[customer.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Forum post: 电梯异响" in text
    assert "Official forum reply to “电梯异响”" in text
    # The post itself is one click away, in the forum section.
    assert reverse("console:forum_post", args=[post.pk]) in text
    only_forum = client.get(
        reverse("console:customer_detail", args=[customer.pk]), {"channel": "forum"}
    )
    assert "Forum post: 电梯异响" in only_forum.content.decode()
