from django.urls import reverse

from propdesk.catalog.models import ServiceItem


def test_admin_lists_and_edits_items_with_their_steps(client, admin_user, office_item):
    client.force_login(admin_user)
    assert client.get(reverse("admin:catalog_serviceitem_changelist")).status_code == 200
    html = client.get(
        reverse("admin:catalog_serviceitem_change", args=[office_item.pk])
    ).content.decode()
    assert "查看门窗" in html  # the procedure steps inline
    history = reverse("admin:catalog_serviceitem_history", args=[office_item.pk])
    assert client.get(history).status_code == 200


def test_admin_cannot_delete_an_item(client, admin_user, office_item):
    # Requests point at items: they are deactivated, never deleted.
    client.force_login(admin_user)
    url = reverse("admin:catalog_serviceitem_delete", args=[office_item.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ServiceItem.objects.filter(pk=office_item.pk).exists()


def test_admin_lists_categories(client, admin_user, category):
    client.force_login(admin_user)
    response = client.get(reverse("admin:catalog_servicecategory_changelist"))
    assert response.status_code == 200
    assert category.name in response.content.decode()
