"""The forum in the admin: every page opens, and nothing changes through it."""

import pytest
from django.urls import reverse

from propdesk.forum.models import Post

pytestmark = pytest.mark.django_db


def test_forum_admin_pages_open_and_a_post_cannot_be_changed_there(client, admin_user, post):
    client.force_login(admin_user)
    assert client.get(reverse("admin:forum_post_changelist")).status_code == 200
    change = reverse("admin:forum_post_change", args=[post.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"title": "改掉", "state": "hidden"})
    post.refresh_from_db()
    assert post.title == "电梯异响" and post.state == "visible"
    assert client.get(reverse("admin:forum_sensitiveword_changelist")).status_code == 200
    assert Post.objects.count() == 1
