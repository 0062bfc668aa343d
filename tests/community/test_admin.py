"""An activity's state, and its registrations, change only through the community services
(publishing, cancelling, the waiting list, check-in), never in the Django admin."""

import pytest
from django.urls import reverse

from propdesk.community.models import Activity, Registration

from .conftest import NOW

pytestmark = pytest.mark.django_db


def row(activity):
    return Activity.objects.filter(pk=activity.pk).values().get()


def test_an_activitys_state_cannot_be_changed_through_the_admin(client, admin_user, open_activity):
    before = row(open_activity)
    url = reverse("admin:community_activity_change", args=[open_activity.pk])
    client.force_login(admin_user)

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="state"' not in page.content.decode()
    assert 'name="capacity"' not in page.content.decode()

    response = client.post(
        url,
        {
            "state": Activity.State.CANCELLED,
            "cancel_reason": "场地维修",
            "capacity": "200",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )

    assert response.status_code == 403
    assert row(open_activity) == before


def test_registrations_cannot_be_added_through_the_admin(
    client, admin_user, open_activity, customer
):
    client.force_login(admin_user)
    url = reverse("admin:community_activity_change", args=[open_activity.pk])

    response = client.post(
        url,
        {
            "registrations-TOTAL_FORMS": "1",
            "registrations-INITIAL_FORMS": "0",
            "registrations-0-customer": customer.pk,
            "registrations-0-seats": "2",
            "registrations-0-state": Registration.State.CONFIRMED,
            "registrations-0-channel": Registration.Channel.STAFF,
            "registrations-0-queued_at_0": f"{NOW:%Y-%m-%d}",
            "registrations-0-queued_at_1": f"{NOW:%H:%M:%S}",
            "_continue": "Save",
        },
    )

    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_an_activity_cannot_be_added_or_deleted_in_the_admin(client, admin_user, open_activity):
    client.force_login(admin_user)

    assert client.get(reverse("admin:community_activity_add")).status_code == 403
    delete = reverse("admin:community_activity_delete", args=[open_activity.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Activity.objects.filter(pk=open_activity.pk).exists()
