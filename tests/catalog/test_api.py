from decimal import Decimal

import pytest

from propdesk.catalog.models import ServiceCategory, ServiceItem
from tests import factories as f
from tests.queries import count_queries, same_queries

ITEMS = "/api/v1/catalog/items/"
CATEGORIES = "/api/v1/catalog/categories/"


def _item(pk):
    return f"{ITEMS}{pk}/"


def _new_item(cat, **overrides):
    return {
        "category": cat.pk,
        "name": "空调清洗",
        "contact_phone": "13812345678",
        "pricing": "fixed",
        "price": "120.00",
        "default_completion_hours": 48,
        "steps": [{"title": "上门查看"}, {"title": "清洗", "needs_photo": True}],
        **overrides,
    }


# --- list and read ----------------------------------------------------------------------------


def test_list_shows_company_wide_and_own_items_with_steps(
    api, agent, company_item, office_item, other_office_item
):
    api.force_authenticate(agent)
    response = api.get(ITEMS)
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert set(rows) == {company_item.name, office_item.name}
    door = rows[office_item.name]
    assert door["price_label"] == "¥80.00"
    assert door["is_chargeable"] is True
    assert door["office_name"] == "翠苑管理处"
    assert door["category"]["name"] == "水电维修类"
    assert [s["title"] for s in door["steps"]] == ["查看门窗", "更换配件"]
    assert rows[company_item.name]["office"] is None


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"chargeable": "true"}, {"门窗维修"}),
        ({"chargeable": "false"}, {"管道疏通"}),
        ({"in_scope": "false"}, set()),
        ({"q": "门窗"}, {"门窗维修"}),
        ({"active": ""}, {"门窗维修", "管道疏通", "停用项目"}),
    ],
)
def test_list_filters(api, agent, office, company_item, office_item, params, expected):
    f.ServiceItemFactory(name="停用项目", office=office, is_active=False)
    api.force_authenticate(agent)
    response = api.get(ITEMS, params)
    assert {row["name"] for row in response.json()["results"]} == expected


def test_list_office_and_category_filters_for_a_company_role(
    api, quality, other_office, company_item, office_item, other_office_item
):
    api.force_authenticate(quality)
    names = {r["name"] for r in api.get(ITEMS, {"office": other_office.pk}).json()["results"]}
    assert names == {company_item.name, other_office_item.name}
    elsewhere = f.ServiceItemFactory(name="家政保洁")
    names = {
        r["name"] for r in api.get(ITEMS, {"category": elsewhere.category_id}).json()["results"]
    }
    assert names == {"家政保洁"}


def test_a_bad_filter_answers_400(api, agent):
    api.force_authenticate(agent)
    response = api.get(ITEMS, {"chargeable": "perhaps"})
    assert response.status_code == 400
    assert response.json()["field"] == "chargeable"


def test_list_makes_the_same_number_of_queries_whatever_the_rows(api, agent, office):
    api.force_authenticate(agent)
    f.ServiceItemFactory(office=office)
    with count_queries() as few:
        api.get(ITEMS)
    for _ in range(12):
        f.ServiceItemFactory(office=office, category=f.ServiceCategoryFactory())
    with count_queries() as many:
        response = api.get(ITEMS)
    assert len(response.json()["results"]) == 13
    same_queries(few, many)


def test_retrieve_another_offices_item_is_404(api, agent, other_office_item):
    api.force_authenticate(agent)
    response = api.get(_item(other_office_item.pk))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_steps_are_read_in_order(api, agent, company_item):
    api.force_authenticate(agent)
    response = api.get(f"{_item(company_item.pk)}steps/")
    assert response.status_code == 200
    assert [(s["position"], s["title"]) for s in response.json()] == [
        (1, "上门查看"),
        (2, "疏通"),
        (3, "清理现场"),
    ]


def test_signed_out_callers_are_refused(api, company_item):
    assert api.get(ITEMS).status_code in (401, 403)


# --- create -----------------------------------------------------------------------------------


def test_director_creates_an_item_in_his_office_by_default(api, director, office, category):
    api.force_authenticate(director)
    response = api.post(ITEMS, _new_item(category), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["office"] == office.pk
    assert body["contact_phone"] == "138 1234 5678"
    assert [(s["position"], s["title"], s["needs_photo"]) for s in body["steps"]] == [
        (1, "上门查看", False),
        (2, "清洗", True),
    ]


def test_admin_creates_a_company_wide_item_by_default(api, admin_user, category):
    api.force_authenticate(admin_user)
    response = api.post(ITEMS, _new_item(category), format="json")
    assert response.status_code == 201
    assert response.json()["office"] is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price": "-1.00"}, "price"),
        ({"pricing": "free"}, "price"),
        ({"pricing": "per_unit"}, "price_unit"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"default_completion_hours": 1000}, "default_completion_hours"),
        ({"steps": [{"title": "a"}, {"title": ""}]}, "steps"),
        ({"category": 999999}, "category"),
        ({"price": "1.234"}, "price"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_creates_nothing(
    api, director, category, overrides, field
):
    api.force_authenticate(director)
    response = api.post(ITEMS, _new_item(category, **overrides), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field
    assert body["detail"]
    assert not ServiceItem.objects.exists()


def test_director_may_not_create_a_company_wide_item(api, director, category):
    api.force_authenticate(director)
    response = api.post(ITEMS, _new_item(category, office=None), format="json")
    assert response.status_code == 403
    assert "ask an administrator" in response.json()["detail"]
    assert not ServiceItem.objects.exists()


def test_agent_may_not_create_items(api, agent, category):
    api.force_authenticate(agent)
    response = api.post(ITEMS, _new_item(category), format="json")
    assert response.status_code == 403
    assert not ServiceItem.objects.exists()


# --- update -----------------------------------------------------------------------------------


def test_director_patches_his_offices_item(api, director, office_item):
    api.force_authenticate(director)
    response = api.patch(
        _item(office_item.pk), {"pricing": "from", "price": "50.00", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["price_label"] == "from ¥50.00"
    assert response.json()["version"] == 2 and response.headers["ETag"] == '"2"'
    office_item.refresh_from_db()
    assert office_item.price == Decimal("50.00")


def test_patch_with_bad_input_changes_nothing(api, director, office_item):
    api.force_authenticate(director)
    response = api.patch(
        _item(office_item.pk), {"price": "0.00", "name": "改名", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "price"
    office_item.refresh_from_db()
    assert (office_item.price, office_item.name) == (Decimal("80.00"), "门窗维修")


def test_director_may_not_patch_a_company_wide_item(api, director, company_item):
    api.force_authenticate(director)
    response = api.patch(_item(company_item.pk), {"name": "改名", "version": 1}, format="json")
    assert response.status_code == 403
    company_item.refresh_from_db()
    assert company_item.name == "管道疏通"


def test_patching_another_offices_item_is_404(api, director, other_office_item):
    api.force_authenticate(director)
    response = api.patch(_item(other_office_item.pk), {"name": "改名"}, format="json")
    assert response.status_code == 404
    other_office_item.refresh_from_db()
    assert other_office_item.name == "屋面漏水"


def test_put_steps_replaces_the_procedure(api, director, office_item):
    api.force_authenticate(director)
    response = api.put(
        f"{_item(office_item.pk)}steps/",
        {
            "steps": [
                {"title": "更换配件", "needs_photo": True},
                {"title": "试用", "detail": "开关三次"},
            ],
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == [
        {"position": 1, "title": "更换配件", "detail": "", "needs_photo": True},
        {"position": 2, "title": "试用", "detail": "开关三次", "needs_photo": False},
    ]


def test_put_steps_with_an_empty_title_is_400_and_changes_nothing(api, director, office_item):
    api.force_authenticate(director)
    response = api.put(
        f"{_item(office_item.pk)}steps/", {"steps": [{"title": ""}], "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "required",
        "detail": "Step 1 needs a title.",
        "field": "steps",
        "errors": {"steps": ["Step 1 needs a title."]},
    }
    assert list(office_item.steps.values_list("title", flat=True)) == ["查看门窗", "更换配件"]


def test_deactivate_and_reactivate(api, director, office_item):
    api.force_authenticate(director)
    response = api.post(f"{_item(office_item.pk)}deactivate/", {"version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    again = api.post(f"{_item(office_item.pk)}deactivate/", HTTP_IF_MATCH='"2"')
    assert again.status_code == 409 and again.json()["code"] == "unchanged"
    assert (
        api.post(f"{_item(office_item.pk)}reactivate/", HTTP_IF_MATCH='"2"').json()["is_active"]
        is True
    )


# --- versions: no change made blind -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("patch", "", {"name": "改名"}),
        ("put", "steps/", {"steps": [{"title": "看"}]}),
        ("post", "deactivate/", {}),
    ],
)
def test_a_change_to_an_item_without_a_version_is_428_and_changes_nothing(
    api, director, office_item, method, suffix, body
):
    api.force_authenticate(director)
    response = getattr(api, method)(f"{_item(office_item.pk)}{suffix}", body, format="json")
    assert response.status_code == 428
    answer = response.json()
    assert (answer["code"], answer["field"]) == ("version_required", "version")
    assert "version" in answer["detail"] and "If-Match" in answer["detail"]
    office_item.refresh_from_db()
    assert (office_item.name, office_item.is_active, office_item.version) == ("门窗维修", True, 1)
    assert list(office_item.steps.values_list("title", flat=True)) == ["查看门窗", "更换配件"]


def test_a_change_against_an_older_item_version_is_409(api, director, office_item):
    api.force_authenticate(director)
    etag = api.get(_item(office_item.pk)).headers["ETag"]
    assert etag == '"1"'
    first = api.patch(
        _item(office_item.pk), {"name": "门窗修理"}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = api.patch(_item(office_item.pk), {"name": "门窗"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert (stale.json()["code"], stale.json()["field"]) == ("stale_version", "version")
    steps = api.put(
        f"{_item(office_item.pk)}steps/", {"steps": [{"title": "看"}], "version": 1}, format="json"
    )
    assert steps.status_code == 409
    office_item.refresh_from_db()
    assert (office_item.name, office_item.version) == ("门窗修理", 2)
    assert list(office_item.steps.values_list("title", flat=True)) == ["查看门窗", "更换配件"]


def test_every_change_to_an_item_raises_its_version(api, director, office_item):
    api.force_authenticate(director)
    url = _item(office_item.pk)
    answers = [
        api.put(f"{url}steps/", {"steps": [{"title": "看"}], "version": 1}, format="json"),
        api.patch(url, {"is_major_defect": True, "version": 2}, format="json"),
        api.post(f"{url}deactivate/", {"version": 3}, format="json"),
        api.post(f"{url}reactivate/", {"version": 4}, format="json"),
    ]
    assert [a.status_code for a in answers] == [200] * 4
    assert api.get(url).json()["version"] == 5


# --- categories -------------------------------------------------------------------------------


def test_everyone_lists_categories(api, agent, category):
    api.force_authenticate(agent)
    response = api.get(CATEGORIES)
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": category.pk,
            "name": "水电维修类",
            "kind": "repair",
            "position": 1,
            "is_major_defect": False,
        }
    ]


def test_admin_creates_and_updates_categories(api, admin_user, category):
    api.force_authenticate(admin_user)
    response = api.post(CATEGORIES, {"name": "家政服务", "kind": "household"}, format="json")
    assert response.status_code == 201
    pk = response.json()["id"]
    response = api.patch(f"{CATEGORIES}{pk}/", {"position": 5}, format="json")
    assert response.json()["position"] == 5
    response = api.put(
        f"{CATEGORIES}{pk}/",
        {"name": "家政保洁", "kind": "household", "position": 2},
        format="json",
    )
    assert response.json() == {
        "id": pk,
        "name": "家政保洁",
        "kind": "household",
        "position": 2,
        "is_major_defect": False,
    }


def test_duplicate_category_is_400(api, admin_user, category):
    api.force_authenticate(admin_user)
    response = api.post(CATEGORIES, {"name": "水电维修类", "kind": "repair"}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "name"
    assert ServiceCategory.objects.count() == 1


def test_director_may_not_create_categories(api, director):
    api.force_authenticate(director)
    response = api.post(CATEGORIES, {"name": "家政服务", "kind": "household"}, format="json")
    assert response.status_code == 403
    assert not ServiceCategory.objects.exists()


def test_unknown_category_is_404(api, admin_user):
    api.force_authenticate(admin_user)
    assert api.patch(f"{CATEGORIES}999999/", {"position": 1}, format="json").status_code == 404
