"""The Django admin is no side door around the services.

A request's deadline, technician and status change only through the services, which raise the
``version``, write the timeline and keep the rules (M09: a deadline moves only through an
extension agreed with the customer). In the admin those records are read-only: a superuser
posting changes gets a refusal and the row stays as it was. Every admin page still opens.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from propdesk.core.models import Notification
from propdesk.hotline.models import Call, DutyShift
from propdesk.org.models import Department
from propdesk.portal.models import PortalAccount
from propdesk.tickets.models import (
    Charge,
    Contact,
    Extension,
    Quote,
    QuoteLine,
    Ticket,
    TicketEvent,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

# Fields a service decides: never editable in any admin form.
LIFECYCLE_FIELDS = {
    "status",
    "state",
    "version",
    "due_at",
    "assignee",
    "handler",
    "final_charge",
    "total",
    "amount",
    "published_at",
    "is_major_defect",
    "locked_until",
    "created_by",
    "recorded_by",
}

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


def snapshot(ticket):
    row = Ticket.objects.get(pk=ticket.pk)
    return {
        "due_at": row.due_at,
        "assignee": row.assignee_id,
        "status": row.status,
        "version": row.version,
        "final_charge": row.final_charge,
        "updated_at": row.updated_at,
        "events": row.events.count(),
        "history": row.history.count(),
    }


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


def inline_management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def ticket_form_data(ticket, **changes):
    """A complete change form for ``ticket``, as an editable admin would have taken it: every
    field with its value (or the one in ``changes``), and its inlines' rows as they are."""
    data = {"_save": "Save"}
    for field in Ticket._meta.concrete_fields:
        if field.auto_created or not field.editable:
            continue
        value = changes.get(field.name, field.value_from_object(ticket))
        if isinstance(value, dt.datetime):
            data[f"{field.name}_0"], data[f"{field.name}_1"] = local(value).split(" ")
        elif isinstance(value, bool):
            if value:
                data[field.name] = "on"
        else:
            data[field.name] = "" if value is None else str(value)
    for prefix in ("assignments", "checklist", "events"):
        pks = list(getattr(ticket, prefix).order_by("pk").values_list("pk", flat=True))
        data |= inline_management(prefix, len(pks), len(pks))
        for i, pk in enumerate(pks):
            data[f"{prefix}-{i}-id"] = str(pk)
            data[f"{prefix}-{i}-ticket"] = str(ticket.pk)
    return data


@pytest.fixture
def signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


# --- requests -----------------------------------------------------------------------------


def test_m09_admin_cannot_change_a_ticket_due_time(signed_in, dispatched, technician2):
    before = snapshot(dispatched)
    url = reverse("admin:tickets_ticket_change", args=[dispatched.pk])
    later = dispatched.due_at + dt.timedelta(days=3)

    page = signed_in.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("due_at", "assignee", "status", "version", "final_charge"):
        assert f'name="{field}' not in html  # shown, never as an input

    response = signed_in.post(
        url,
        ticket_form_data(
            dispatched,
            due_at=later,
            assignee=technician2.pk,
            status="closed",
            version=99,
            final_charge="500.00",
        ),
    )

    assert response.status_code == 403
    assert snapshot(dispatched) == before


def test_a_ticket_cannot_be_reverted_to_an_earlier_version_in_the_admin(
    signed_in, dispatched, technician2
):
    # django-simple-history's "revert" saves a posted form: it must be refused too.
    before = snapshot(dispatched)
    earliest = dispatched.history.earliest()
    url = reverse("admin:tickets_ticket_simple_history", args=[dispatched.pk, earliest.pk])
    assert signed_in.get(url).status_code == 200

    data = ticket_form_data(
        dispatched, due_at=dispatched.due_at + dt.timedelta(days=3), assignee=technician2.pk
    )
    response = signed_in.post(url, {**data, "_change_history": "1"})

    assert response.status_code == 403
    assert snapshot(dispatched) == before


def test_the_ticket_list_renders_with_a_search(signed_in, dispatched, make_ticket):
    other = make_ticket(description="阳台门锁坏了")
    url = reverse("admin:tickets_ticket_changelist")

    response = signed_in.get(url, {"q": dispatched.number})

    assert response.status_code == 200
    html = response.content.decode()
    assert dispatched.number in html
    assert other.number not in html
    assert signed_in.get(url, {"status__exact": "dispatched"}).status_code == 200


def test_a_ticket_cannot_be_added_or_deleted_in_the_admin(signed_in, dispatched):
    before = snapshot(dispatched)
    count = Ticket.objects.count()

    assert signed_in.get(reverse("admin:tickets_ticket_add")).status_code == 403
    delete = reverse("admin:tickets_ticket_delete", args=[dispatched.pk])
    assert signed_in.post(delete, {"post": "yes"}).status_code == 403

    assert Ticket.objects.count() == count
    assert snapshot(dispatched) == before


def test_timeline_events_cannot_be_added_through_the_admin(signed_in, dispatched):
    before = snapshot(dispatched)
    events = list(dispatched.events.values_list("pk", flat=True).order_by("pk"))
    data = ticket_form_data(dispatched)
    new = len(events)
    data |= inline_management("events", new + 1, new)
    data |= {
        f"events-{new}-ticket": str(dispatched.pk),
        f"events-{new}-at_0": "2026-01-01",
        f"events-{new}-at_1": "09:00:00",
        f"events-{new}-kind": "note",
        f"events-{new}-note": "客户同意延期到下周",  # an agreement nobody made
        f"events-{new}-customer_visible": "on",
    }

    response = signed_in.post(reverse("admin:tickets_ticket_change", args=[dispatched.pk]), data)

    assert response.status_code == 403
    assert list(dispatched.events.values_list("pk", flat=True).order_by("pk")) == events
    assert snapshot(dispatched) == before


def test_timeline_events_cannot_be_deleted_through_the_admin(signed_in, dispatched):
    before = snapshot(dispatched)
    events = list(dispatched.events.values_list("pk", flat=True).order_by("pk"))
    data = ticket_form_data(dispatched)
    data |= {f"events-{i}-DELETE": "on" for i in range(len(events))}

    response = signed_in.post(reverse("admin:tickets_ticket_change", args=[dispatched.pk]), data)

    assert response.status_code == 403
    assert list(dispatched.events.values_list("pk", flat=True).order_by("pk")) == events
    assert snapshot(dispatched) == before


def test_timeline_events_have_no_admin_of_their_own(signed_in):
    assert TicketEvent not in admin.site._registry
    assert signed_in.get("/admin/tickets/ticketevent/add/").status_code == 404


def test_an_extension_cannot_be_recorded_in_the_admin(signed_in, dispatched, agent, customer):
    # M09: the deadline moves only through ``ticket_extend``, after the customer agreed.
    before = snapshot(dispatched)
    contact = Contact.objects.create(
        office=dispatched.office,
        customer=customer,
        ticket=dispatched,
        channel="hotline",
        direction="out",
        stage="during",
        at=timezone.now(),
        summary="致电客户",
    )
    later = dispatched.due_at + dt.timedelta(days=2)

    add = signed_in.post(
        reverse("admin:tickets_extension_add"),
        {
            "ticket": dispatched.pk,
            "contact": contact.pk,
            "old_due_at_0": local(dispatched.due_at)[:10],
            "old_due_at_1": local(dispatched.due_at)[11:],
            "new_due_at_0": local(later)[:10],
            "new_due_at_1": local(later)[11:],
            "reason": "配件未到",
            "created_by": agent.pk,
        },
    )

    assert add.status_code == 403
    assert not Extension.objects.exists()
    assert snapshot(dispatched) == before


# --- every admin page -----------------------------------------------------------------------


@pytest.fixture
def world(
    admin_user, agent, director, technician, customer, household, office, company, dispatched
):
    """At least one row of every registered model, most of them as the services write them."""
    from propdesk.community import services as community
    from propdesk.community.models import Activity, Registration
    from propdesk.guide import services as guide
    from propdesk.notices import services as notices
    from propdesk.notices.models import Notice, NoticeRevision
    from propdesk.org.tokens import token_issue

    now = timezone.now()
    paid = f.ServiceItemFactory(name="换锁", chargeable=True)
    quote = Quote.objects.create(
        ticket=dispatched,
        state=Quote.State.ACCEPTED,
        total=Decimal("80.00"),
        token_hash="0" * 64,
        expires_at=now + dt.timedelta(days=1),
        created_by=agent,
    )
    QuoteLine.objects.create(
        quote=quote, item=paid, description="换锁", unit_price=Decimal("80.00"), amount=80
    )
    contact = Contact.objects.create(
        office=office,
        customer=customer,
        household=household,
        ticket=dispatched,
        channel="hotline",
        direction="out",
        stage="during",
        staff=agent,
        at=now,
        summary="客户同意延期",
    )
    Extension.objects.create(
        ticket=dispatched,
        contact=contact,
        old_due_at=dispatched.due_at,
        new_due_at=dispatched.due_at + dt.timedelta(days=1),
        reason="配件未到",
        created_by=agent,
        created_at=now,
    )
    Charge.objects.create(
        office=office,
        ticket=dispatched,
        customer=customer,
        household=household,
        item=paid,
        amount=Decimal("80.00"),
        recorded_at=now,
        recorded_by=technician,
    )
    line = f.HotlineLineFactory(office=office, number="+8675588999001")
    Call.objects.create(
        line=line,
        office=office,
        caller_number="+8613912345678",
        caller_e164="+8613912345678",
        started_at=now,
        handler=agent,
        customer=customer,
    )
    DutyShift.objects.create(
        line=line, staff=agent, starts_at=now, ends_at=now + dt.timedelta(hours=8)
    )
    notice = notices.notice_create(
        actor=director,
        scope=Notice.Scope.OFFICE,
        office=office,
        category=Notice.Category.CUSTOMER_NOTICE,
        title="停水通知",
        body="周六上午停水。",
    )
    NoticeRevision.objects.create(
        notice=notice, number=1, title="停水", body="停水", created_at=now
    )
    activity = community.activity_create(
        actor=agent,
        kind=Activity.Kind.CULTURE,
        title="中秋游园会",
        place="会所",
        starts_at=now + dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=5, hours=2),
        capacity=10,
        now=now,
    )
    Registration.objects.create(
        activity=activity,
        customer=customer,
        state=Registration.State.CONFIRMED,
        channel=Registration.Channel.STAFF,
        queued_at=now,
    )
    guide.edition_publish(actor=director, office=office, now=now)
    Notification.objects.create(
        event="ticket.dispatched",
        channel=Notification.Channel.IN_APP,
        user=technician,
        language="zh-hans",
        subject="新工单",
        body="您有一张新工单",
        next_attempt_at=now,
    )
    PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    Department.objects.create(company=company, office=office, kind="service_center", name="客服")
    token_issue(user=admin_user)


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_every_admin_page_renders(signed_in, world, app_label, model_name):
    model_admin = next(
        a
        for m, a in admin.site._registry.items()
        if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)
    )
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")

    assert signed_in.get(changelist).status_code == 200
    if model_admin.search_fields:
        assert signed_in.get(changelist, {"q": "1"}).status_code == 200
    obj = model_admin.model._default_manager.order_by("pk").first()
    if obj is not None:
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
        assert signed_in.get(change).status_code == 200


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_no_admin_form_edits_what_a_service_decides(admin_user, app_label, model_name):
    model, model_admin = next(
        (m, a)
        for m, a in admin.site._registry.items()
        if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)
    )
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    lifecycle = LIFECYCLE_FIELDS & {f.name for f in model._meta.fields}

    change_form = model_admin.get_form(request, model(), change=True)
    assert not lifecycle & set(change_form.base_fields)
    if model_admin.has_add_permission(request):
        assert not lifecycle & set(model_admin.get_form(request, None).base_fields)
    for inline in model_admin.get_inline_instances(request, model()):
        if inline.has_add_permission(request, None) or inline.has_change_permission(request):
            inline_fields = inline.get_formset(request, model()).form.base_fields
            assert not LIFECYCLE_FIELDS & set(inline_fields)


def test_after_service_records_are_not_editable_in_the_admin(admin_user):
    # Follow-up calls, defect watches and reworks' follow-ups have no admin: if one is ever
    # registered, it must be read-only like the others.
    from django.apps import apps

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model in apps.get_app_config("aftercare").get_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model


# --- reference data stays editable ---------------------------------------------------------


def test_a_community_is_renamed_in_the_admin_but_stays_in_its_office(
    signed_in, household, office, other_office
):
    community = household.unit.building.community
    url = reverse("admin:customers_community_change", args=[community.pk])

    response = signed_in.post(
        url, {"name": "翠苑新城", "address": "翠苑路1号", "office": other_office.pk}
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.name, community.address, community.office_id) == (
        "翠苑新城",
        "翠苑路1号",
        office.pk,
    )


def test_a_household_is_not_opened_in_the_admin(signed_in, household):
    # ``household_create`` opens households, with the office of their unit.
    assert signed_in.get(reverse("admin:customers_household_add")).status_code == 403
    delete = reverse("admin:customers_household_delete", args=[household.pk])
    assert signed_in.post(delete, {"post": "yes"}).status_code == 403


def test_a_portal_account_is_deactivated_in_the_admin_but_keeps_its_number(signed_in, customer):
    account = PortalAccount.objects.create(customer=customer, phone="+8613912345678")
    url = reverse("admin:portal_portalaccount_change", args=[account.pk])

    response = signed_in.post(url, {"phone": "+8613800000000", "locked_until_0": "2030-01-01"})

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.is_active, account.phone, account.locked_until) == (
        False,
        "+8613912345678",
        None,
    )
