from decimal import Decimal

import pytest
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.customers import selectors
from propdesk.history import selectors as history_selectors
from propdesk.tickets.models import Channel, Contact, Kind
from propdesk.tickets.services import contact_record, ticket_create
from tests import factories as f


def names(qs):
    return [c.name for c in qs]


def test_search_by_name_prefix_phone_and_address(agent, customer, office):
    f.CustomerFactory(office=office, name="李娜")
    unit = customer.households.get().unit
    assert names(selectors.customer_list(agent, "张")) == ["张伟"]
    assert names(selectors.customer_list(agent, "139 1234 5678")) == ["张伟"]
    assert names(selectors.customer_list(agent, "+86 139-1234-5678")) == ["张伟"]
    assert names(selectors.customer_list(agent, f"{unit.building.name}-{unit.number}")) == ["张伟"]
    assert names(
        selectors.customer_list(agent, f"{unit.building.name} {unit.entrance} {unit.number}")
    ) == ["张伟"]
    assert names(selectors.customer_list(agent, unit.number)) == ["张伟"]
    assert names(selectors.customer_list(agent, "王")) == []


def test_lists_are_office_scoped(agent, other_agent, quality, customer, other_customer):
    assert names(selectors.customer_list(agent)) == ["张伟"]
    assert names(selectors.customer_list(other_agent)) == ["孙丽"]
    assert sorted(names(selectors.customer_list(quality))) == ["孙丽", "张伟"]
    assert list(selectors.households_for(other_agent)) == list(other_customer.households.all())


def test_another_offices_customer_or_household_is_not_found(other_agent, customer, household):
    with pytest.raises(NotFound):
        selectors.customer_get(other_agent, customer.pk)
    with pytest.raises(NotFound):
        selectors.household_get(other_agent, household.pk)


def test_m24_unused_services_lists_what_the_customer_never_asked_for_special_first(
    agent, customer, office, other_office, free_item, paid_item
):
    special = f.ServiceItemFactory(name="代收快递", is_special=True)
    own = f.ServiceItemFactory(name="本处家政", office=office)
    f.ServiceItemFactory(name="别处服务", office=other_office)
    f.ServiceItemFactory(name="停用", is_active=False)
    f.ServiceItemFactory(name="范围外", in_scope=False)
    ticket_create(
        actor=agent,
        customer=customer,
        kind=Kind.REPAIR,
        channel=Channel.HOTLINE,
        description="堵了",
        item=free_item,
    )
    history = history_selectors.customer_history(customer)
    unused = [i.name for i in history.unused_services]
    assert unused[0] == "代收快递"
    assert set(unused) == {special.name, own.name, paid_item.name}


def test_m24_revenue_sums_the_customers_charges(customer, seed_history, paid_item):
    seed_history(customer, 2, item=paid_item, amount="80.00")
    special = f.ServiceItemFactory(name="代收快递", is_special=True, chargeable=True)
    seed_history(customer, 1, item=special, amount="15.50")
    history = history_selectors.customer_history(customer)
    assert history.revenue == Decimal("175.50")
    assert history.special_revenue == Decimal("15.50")
    assert paid_item not in history.unused_services


def test_m04_contacts_are_filterable_by_stage_channel_and_direction(agent, customer):
    for stage, channel in [("before", "hotline"), ("during", "on_site"), ("after", "followup")]:
        contact_record(
            actor=agent,
            customer=customer,
            summary=f"{stage} 沟通",
            channel=channel,
            direction=Contact.Direction.OUTBOUND,
            stage=stage,
        )

    def stages(**kw):
        history = history_selectors.customer_history(
            customer, filters=history_selectors.ContactFilters(**kw)
        )
        return [c.stage for c in history.contacts]

    assert sorted(stages()) == ["after", "before", "during"]
    assert stages(stage="during") == ["during"]
    assert stages(channel="followup") == ["after"]
    assert stages(direction="in") == []


def test_m12_after_service_channels_are_in_the_history(agent, customer, seed_history):
    contact_record(
        actor=agent,
        customer=customer,
        summary="回访: 满意",
        channel=Channel.FOLLOWUP,
        direction="out",
        stage="after",
    )
    contact_record(
        actor=agent, customer=customer, summary="论坛留言", channel=Channel.FORUM, direction="in"
    )
    seed_history(customer, 1, kind=Kind.COMPLAINT)
    history = history_selectors.customer_history(customer)
    assert {c.summary for c in history.after_service} == {"回访: 满意", "论坛留言"}
    assert [t.kind for t in history.complaints] == ["complaint"]


def test_household_history_gathers_all_its_customers(
    agent, customer, household, office, seed_history
):
    tenant = f.CustomerFactory(office=office, name="租客小王", household=household, kind="tenant")
    seed_history(tenant, 2)
    contact_record(
        actor=agent, customer=customer, summary="无户沟通", channel="walk_in", direction="in"
    )
    elsewhere = f.CustomerFactory(office=office)
    seed_history(elsewhere, 1)
    history = history_selectors.household_history(household)
    assert len(history.tickets) == 2 and len(history.calls) == 2
    assert {c.customer_id for c in history.contacts} == {tenant.pk, customer.pk}
    assert history.revenue == Decimal("160.00")


def test_history_sections_are_bounded_and_flag_more(customer, seed_history):
    seed_history(customer, 4)
    history = history_selectors.customer_history(customer, limit=3)
    assert len(history.tickets) == 3 and history.more["tickets"]
    assert len(history.charges) == 3 and history.more["charges"]
    assert history.revenue == Decimal("320.00")  # the total is over every charge, not the page


def test_contact_list_is_scoped(agent, other_agent, customer):
    contact_record(
        actor=agent,
        customer=customer,
        summary="你好",
        channel="hotline",
        direction="in",
        at=timezone.now(),
    )
    assert history_selectors.contact_list(agent, customer=customer.pk).count() == 1
    assert history_selectors.contact_list(other_agent, customer=customer.pk).count() == 0
