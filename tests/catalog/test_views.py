from decimal import Decimal

import pytest
from django.urls import reverse

from propdesk.catalog.models import ServiceCategory, ServiceItem
from tests import factories as f
from tests.queries import count_queries, same_queries

LIST = reverse("console:catalog")
NEW = reverse("console:catalog_item_new")


def _item_post(category, **overrides):
    data = {
        "category": category.pk,
        "name": "空调清洗",
        "description": "挂机清洗",
        "service_hours": "8:00-20:00",
        "contact_phone": "13812345678",
        "pricing": "per_unit",
        "price": "60",
        "price_unit": "台",
        "default_completion_hours": "48",
        "in_scope": "on",
        "step_title": ["上门查看", "", "清洗"],
        "step_detail": ["", "", "拆滤网"],
        "step_photo": ["no", "no", "yes"],
    }
    data.update(overrides)
    return data


# --- list -------------------------------------------------------------------------------------


def test_list_shows_the_offices_catalogue_grouped_by_category(
    client, agent, company_item, office_item, other_office_item
):
    client.force_login(agent)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "水电维修类" in html
    assert company_item.name in html and office_item.name in html
    assert other_office_item.name not in html
    assert "¥80.00" in html and "0755-12345678" in html and "8:00-20:00" in html
    assert "Chargeable" in html and "In scope" in html and "24 hours" in html
    assert NEW not in html  # an agent does not edit the catalogue


def test_list_filters_by_search_and_chargeable(client, agent, company_item, office_item):
    client.force_login(agent)
    html = client.get(LIST, {"chargeable": "yes"}).content.decode()
    assert office_item.name in html and company_item.name not in html
    html = client.get(LIST, {"q": "疏通"}).content.decode()
    assert company_item.name in html and office_item.name not in html


def test_list_offers_new_item_to_a_director(client, director):
    client.force_login(director)
    assert NEW in client.get(LIST).content.decode()


def test_list_makes_the_same_number_of_queries_whatever_the_rows(client, agent, office):
    client.force_login(agent)
    f.ServiceItemFactory(office=office)
    with count_queries() as few:
        client.get(LIST)
    for _ in range(15):
        f.ServiceItemFactory(office=office, category=f.ServiceCategoryFactory())
    with count_queries() as many:
        response = client.get(LIST)
    assert response.status_code == 200
    same_queries(few, many)


def test_list_with_a_bad_filter_still_answers(client, agent, company_item):
    client.force_login(agent)
    response = client.get(LIST, {"category": "abc", "page": "x"})
    assert response.status_code == 200


# --- detail -----------------------------------------------------------------------------------


def test_detail_shows_the_procedure_steps_in_order(client, agent, company_item):
    client.force_login(agent)
    html = client.get(reverse("console:catalog_item", args=[company_item.pk])).content.decode()
    steps = [html.index(f"<strong>{title}</strong>") for title in ("上门查看", "疏通", "清理现场")]
    assert steps == sorted(steps)
    assert reverse("console:catalog_item_edit", args=[company_item.pk]) not in html


def test_detail_of_another_offices_item_is_not_found(client, agent, other_office_item):
    client.force_login(agent)
    response = client.get(reverse("console:catalog_item", args=[other_office_item.pk]))
    assert response.status_code == 404


def test_detail_offers_edit_to_the_director_of_the_office(client, director, office_item):
    client.force_login(director)
    html = client.get(reverse("console:catalog_item", args=[office_item.pk])).content.decode()
    assert reverse("console:catalog_item_edit", args=[office_item.pk]) in html
    assert reverse("console:catalog_item_deactivate", args=[office_item.pk]) in html


# --- create and edit --------------------------------------------------------------------------


def test_director_adds_an_item_with_its_steps(client, director, office, category):
    client.force_login(director)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _item_post(category))
    item = ServiceItem.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("console:catalog_item", args=[item.pk])
    assert item.office == office
    assert item.price_label == "¥60.00 per 台"
    assert item.contact_phone == "138 1234 5678"
    assert list(item.steps.values_list("position", "title", "detail", "needs_photo")) == [
        (1, "上门查看", "", False),
        (2, "清洗", "拆滤网", True),
    ]


def test_admin_chooses_company_wide(client, admin_user, category):
    client.force_login(admin_user)
    response = client.post(NEW, _item_post(category, office=""))
    assert response.status_code == 302
    assert ServiceItem.objects.get().office is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"price": "-5"}, "The price cannot be negative."),
        ({"price_unit": ""}, "Say what the price is per, e.g. 次, 米 or 小时."),
        ({"contact_phone": "123"}, "“123” is not a valid phone number."),
        ({"default_completion_hours": "0"}, "Enter a whole number of hours from 1 to 720."),
        (
            {"step_title": ["上门查看", "", ""], "step_detail": ["", "", "无标题"]},
            "Step 2 needs a title.",
        ),
    ],
)
def test_bad_input_shows_the_message_and_creates_nothing(
    client, director, category, overrides, message
):
    client.force_login(director)
    response = client.post(NEW, _item_post(category, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ServiceItem.objects.exists()


def test_agent_may_not_open_the_new_item_form(client, agent):
    client.force_login(agent)
    assert client.get(NEW).status_code == 403


def test_director_edits_his_offices_item_and_its_steps(client, director, office_item, category):
    client.force_login(director)
    url = reverse("console:catalog_item_edit", args=[office_item.pk])
    html = client.get(url).content.decode()
    assert "查看门窗" in html and "更换配件" in html
    response = client.post(
        url,
        _item_post(
            category,
            name="门窗维修",
            pricing="from",
            price="50",
            price_unit="",
            step_title=["更换配件", "查看门窗"],
            step_detail=["", ""],
            step_photo=["yes", "no"],
            version="1",
        ),
    )
    assert response.status_code == 302
    office_item.refresh_from_db()
    assert office_item.price_label == "from ¥50.00"
    assert list(office_item.steps.values_list("title", "needs_photo")) == [
        ("更换配件", True),
        ("查看门窗", False),
    ]


def test_bad_edit_changes_nothing(client, director, office_item, category):
    client.force_login(director)
    url = reverse("console:catalog_item_edit", args=[office_item.pk])
    response = client.post(
        url, _item_post(category, pricing="free", price="80", step_title=["x"], version="1")
    )
    assert response.status_code == 400
    assert "A free item has no price" in response.content.decode()
    office_item.refresh_from_db()
    assert (office_item.pricing, office_item.price, office_item.name) == (
        "fixed",
        Decimal("80.00"),
        "门窗维修",
    )
    assert list(office_item.steps.values_list("title", flat=True)) == ["查看门窗", "更换配件"]


def test_the_edit_form_carries_the_version_and_a_stale_one_is_refused_on_it(
    client, director, office_item, category
):
    client.force_login(director)
    url = reverse("console:catalog_item_edit", args=[office_item.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    ServiceItem.objects.filter(pk=office_item.pk).update(version=2)  # someone saved meanwhile
    response = client.post(url, _item_post(category, name="门窗修理", version="1"))
    assert response.status_code == 409
    assert "Someone else changed this item meanwhile" in response.content.decode()
    office_item.refresh_from_db()
    assert office_item.name == "门窗维修"


def test_a_stale_deactivation_is_refused_on_the_page(client, director, office_item):
    client.force_login(director)
    url = reverse("console:catalog_item_deactivate", args=[office_item.pk])
    ServiceItem.objects.filter(pk=office_item.pk).update(version=2)
    response = client.post(url, {"version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this item meanwhile" in response.content.decode()
    assert client.post(url).status_code == 409  # a page without a version: out of date
    office_item.refresh_from_db()
    assert office_item.is_active


def test_director_may_not_edit_a_company_wide_item(client, director, company_item):
    client.force_login(director)
    url = reverse("console:catalog_item_edit", args=[company_item.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "x"}).status_code == 403


def test_editing_another_offices_item_is_not_found(client, director, other_office_item):
    client.force_login(director)
    url = reverse("console:catalog_item_edit", args=[other_office_item.pk])
    assert client.get(url).status_code == 404


def test_step_row_gives_an_empty_row(client, director):
    client.force_login(director)
    response = client.get(reverse("console:catalog_step_row"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'name="step_title"' in response.content.decode()


# --- deactivate -------------------------------------------------------------------------------


def test_deactivation_asks_first_then_deactivates(client, director, office_item):
    client.force_login(director)
    url = reverse("console:catalog_item_deactivate", args=[office_item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Requests that already name it keep it" in response.content.decode()
    office_item.refresh_from_db()
    assert office_item.is_active  # asking changes nothing
    assert 'name="version" value="1"' in response.content.decode()
    assert client.post(url, {"version": "1"}).status_code == 302
    office_item.refresh_from_db()
    assert not office_item.is_active


def test_deactivating_an_inactive_item_answers_409(client, director, office_item):
    client.force_login(director)
    ServiceItem.objects.filter(pk=office_item.pk).update(is_active=False)
    response = client.post(
        reverse("console:catalog_item_deactivate", args=[office_item.pk]), {"version": "1"}
    )
    assert response.status_code == 409
    assert "already inactive" in response.content.decode()


def test_reactivate(client, director, office_item):
    client.force_login(director)
    ServiceItem.objects.filter(pk=office_item.pk).update(is_active=False)
    client.post(reverse("console:catalog_item_reactivate", args=[office_item.pk]), {"version": "1"})
    office_item.refresh_from_db()
    assert office_item.is_active


def test_director_may_not_deactivate_a_company_wide_item(client, director, company_item):
    client.force_login(director)
    url = reverse("console:catalog_item_deactivate", args=[company_item.pk])
    assert client.post(url).status_code == 403
    company_item.refresh_from_db()
    assert company_item.is_active


# --- categories -------------------------------------------------------------------------------


def test_admin_adds_and_edits_categories(client, admin_user, category):
    client.force_login(admin_user)
    url = reverse("console:catalog_categories")
    response = client.post(url, {"name": "家政服务", "kind": "household", "position": 2})
    assert response.status_code == 302
    new = ServiceCategory.objects.get(name="家政服务")
    edit = reverse("console:catalog_category_edit", args=[new.pk])
    assert (
        client.post(edit, {"name": "家政保洁", "kind": "household", "position": 2}).status_code
        == 302
    )
    new.refresh_from_db()
    assert new.name == "家政保洁"


def test_duplicate_category_is_refused(client, admin_user, category):
    client.force_login(admin_user)
    response = client.post(
        reverse("console:catalog_categories"),
        {"name": category.name, "kind": "repair", "position": 0},
    )
    assert response.status_code == 400
    assert "There is already a category named" in response.content.decode()
    assert ServiceCategory.objects.count() == 1


def test_director_may_read_but_not_change_categories(client, director, category):
    client.force_login(director)
    url = reverse("console:catalog_categories")
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "x", "kind": "repair", "position": 0}).status_code == 403
    edit = reverse("console:catalog_category_edit", args=[category.pk])
    assert client.get(edit).status_code == 403
    assert ServiceCategory.objects.count() == 1


# --- wording a user notices -------------------------------------------------------------------


def _english(user):
    user.language = "en"  # the console speaks Chinese unless the person chose English
    user.save(update_fields=["language"])
    return user


def test_the_item_form_offers_a_category_by_name_not_dashes(client, director, category):
    client.force_login(_english(director))
    html = client.get(NEW).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>Choose a category…</option>' in html


def test_numbers_typed_into_steps_are_not_shown_twice(client, agent, company_item):
    # An item saved before the catalogue took such numbers off.
    company_item.steps.filter(position=1).update(title="1. 上门查看")
    client.force_login(agent)
    html = client.get(reverse("console:catalog_item", args=[company_item.pk])).content.decode()
    assert "<strong>上门查看</strong>" in html and "1. 上门查看" not in html


def test_the_major_defect_mark_names_no_rule(client, director, category):
    client.force_login(_english(director))
    html = client.get(NEW).content.decode()
    assert "(M14)" not in html
