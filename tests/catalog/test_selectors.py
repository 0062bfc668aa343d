import pytest

from propdesk.catalog import selectors
from propdesk.catalog.selectors import ItemFilters
from propdesk.core.errors import NotFound
from tests import factories as f


def _names(qs):
    return sorted(item.name for item in qs)


def test_an_office_sees_company_wide_items_and_its_own_not_another_offices(
    agent, company_item, office_item, other_office_item
):
    assert _names(selectors.items_for_user(agent)) == sorted([company_item.name, office_item.name])


def test_a_company_role_sees_every_offices_items(
    quality, company_item, office_item, other_office_item
):
    assert len(selectors.items_for_user(quality)) == 3


def test_the_office_filter_shows_that_offices_catalogue(
    quality, other_office, company_item, office_item, other_office_item
):
    items = selectors.items_for_user(quality, ItemFilters(office=other_office.pk))
    assert _names(items) == sorted([company_item.name, other_office_item.name])


def test_items_for_office_is_active_items_in_category_order(office, category, office_item):
    first = f.ServiceCategoryFactory(name="公共事务", position=0)
    early = f.ServiceItemFactory(category=first, name="代收快递")
    f.ServiceItemFactory(category=category, name="已停用", is_active=False)
    f.ServiceItemFactory(category=category, name="别处的", office=f.OfficeFactory())
    assert list(selectors.items_for_office(office.pk)) == [early, office_item]


def test_grouped_lays_items_out_by_category(office, category, office_item, company_item):
    first = f.ServiceCategoryFactory(name="公共事务", position=0)
    early = f.ServiceItemFactory(category=first, name="代收快递")
    groups = selectors.grouped(selectors.items_for_office(office.pk))
    assert groups == [(first, [early]), (category, [company_item, office_item])]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ItemFilters(chargeable=True), ["门窗维修"]),
        (ItemFilters(chargeable=False), ["管道疏通", "预约看房"]),
        (ItemFilters(in_scope=False), ["预约看房"]),
        (ItemFilters(q="疏通"), ["管道疏通"]),
        (ItemFilters(active=None), ["门窗维修", "管道疏通", "预约看房", "停用项目"]),
    ],
)
def test_filters(agent, office, company_item, office_item, filters, expected):
    f.ServiceItemFactory(name="预约看房", office=office, in_scope=False)
    f.ServiceItemFactory(name="停用项目", office=office, is_active=False)
    assert _names(selectors.items_for_user(agent, filters)) == sorted(expected)


def test_category_filter(agent, company_item):
    other = f.ServiceItemFactory(name="家政保洁")
    assert _names(selectors.items_for_user(agent, ItemFilters(category=other.category_id))) == [
        "家政保洁"
    ]


def test_item_get_hides_another_offices_item(agent, other_office_item):
    with pytest.raises(NotFound):
        selectors.item_get(agent, other_office_item.pk)


def test_item_get_finds_company_wide_and_own_items(agent, company_item, office_item):
    assert selectors.item_get(agent, company_item.pk) == company_item
    assert selectors.item_get(agent, office_item.pk) == office_item


@pytest.mark.parametrize("pk", [999999, "abc", None])
def test_item_get_of_nothing_is_not_found(agent, pk):
    with pytest.raises(NotFound):
        selectors.item_get(agent, pk)


def test_a_signed_out_user_sees_nothing(company_item):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.items_for_user(AnonymousUser()).exists()
