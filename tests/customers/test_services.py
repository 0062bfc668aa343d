import pytest

from propdesk.core.errors import Conflict, DomainError, Forbidden, NotFound
from propdesk.customers import services
from propdesk.customers.models import Customer, CustomerPhone, Household, Residence
from tests import factories as f


@pytest.fixture
def unit(office):
    return f.UnitFactory(building__community__office=office, number="1201")


def test_create_customer_normalizes_phones_and_joins_the_units_household(agent, office, unit):
    customer = services.customer_create(
        actor=agent,
        office=office,
        name=" 王芳 ",
        kind=Customer.Kind.TENANT,
        phones=["139 1111 2222", "+86 139-1111-2222", "13933334444"],
        unit=unit,
        is_important=True,
    )
    assert customer.name == "王芳" and customer.is_important
    phones = list(customer.phones.order_by("pk").values_list("number", "is_primary"))
    assert phones == [("+8613911112222", True), ("+8613933334444", False)]
    household = Household.objects.get(unit=unit, is_active=True)
    assert Residence.objects.get(customer=customer).household == household
    assert customer.history.get().history_user == agent


def test_create_customer_reuses_the_units_current_household(agent, office, household):
    customer = services.customer_create(
        actor=agent,
        office=office,
        name="张敏",
        kind=Customer.Kind.OWNER,
        phones="13955556666",
        unit=household.unit,
    )
    assert list(customer.households.all()) == [household]
    assert Household.objects.filter(unit=household.unit).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"phones": ["12345"]}, "phones"),
        ({"phones": []}, "phones"),
        ({"name": "  "}, "name"),
        ({"kind": "landlord"}, "kind"),
    ],
)
def test_create_customer_refuses_bad_input_and_writes_nothing(agent, office, kwargs, field):
    args = {"name": "王芳", "kind": Customer.Kind.OWNER, "phones": ["13911112222"], **kwargs}
    with pytest.raises(DomainError) as err:
        services.customer_create(actor=agent, office=office, **args)
    assert err.value.field == field
    assert not Customer.objects.exists() and not CustomerPhone.objects.exists()


def test_invalid_phone_message_names_the_number(agent, office):
    with pytest.raises(DomainError) as err:
        services.customer_create(
            actor=agent, office=office, name="王芳", kind="owner", phones=["12345"]
        )
    assert "12345" in str(err.value.message) and err.value.code == "invalid_phone"


def test_create_in_another_office_is_not_found(agent, other_office):
    with pytest.raises(NotFound):
        services.customer_create(
            actor=agent, office=other_office, name="王芳", kind="owner", phones=["13911112222"]
        )
    assert not Customer.objects.exists()


def test_create_with_another_offices_unit_is_not_found(agent, office, other_office):
    unit = f.UnitFactory(building__community__office=other_office)
    with pytest.raises(NotFound) as err:
        services.customer_create(
            actor=agent,
            office=office,
            name="王芳",
            kind="owner",
            phones=["13911112222"],
            unit=unit,
        )
    assert err.value.field == "unit"
    assert not Customer.objects.exists()


def test_technician_may_not_create_customers(technician, office):
    with pytest.raises(Forbidden):
        services.customer_create(
            actor=technician, office=office, name="王芳", kind="owner", phones=["13911112222"]
        )
    assert not Customer.objects.exists()


def test_update_saves_only_what_changed_with_history(agent, customer):
    services.customer_update(
        actor=agent, customer=customer, is_important=True, name="张伟", note=" 腿脚不便 "
    )
    customer.refresh_from_db()
    assert customer.is_important and customer.note == "腿脚不便"
    latest = customer.history.first()
    assert latest.history_user == agent and latest.is_important


def test_update_refuses_an_empty_name(agent, customer):
    with pytest.raises(DomainError) as err:
        services.customer_update(actor=agent, customer=customer, name="")
    assert err.value.field == "name"
    customer.refresh_from_db()
    assert customer.name == "张伟"


def test_update_by_another_office_is_not_found(other_agent, customer):
    with pytest.raises(NotFound):
        services.customer_update(actor=other_agent, customer=customer, is_important=True)
    customer.refresh_from_db()
    assert not customer.is_important


def test_add_phone_normalizes_and_can_become_primary(agent, customer):
    phone = services.customer_add_phone(
        actor=agent, customer=customer, number="139-8888-7777", label="家", is_primary=True
    )
    assert phone.number == "+8613988887777" and phone.is_primary
    assert customer.phones.filter(is_primary=True).get() == phone


def test_add_invalid_phone_names_the_field_and_adds_nothing(agent, customer):
    with pytest.raises(DomainError) as err:
        services.customer_add_phone(actor=agent, customer=customer, number="call me")
    assert err.value.field == "phone"
    assert customer.phones.count() == 1


def test_add_the_same_number_twice_is_a_conflict(agent, customer):
    with pytest.raises(Conflict):
        services.customer_add_phone(actor=agent, customer=customer, number="13912345678")
    assert customer.phones.count() == 1


def test_remove_phone_hands_primary_on(agent, customer):
    second = services.customer_add_phone(actor=agent, customer=customer, number="13977776666")
    first = customer.phones.get(is_primary=True)
    services.customer_remove_phone(actor=agent, customer=customer, phone_id=first.pk)
    assert list(customer.phones.all()) == [second]
    second.refresh_from_db()
    assert second.is_primary


def test_the_last_phone_cannot_be_removed(agent, customer):
    phone = customer.phones.get()
    with pytest.raises(Conflict) as err:
        services.customer_remove_phone(actor=agent, customer=customer, phone_id=phone.pk)
    assert err.value.field == "phone"
    assert customer.phones.count() == 1


def test_remove_another_customers_phone_is_not_found(agent, customer, office):
    stranger = f.CustomerFactory(office=office)
    services.customer_add_phone(actor=agent, customer=customer, number="13977776666")
    with pytest.raises(NotFound):
        services.customer_remove_phone(
            actor=agent, customer=customer, phone_id=stranger.phones.get().pk
        )
    assert stranger.phones.count() == 1


def test_household_create_and_link(agent, office, unit):
    household = services.household_create(actor=agent, unit=unit, name="王家")
    assert household.office == office and household.history.get().history_user == agent
    tenant = f.CustomerFactory(office=office, kind=Customer.Kind.TENANT)
    services.customer_link_household(actor=agent, customer=tenant, household=household)
    assert Residence.objects.get(customer=tenant, household=household).kind == "tenant"


def test_a_unit_has_one_current_household(agent, household):
    with pytest.raises(Conflict) as err:
        services.household_create(actor=agent, unit=household.unit)
    assert err.value.field == "unit"
    assert Household.objects.filter(unit=household.unit).count() == 1


def test_linking_twice_is_a_conflict(agent, customer, household):
    with pytest.raises(Conflict):
        services.customer_link_household(actor=agent, customer=customer, household=household)
    assert Residence.objects.filter(customer=customer).count() == 1


def test_linking_another_offices_household_is_not_found(agent, customer, other_customer):
    household = other_customer.households.get()
    with pytest.raises(NotFound):
        services.customer_link_household(actor=agent, customer=customer, household=household)
    assert customer.households.count() == 1


def test_unlink_household(agent, customer, household):
    services.customer_unlink_household(actor=agent, customer=customer, household=household)
    assert not customer.households.exists()


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("139 1234 5678", ["139 1234 5678"]),
        ("13911112222 13922223333", ["13911112222", "13922223333"]),
        ("13911112222；0755-26881234", ["13911112222", "0755-26881234"]),
        ("0755 2688 1234 / 139 1111 2222", ["0755 2688 1234", "139 1111 2222"]),
    ],
)
def test_split_phones_keeps_digit_groups_of_one_number_together(text, parts):
    assert services.split_phones(text) == parts
