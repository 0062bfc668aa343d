"""M14: marking catalogue items and categories as major defects, in the console and the API."""

import pytest
from django.urls import reverse

from propdesk.catalog import services as catalog_services
from propdesk.catalog.models import ServiceCategory, ServiceItem
from propdesk.core.errors import Forbidden
from tests import factories as f

LIST = reverse("console:catalog")
CATEGORIES = reverse("console:catalog_categories")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def category(db):
    return f.ServiceCategoryFactory(name="屋面防水类", kind=ServiceCategory.Kind.REPAIR)


@pytest.fixture
def office_item(category, office):
    return f.ServiceItemFactory(category=category, name="屋面漏水维修", office=office)


@pytest.fixture
def company_item(category):
    return f.ServiceItemFactory(category=category, name="外墙裂缝修补", office=None)


def item_post(item, **overrides):
    data = {
        "version": item.version,  # the version the edit form was rendered with
        "category": item.category_id,
        "name": item.name,
        "pricing": "free",
        "price": "0",
        "default_completion_hours": "24",
        "in_scope": "on",
        "step_title": ["上门查看"],
        "step_detail": [""],
        "step_photo": ["no"],
    }
    data.update(overrides)
    return data


# --- the console -------------------------------------------------------------------------------


def test_m14_the_director_marks_his_offices_item_and_the_catalogue_shows_it(
    client, director, office_item
):
    client.force_login(director)
    edit = reverse("console:catalog_item_edit", args=[office_item.pk])
    assert 'name="is_major_defect"' in client.get(edit).content.decode()
    response = client.post(edit, item_post(office_item, is_major_defect="on"))
    assert response.status_code == 302
    office_item.refresh_from_db()
    assert office_item.is_major_defect
    assert office_item.history.first().history_user == director
    assert "Major defect" in client.get(LIST).content.decode()
    detail = reverse("console:catalog_item", args=[office_item.pk])
    assert "Major defect" in client.get(detail).content.decode()
    # Unticked, the mark goes.
    client.post(edit, item_post(office_item))
    office_item.refresh_from_db()
    assert not office_item.is_major_defect


def test_m14_a_new_item_can_be_marked_at_once(client, director, category):
    client.force_login(director)
    post = {
        "category": category.pk,
        "name": "卫生间漏水维修",
        "pricing": "free",
        "price": "0",
        "default_completion_hours": "24",
        "is_major_defect": "on",
    }
    assert client.post(reverse("console:catalog_item_new"), post).status_code == 302
    assert ServiceItem.objects.get(name="卫生间漏水维修").is_major_defect


def test_m14_a_bad_edit_leaves_the_mark_unchanged(client, director, office_item):
    client.force_login(director)
    edit = reverse("console:catalog_item_edit", args=[office_item.pk])
    response = client.post(edit, item_post(office_item, price="80", is_major_defect="on"))
    assert response.status_code == 400
    office_item.refresh_from_db()
    assert not office_item.is_major_defect


def test_m14_the_admin_marks_a_category(client, admin_user, category, office_item):
    client.force_login(admin_user)
    edit = reverse("console:catalog_category_edit", args=[category.pk])
    response = client.post(
        edit, {"name": category.name, "kind": "repair", "position": 0, "is_major_defect": "on"}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.is_major_defect
    office_item.refresh_from_db()
    assert office_item.watches_result
    assert "Major defect" in client.get(CATEGORIES).content.decode()
    detail = reverse("console:catalog_item", args=[office_item.pk])
    assert "as is every item of its category" in client.get(detail).content.decode()


def test_m14_a_new_category_can_be_marked(client, admin_user):
    client.force_login(admin_user)
    post = {"name": "外墙类", "kind": "repair", "position": 3, "is_major_defect": "on"}
    assert client.post(CATEGORIES, post).status_code == 302
    assert ServiceCategory.objects.get(name="外墙类").is_major_defect


# --- the services' rules -----------------------------------------------------------------------


def test_m14_who_may_mark(director, agent, admin_user, office_item, company_item, category):
    with pytest.raises(Forbidden):
        catalog_services.item_mark_major_defect(actor=agent, item=office_item, is_major_defect=True)
    with pytest.raises(Forbidden):  # company-wide items are the company's
        catalog_services.item_mark_major_defect(
            actor=director, item=company_item, is_major_defect=True
        )
    with pytest.raises(Forbidden):  # categories too
        catalog_services.category_mark_major_defect(
            actor=director, category=category, is_major_defect=True
        )
    catalog_services.item_mark_major_defect(
        actor=admin_user, item=company_item, is_major_defect=True
    )
    company_item.refresh_from_db()
    assert company_item.is_major_defect


def test_m14_another_offices_director_may_not_mark(other_office, office_item):
    outsider = f.UserFactory(role="director", office=other_office)
    with pytest.raises(Forbidden):
        catalog_services.item_mark_major_defect(
            actor=outsider, item=office_item, is_major_defect=True
        )


# --- the API -----------------------------------------------------------------------------------


def test_m14_the_api_marks_an_item_and_shows_it(api, director, office_item):
    api.force_authenticate(director)
    url = f"/api/v1/catalog/items/{office_item.pk}/"
    body = api.patch(url, {"is_major_defect": True}, format="json").json()
    assert body["is_major_defect"] is True and body["watches_result"] is True
    assert api.get(url).json()["is_major_defect"] is True


def test_m14_the_api_refuses_an_agent(api, agent, office_item):
    api.force_authenticate(agent)
    url = f"/api/v1/catalog/items/{office_item.pk}/"
    assert api.patch(url, {"is_major_defect": True}, format="json").status_code == 403
    office_item.refresh_from_db()
    assert not office_item.is_major_defect


def test_m14_the_api_creates_a_marked_item(api, director, category):
    api.force_authenticate(director)
    body = api.post(
        "/api/v1/catalog/items/",
        {"category": category.pk, "name": "外墙渗水", "pricing": "free", "is_major_defect": True},
        format="json",
    ).json()
    assert body["is_major_defect"] is True


def test_m14_the_api_marks_a_category(api, admin_user, director, category):
    api.force_authenticate(director)
    url = f"/api/v1/catalog/categories/{category.pk}/"
    assert api.patch(url, {"is_major_defect": True}, format="json").status_code == 403
    api.force_authenticate(admin_user)
    body = api.patch(url, {"is_major_defect": True}, format="json").json()
    assert body["is_major_defect"] is True
    body = api.post(
        "/api/v1/catalog/categories/",
        {"name": "屋面类", "kind": "repair", "is_major_defect": True},
        format="json",
    ).json()
    assert body["is_major_defect"] is True


def test_m14_marking_a_category_is_in_its_history_with_who_did_it(admin_user, category):
    catalog_services.category_mark_major_defect(
        actor=admin_user, category=category, is_major_defect=True
    )
    latest = category.history.order_by("-history_date").first()
    assert latest.is_major_defect and latest.history_user == admin_user
