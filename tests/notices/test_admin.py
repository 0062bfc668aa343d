"""A notice is published, revised and archived only through the notice services (which keep
every correction as a revision and fan the notice out), never in the Django admin."""

import pytest
from django.urls import reverse

from propdesk.notices.models import Notice, NoticeRevision

pytestmark = pytest.mark.django_db


def row(notice):
    return Notice.objects.filter(pk=notice.pk).values().get()


def test_a_notices_state_cannot_be_changed_through_the_admin(client, admin_user, published):
    before = row(published)
    revisions = list(NoticeRevision.objects.values())
    url = reverse("admin:notices_notice_change", args=[published.pk])
    client.force_login(admin_user)

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    assert 'name="body"' not in page.content.decode()

    response = client.post(
        url,
        {
            "state": Notice.State.DRAFT,
            "title": "停水通知 (已改)",
            "body": "不经修订直接改正文",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 403
    assert row(published) == before
    assert list(NoticeRevision.objects.values()) == revisions


def test_a_notice_cannot_be_added_or_deleted_in_the_admin(client, admin_user, published):
    client.force_login(admin_user)

    assert client.get(reverse("admin:notices_notice_add")).status_code == 403
    delete = reverse("admin:notices_notice_delete", args=[published.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Notice.objects.filter(pk=published.pk).exists()
