import pytest
from django.urls import reverse
from django.utils import timezone

from propdesk.customers.models import Community, Customer, CustomerPhone
from propdesk.tickets.models import Contact, Kind
from tests import factories as f
from tests.queries import count_queries, same_queries

from .conftest import xlsx


@pytest.fixture
def as_agent(client, agent):
    client.force_login(agent)
    return client


def detail(customer):
    return reverse("console:customer_detail", args=[customer.pk])


def test_customer_list_searches_and_paginates(as_agent, customer, office):
    for i in range(55):
        f.CustomerFactory(office=office, name=f"李{i:02d}")
    page = as_agent.get(reverse("console:customer_list"))
    assert page.status_code == 200 and "Page 1 of 2" in page.content.decode()
    found = as_agent.get(reverse("console:customer_list"), {"q": "13912345678"})
    assert "张伟" in found.content.decode() and "李00" not in found.content.decode()


def test_customer_list_answers_htmx_with_the_results_only(as_agent, customer):
    page = as_agent.get(reverse("console:customer_list"), {"q": "张"}, HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert 'id="results"' in body and "<html" not in body and "张伟" in body


def test_customer_list_empty_state(as_agent):
    body = as_agent.get(reverse("console:customer_list"), {"q": "无此人"}).content.decode()
    assert "No customer matches" in body


def test_customer_list_query_count_is_constant(client, agent, office):
    client.force_login(agent)

    def count(n):
        Customer.objects.all().delete()
        for _ in range(n):
            f.CustomerFactory(office=office)
        with count_queries() as ctx:
            assert client.get(reverse("console:customer_list")).status_code == 200
        return ctx

    same_queries(count(3), count(15))


def test_m01_whole_history_on_one_page(as_agent, customer, seed_history, paid_item):
    seed_history(customer, 2, item=paid_item)
    body = as_agent.get(detail(customer)).content.decode()
    for section in (
        'id="contacts"',
        'id="requests"',
        'id="calls"',
        'id="money"',
        'id="after-service"',
        'id="unused"',
    ):
        assert section in body
    assert "来电报修 0" in body and "第1次报修" in body  # a contact and a request
    assert "¥160.00" in body  # revenue (M24)
    assert f"/console/requests/new/?customer={customer.pk}" in body


def test_customer_page_query_count_is_constant(client, agent, customer, seed_history):
    client.force_login(agent)

    def count():
        with count_queries() as ctx:
            assert client.get(detail(customer)).status_code == 200
        return ctx

    seed_history(customer, 3)
    few = count()
    seed_history(customer, 12)
    same_queries(few, count())


def test_household_page_query_count_is_constant(client, agent, customer, household, seed_history):
    client.force_login(agent)
    url = reverse("console:household_detail", args=[household.pk])

    def count():
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        return ctx

    seed_history(customer, 3)
    few = count()
    seed_history(customer, 12)
    f.CustomerFactory(office=customer.office, household=household)
    same_queries(few, count())


def test_another_offices_pages_are_404(as_agent, other_customer):
    household = other_customer.households.get()
    assert as_agent.get(detail(other_customer)).status_code == 404
    assert as_agent.get(reverse("console:household_detail", args=[household.pk])).status_code == 404
    assert (
        as_agent.get(reverse("console:customer_edit", args=[other_customer.pk])).status_code == 404
    )
    response = as_agent.post(
        reverse("console:customer_contact_new", args=[other_customer.pk]),
        {"channel": "hotline", "direction": "in", "stage": "before", "summary": "x"},
    )
    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_m01_record_a_contact_from_the_customer_page(as_agent, agent, customer, household):
    response = as_agent.post(
        reverse("console:customer_contact_new", args=[customer.pk]),
        {
            "channel": "walk_in",
            "direction": "in",
            "stage": "after",
            "household": household.pk,
            "at": "2024-05-06T09:30",
            "summary": "来访反映楼道灯不亮",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert timezone.localtime(contact.at).strftime("%Y-%m-%d %H:%M") == "2024-05-06 09:30"
    assert (contact.customer, contact.household, contact.staff) == (customer, household, agent)
    assert (contact.channel, contact.direction, contact.stage) == ("walk_in", "in", "after")
    assert "来访反映楼道灯不亮" in as_agent.get(detail(customer)).content.decode()
    household_page = as_agent.get(reverse("console:household_detail", args=[household.pk]))
    assert "来访反映楼道灯不亮" in household_page.content.decode()


def test_a_contact_in_the_future_is_refused(as_agent, customer):
    response = as_agent.post(
        reverse("console:customer_contact_new", args=[customer.pk]),
        {
            "channel": "hotline",
            "direction": "in",
            "stage": "before",
            "summary": "x",
            "at": "2099-01-01T00:00",
        },
    )
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    assert not Contact.objects.exists()


def test_recording_a_contact_without_summary_shows_the_error(as_agent, customer):
    response = as_agent.post(
        reverse("console:customer_contact_new", args=[customer.pk]),
        {"channel": "hotline", "direction": "in", "stage": "before", "summary": ""},
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not Contact.objects.exists()


def test_m04_contacts_fragment_filters_by_stage(as_agent, agent, customer):
    from propdesk.tickets.services import contact_record

    contact_record(
        actor=agent,
        customer=customer,
        summary="事前沟通",
        channel="hotline",
        direction="in",
        stage="before",
    )
    contact_record(
        actor=agent,
        customer=customer,
        summary="事后回访",
        channel="followup",
        direction="out",
        stage="after",
    )
    url = reverse("console:customer_contacts", args=[customer.pk])
    body = as_agent.get(url, {"stage": "after"}, HTTP_HX_REQUEST="true").content.decode()
    assert "事后回访" in body and "事前沟通" not in body
    body = as_agent.get(detail(customer), {"channel": "hotline"}).content.decode()
    assert 'id="contacts-list"' in body and "事前沟通" in body


def test_m12_after_service_is_reachable_from_the_customer_page(
    as_agent, agent, customer, seed_history
):
    from propdesk.tickets.services import contact_record

    contact_record(
        actor=agent,
        customer=customer,
        summary="维修后回访",
        channel="followup",
        direction="out",
        stage="after",
    )
    seed_history(customer, 1, kind=Kind.COMPLAINT)
    body = as_agent.get(detail(customer)).content.decode()
    after = body[body.index('id="after-service"') : body.index('id="unused"')]
    assert "维修后回访" in after and "第0次报修" in after


def test_m24_unused_services_and_revenue_shown(as_agent, customer, seed_history, paid_item):
    special = f.ServiceItemFactory(name="代收快递", is_special=True)
    seed_history(customer, 1, item=paid_item)
    body = as_agent.get(detail(customer)).content.decode()
    unused = body[body.index('id="unused"') :]
    assert special.name in unused and paid_item.name not in unused
    assert f"/console/requests/new/?customer={customer.pk}&amp;item={special.pk}" in unused
    assert "¥80.00" in body


def test_add_phone_from_the_page(as_agent, customer):
    response = as_agent.post(
        reverse("console:customer_phone_add", args=[customer.pk]), {"number": "139 7777 6666"}
    )
    assert response.status_code == 302
    assert customer.phones.filter(number="+8613977776666").exists()


def test_add_invalid_phone_shows_the_message(as_agent, customer):
    response = as_agent.post(
        reverse("console:customer_phone_add", args=[customer.pk]), {"number": "12345"}
    )
    assert (
        response.status_code == 400 and "is not a valid phone number" in response.content.decode()
    )
    assert customer.phones.count() == 1


def test_removing_the_last_phone_is_refused_with_409(as_agent, customer):
    phone = customer.phones.get()
    response = as_agent.post(reverse("console:customer_phone_remove", args=[customer.pk, phone.pk]))
    assert response.status_code == 409 and "at least one phone number" in response.content.decode()
    assert customer.phones.count() == 1


def test_create_customer_in_a_unit(as_agent, office):
    unit = f.UnitFactory(
        building__community__office=office, building__name="5栋", entrance="", number="501"
    )
    community = unit.building.community
    response = as_agent.post(
        reverse("console:customer_new"),
        {
            "name": "刘洋",
            "kind": "owner",
            "phones": "13966665555, 13966664444",
            "community": community.pk,
            "building": "5栋",
            "entrance": "",
            "room": "501",
        },
    )
    customer = Customer.objects.get(name="刘洋")
    assert response.status_code == 302 and response["Location"] == detail(customer)
    assert customer.phones.count() == 2 and customer.households.get().unit == unit


def test_create_customer_with_unknown_room_shows_the_error(as_agent, office):
    community = f.CommunityFactory(office=office)
    response = as_agent.post(
        reverse("console:customer_new"),
        {
            "name": "刘洋",
            "kind": "owner",
            "phones": "13966665555",
            "community": community.pk,
            "building": "5栋",
            "room": "999",
        },
    )
    assert response.status_code == 400 and "no such unit" in response.content.decode()
    assert not Customer.objects.exists()


def test_create_customer_with_invalid_phone_shows_the_error(as_agent):
    response = as_agent.post(
        reverse("console:customer_new"), {"name": "刘洋", "kind": "owner", "phones": "12345"}
    )
    assert (
        response.status_code == 400 and "is not a valid phone number" in response.content.decode()
    )
    assert not CustomerPhone.objects.filter(customer__name="刘洋").exists()


def test_edit_customer(as_agent, customer):
    url = reverse("console:customer_edit", args=[customer.pk])
    assert 'name="version" value="1"' in as_agent.get(url).content.decode()
    response = as_agent.post(
        url, {"name": "张伟", "kind": "owner", "is_important": "on", "note": "", "version": "1"}
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.is_important and customer.version == 2


def test_a_stale_customer_form_is_refused_on_the_form(as_agent, customer):
    url = reverse("console:customer_edit", args=[customer.pk])
    Customer.objects.filter(pk=customer.pk).update(version=2)  # someone saved meanwhile
    response = as_agent.post(url, {"name": "张三", "kind": "owner", "note": "", "version": "1"})
    assert response.status_code == 409
    assert "Someone else changed this customer meanwhile" in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "张伟"


def test_technician_sees_the_page_but_not_the_edit_forms(client, technician, customer):
    client.force_login(technician)
    body = client.get(detail(customer)).content.decode()
    assert "张伟" in body and "Add a phone number" not in body
    response = client.post(
        reverse("console:customer_edit", args=[customer.pk]),
        {"name": "X", "kind": "owner", "version": "1"},
    )
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.name == "张伟"


def _upload(client, capture, rows):
    """Upload ``rows`` into a new community 翠苑一期 and run its check: the preview's page."""
    with capture(execute=True):
        response = client.post(
            reverse("console:customer_import"),
            {"community": "new", "new_community": "翠苑一期", "file": xlsx(rows)},
        )
    assert response.status_code == 302
    return response["Location"]


def test_roster_upload_shows_row_errors(client, director, django_capture_on_commit_callbacks):
    client.force_login(director)
    rows = [["1栋", "", "101", "", "王芳", "业主", "12345", "", "", ""]]
    preview = _upload(client, django_capture_on_commit_callbacks, rows)
    body = client.get(preview).content.decode()
    assert "<td>2</td><td>手机</td>" in body and "12345" in body
    assert "Upload a corrected file" in body and "confirm/" not in body
    assert not Community.objects.exists()


def test_roster_upload_shows_the_summary(client, director, django_capture_on_commit_callbacks):
    client.force_login(director)
    rows = [["1栋", "", "101", "", "王芳", "业主", "13911112222", "", "", ""]]
    preview = _upload(client, django_capture_on_commit_callbacks, rows)
    assert "Customers created" in client.get(preview).content.decode()
    assert not Customer.objects.exists()  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(preview + "confirm/").status_code == 302
    body = client.get(preview).content.decode()
    assert "Imported" in body and "Customers created" in body
    assert Customer.objects.get().name == "王芳"


def test_roster_upload_of_a_non_xlsx_file_says_so(client, director):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(director)
    response = client.post(
        reverse("console:customer_import"),
        {
            "community": "new",
            "new_community": "翠苑一期",
            "file": SimpleUploadedFile("roster.xlsx", b"hello"),
        },
    )
    assert response.status_code == 400 and "not an Excel .xlsx file" in response.content.decode()
    assert not Community.objects.exists()


def test_roster_page_tells_an_agent_who_may_import(as_agent):
    body = as_agent.get(reverse("console:customer_import")).content.decode()
    assert "Only the office director" in body


def test_agent_links_the_customer_to_a_second_unit(client, agent, customer, office):
    second = f.UnitFactory(building=customer.households.get().unit.building, number="2201")
    client.force_login(agent)
    response = client.post(
        f"/console/customers/{customer.pk}/households/",
        {
            "community": second.building.community.pk,
            "building": second.building.name,
            "entrance": second.entrance,
            "room": "2201",
            "kind": "owner",
        },
    )
    assert response.status_code == 302
    assert customer.households.filter(unit=second).exists()


def test_linking_an_unknown_unit_shows_the_message_and_changes_nothing(client, agent, customer):
    community = customer.households.get().unit.building.community
    client.force_login(agent)
    response = client.post(
        f"/console/customers/{customer.pk}/households/",
        {"community": community.pk, "building": "99栋", "room": "101", "kind": "owner"},
    )
    assert response.status_code == 400
    assert "There is no such unit in this community." in response.content.decode()
    assert customer.households.count() == 1
