from decimal import Decimal

import pytest

from propdesk.catalog import services
from propdesk.catalog.models import ProcedureStep, ServiceCategory, ServiceItem
from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.tickets.models import Channel, Kind, Ticket
from tests import factories as f


def _snapshot(item):
    item.refresh_from_db()
    return (
        {f: getattr(item, f) for f in services.ITEM_FIELDS},
        item.is_active,
        list(item.steps.values_list("position", "title", "detail", "needs_photo")),
    )


# --- create -----------------------------------------------------------------------------------


def test_director_adds_an_item_to_his_own_office(director, office, item_values):
    item = services.item_create(
        actor=director,
        office=office,
        steps=[{"title": "上门查看"}, {"title": "清洗", "detail": "拆滤网", "needs_photo": True}],
        **item_values(),
    )
    item.refresh_from_db()
    assert item.office == office
    assert item.price == Decimal("120.00")
    assert item.is_chargeable
    assert item.default_completion_hours == 48
    assert list(item.steps.values_list("position", "title", "needs_photo")) == [
        (1, "上门查看", False),
        (2, "清洗", True),
    ]
    assert item.history.get().history_user == director


def test_contact_phone_is_stored_in_its_display_form(director, office, item_values):
    item = services.item_create(
        actor=director, office=office, **item_values(contact_phone="0755-12345678")
    )
    assert item.contact_phone == "0755 1234 5678"


def test_contact_phone_is_optional(director, office, item_values):
    item = services.item_create(actor=director, office=office, **item_values(contact_phone=""))
    assert item.contact_phone == ""


def test_admin_adds_a_company_wide_item(admin_user, item_values):
    item = services.item_create(actor=admin_user, office=None, **item_values())
    assert item.office is None


def test_a_unit_is_dropped_unless_priced_per_unit(director, office, item_values):
    item = services.item_create(actor=director, office=office, **item_values(price_unit="次"))
    assert item.price_unit == ""
    assert item.price_label == "¥120.00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"price": "-1"}, "price", "The price cannot be negative."),
        ({"price": "abc"}, "price", "Enter a price in yuan with at most two decimals, e.g. 80.00."),
        (
            {"price": "1.234"},
            "price",
            "Enter a price in yuan with at most two decimals, e.g. 80.00.",
        ),
        ({"price": "NaN"}, "price", "Enter a price in yuan with at most two decimals, e.g. 80.00."),
        ({"price": "100000000"}, "price", "The price is too large."),
        (
            {"pricing": "free", "price": "10"},
            "price",
            "A free item has no price: set the price to 0 or choose another pricing.",
        ),
        ({"pricing": "fixed", "price": "0"}, "price", "A chargeable item needs a price above ¥0."),
        ({"pricing": "from", "price": ""}, "price", "A chargeable item needs a price above ¥0."),
        (
            {"pricing": "per_unit", "price": "30", "price_unit": " "},
            "price_unit",
            "Say what the price is per, e.g. 次, 米 or 小时.",
        ),
        (
            {"pricing": "gratis"},
            "pricing",
            "Choose how the item is priced: free, fixed, from or per unit.",
        ),
        ({"contact_phone": "12345"}, "contact_phone", "“12345” is not a valid phone number."),
        (
            {"default_completion_hours": 0},
            "default_completion_hours",
            "Enter a whole number of hours from 1 to 720.",
        ),
        (
            {"default_completion_hours": 721},
            "default_completion_hours",
            "Enter a whole number of hours from 1 to 720.",
        ),
        (
            {"default_completion_hours": "soon"},
            "default_completion_hours",
            "Enter a whole number of hours from 1 to 720.",
        ),
        ({"name": "  "}, "name", "Enter the item's name."),
        ({"name": "长" * 81}, "name", "At most 80 characters."),
        ({"category": None}, "category", "Choose a category."),
    ],
)
def test_bad_item_input_is_refused_and_nothing_is_created(
    director, office, item_values, overrides, field, message
):
    with pytest.raises(DomainError) as err:
        services.item_create(actor=director, office=office, **item_values(**overrides))
    assert err.value.field == field
    assert str(err.value.message) == message
    assert err.value.status == 400
    assert not ServiceItem.objects.exists()
    assert not ProcedureStep.objects.exists()


def test_a_step_without_a_title_is_refused_and_nothing_is_created(director, office, item_values):
    with pytest.raises(DomainError) as err:
        services.item_create(
            actor=director,
            office=office,
            steps=[{"title": "上门查看"}, {"title": " ", "detail": "清洗"}],
            **item_values(),
        )
    assert err.value.field == "steps"
    assert str(err.value.message) == "Step 2 needs a title."
    assert not ServiceItem.objects.exists()


def test_a_second_active_item_of_the_same_name_is_refused(
    director, office, office_item, item_values
):
    with pytest.raises(DomainError) as err:
        services.item_create(actor=director, office=office, **item_values(name=office_item.name))
    assert err.value.field == "name"
    assert "already an item named" in str(err.value.message)
    assert ServiceItem.objects.filter(name=office_item.name).count() == 1


def test_an_office_may_reuse_a_company_wide_items_name(director, office, company_item, item_values):
    item = services.item_create(
        actor=director, office=office, **item_values(name=company_item.name)
    )
    assert item.office == office


# --- permissions ------------------------------------------------------------------------------


def test_director_may_not_add_a_company_wide_item(director, item_values):
    with pytest.raises(Forbidden) as err:
        services.item_create(actor=director, office=None, **item_values())
    assert str(err.value.message) == (
        "Company-wide items are managed by the company: ask an administrator."
    )
    assert not ServiceItem.objects.exists()


def test_director_may_not_add_to_another_offices_catalogue(director, other_office, item_values):
    # Another office is not the director's to name: it is not found, as everywhere else.
    with pytest.raises(NotFound) as err:
        services.item_create(actor=director, office=other_office, **item_values())
    assert err.value.field == "office"
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, item: services.item_update(actor=actor, item=item, name="新名字"),
        lambda actor, item: services.steps_replace(actor=actor, item=item, steps=[{"title": "x"}]),
        lambda actor, item: services.item_deactivate(actor=actor, item=item),
    ],
    ids=["update", "steps", "deactivate"],
)
def test_director_may_not_change_a_company_wide_item(director, company_item, change):
    before = _snapshot(company_item)
    with pytest.raises(Forbidden) as err:
        change(director, company_item)
    assert "ask an administrator" in str(err.value.message)
    assert _snapshot(company_item) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda actor, item: services.item_update(actor=actor, item=item, name="新名字"),
        lambda actor, item: services.steps_replace(actor=actor, item=item, steps=[{"title": "x"}]),
        lambda actor, item: services.item_deactivate(actor=actor, item=item),
    ],
    ids=["update", "steps", "deactivate"],
)
def test_director_may_not_change_another_offices_item(director, other_office_item, change):
    before = _snapshot(other_office_item)
    with pytest.raises(NotFound):
        change(director, other_office_item)
    assert _snapshot(other_office_item) == before


@pytest.mark.parametrize("persona", ["agent", "technician", "followup", "quality", "leadership"])
def test_roles_without_catalog_edit_may_not_change_items(request, persona, office_item):
    actor = request.getfixturevalue(persona)
    before = _snapshot(office_item)
    with pytest.raises(Forbidden) as err:
        services.item_update(actor=actor, item=office_item, name="新名字")
    assert str(err.value.message) == "Your role may not do this."
    assert _snapshot(office_item) == before


def test_admin_may_change_any_item(admin_user, company_item, other_office_item):
    services.item_update(actor=admin_user, item=company_item, service_hours="24小时")
    services.item_update(actor=admin_user, item=other_office_item, service_hours="24小时")
    company_item.refresh_from_db()
    other_office_item.refresh_from_db()
    assert company_item.service_hours == other_office_item.service_hours == "24小时"


def test_can_edit_item_matches_the_services_rule(
    director, admin_user, agent, office_item, company_item
):
    assert services.can_edit_item(director, office_item)
    assert not services.can_edit_item(director, company_item)
    assert services.can_edit_item(admin_user, company_item)
    assert not services.can_edit_item(agent, office_item)


# --- update -----------------------------------------------------------------------------------


def test_update_saves_the_changed_fields_and_records_who(director, office_item):
    item = services.item_update(
        actor=director, item=office_item, pricing="per_unit", price="45.5", price_unit="米"
    )
    item.refresh_from_db()
    assert (item.pricing, item.price, item.price_unit) == ("per_unit", Decimal("45.50"), "米")
    assert item.price_label == "¥45.50 per 米"
    assert item.history.first().history_user == director


def test_update_validates_the_item_as_a_whole_and_changes_nothing(director, office_item):
    # The item costs ¥80: calling it free without clearing the price is a contradiction.
    before = _snapshot(office_item)
    with pytest.raises(DomainError) as err:
        services.item_update(actor=director, item=office_item, pricing="free")
    assert err.value.field == "price"
    assert _snapshot(office_item) == before


def test_update_with_bad_steps_changes_neither_fields_nor_steps(director, office_item):
    before = _snapshot(office_item)
    with pytest.raises(DomainError):
        services.item_update(actor=director, item=office_item, name="新名字", steps=[{"title": ""}])
    assert _snapshot(office_item) == before


def test_update_leaves_an_untouched_phone_as_stored(director, office_item):
    ServiceItem.objects.filter(pk=office_item.pk).update(contact_phone="内线 8001")
    services.item_update(actor=director, item=office_item, service_hours="9:00-17:00")
    office_item.refresh_from_db()
    assert office_item.contact_phone == "内线 8001"


def test_update_with_no_change_writes_no_history(director, office_item):
    count = office_item.history.count()
    services.item_update(actor=director, item=office_item, name=office_item.name)
    assert office_item.history.count() == count


# --- steps (M11) ------------------------------------------------------------------------------


def test_m11_item_carries_ordered_procedure_steps(director, office, item_values):
    item = services.item_create(
        actor=director,
        office=office,
        steps=[
            {"title": "断电检查"},
            {"title": "更换开关"},
            {"title": "通电测试", "needs_photo": True},
        ],
        **item_values(),
    )
    assert [(s.position, s.title) for s in item.steps.all()] == [
        (1, "断电检查"),
        (2, "更换开关"),
        (3, "通电测试"),
    ]
    # Replacing the procedure renumbers it in the new order.
    steps = services.steps_replace(
        actor=director,
        item=item,
        steps=[{"title": "通电测试"}, {"title": "断电检查", "detail": "先关总闸"}],
    )
    assert [(s.position, s.title, s.detail) for s in steps] == [
        (1, "通电测试", ""),
        (2, "断电检查", "先关总闸"),
    ]
    assert [s.title for s in item.steps.all()] == ["通电测试", "断电检查"]


def test_steps_replace_with_an_empty_title_changes_nothing(director, office_item):
    before = _snapshot(office_item)
    with pytest.raises(DomainError) as err:
        services.steps_replace(
            actor=director, item=office_item, steps=[{"title": "a"}, {"title": ""}]
        )
    assert str(err.value.message) == "Step 2 needs a title."
    assert _snapshot(office_item) == before


def test_steps_replace_keeps_an_audit_of_removed_and_added_steps(director, office_item):
    services.steps_replace(actor=director, item=office_item, steps=[{"title": "新步骤"}])
    history = ProcedureStep.history.filter(item_id=office_item.pk)
    assert set(history.values_list("history_type", "title", "history_user")) == {
        ("+", "查看门窗", None),  # made by the factory, outside any service
        ("+", "更换配件", None),
        ("-", "查看门窗", director.pk),
        ("-", "更换配件", director.pk),
        ("+", "新步骤", director.pk),
    }


def test_steps_can_be_cleared(director, office_item):
    assert services.steps_replace(actor=director, item=office_item, steps=[]) == []
    assert not office_item.steps.exists()


# --- deactivate -------------------------------------------------------------------------------


def test_an_item_named_by_a_request_is_deactivated_not_deleted(
    director, office_item, customer, agent
):
    ticket = Ticket.objects.create(
        office=customer.office,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        customer=customer,
        item=office_item,
        description="窗户关不上",
        due_at=f.in_hours(24),
    )
    services.item_deactivate(actor=director, item=office_item)
    office_item.refresh_from_db()
    assert not office_item.is_active
    ticket.refresh_from_db()
    assert ticket.item == office_item
    assert office_item.history.first().history_user == director


def test_deactivating_twice_is_a_conflict(director, office_item):
    services.item_deactivate(actor=director, item=office_item)
    with pytest.raises(Conflict) as err:
        services.item_deactivate(actor=director, item=office_item)
    assert str(err.value.message) == "This item is already inactive."


def test_reactivating_brings_the_item_back(director, office_item):
    services.item_deactivate(actor=director, item=office_item)
    services.item_reactivate(actor=director, item=office_item)
    office_item.refresh_from_db()
    assert office_item.is_active


def test_reactivating_is_refused_when_an_active_item_took_its_name(
    director, office, office_item, item_values
):
    services.item_deactivate(actor=director, item=office_item)
    services.item_create(actor=director, office=office, **item_values(name=office_item.name))
    with pytest.raises(DomainError) as err:
        services.item_reactivate(actor=director, item=office_item)
    assert err.value.field == "name"
    office_item.refresh_from_db()
    assert not office_item.is_active


# --- categories -------------------------------------------------------------------------------


def test_admin_creates_and_renames_a_category(admin_user):
    category = services.category_create(actor=admin_user, name="家政服务", kind="household")
    services.category_update(actor=admin_user, category=category, name="家政保洁", position=3)
    category.refresh_from_db()
    assert (category.name, category.kind, category.position) == ("家政保洁", "household", 3)


def test_director_may_not_change_categories(director, category):
    with pytest.raises(Forbidden) as err:
        services.category_create(actor=director, name="家政服务", kind="household")
    assert str(err.value.message) == "Service categories are company-wide: ask an administrator."
    with pytest.raises(Forbidden):
        services.category_update(actor=director, category=category, name="改名")
    category.refresh_from_db()
    assert category.name == "水电维修类"
    assert ServiceCategory.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"name": " ", "kind": "repair"}, "name", "Enter the category's name."),
        (
            {"name": "水电维修类", "kind": "repair"},
            "name",
            "There is already a category named “水电维修类”.",
        ),
        ({"name": "新类", "kind": "other"}, "kind", "Choose the category's kind."),
        (
            {"name": "新类", "kind": "repair", "position": -1},
            "position",
            "Enter a position from 0 to 32767.",
        ),
    ],
)
def test_bad_category_input_is_refused(admin_user, category, kwargs, field, message):
    with pytest.raises(DomainError) as err:
        services.category_create(actor=admin_user, **kwargs)
    assert (err.value.field, str(err.value.message)) == (field, message)
    assert ServiceCategory.objects.count() == 1


def test_m11_a_number_typed_in_front_of_a_step_is_taken_off(director, office, item_values):
    # The procedure is a numbered list: "1. 断电检查" would read "1. 1. 断电检查".
    item = services.item_create(
        actor=director,
        office=office,
        steps=[{"title": "1. 断电检查"}, {"title": "2、更换开关"}, {"title": "1.5米线更换"}],
        **item_values(),
    )
    assert [s.title for s in item.steps.all()] == ["断电检查", "更换开关", "1.5米线更换"]
