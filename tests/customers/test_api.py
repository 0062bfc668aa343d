import pytest

from propdesk.customers.models import Community, Customer
from propdesk.tickets.models import Contact, Kind
from tests import factories as f
from tests.queries import count_queries, same_queries

from .conftest import xlsx


@pytest.fixture
def as_agent(api, agent):
    api.force_authenticate(agent)
    return api


def queries(fn):
    with count_queries() as ctx:
        response = fn()
    assert response.status_code == 200, response.content
    return ctx


def test_list_and_search(as_agent, customer, other_customer, office):
    f.CustomerFactory(office=office, name="李娜")
    body = as_agent.get("/api/v1/customers/").json()
    assert body["count"] == 2
    body = as_agent.get("/api/v1/customers/", {"q": "139-1234-5678"}).json()
    [found] = body["results"]
    assert found["name"] == "张伟" and found["phones"][0]["number"] == "+8613912345678"
    assert found["households"][0]["address"] == customer.households.get().address


def test_list_query_count_is_constant(as_agent, office):
    def count(n):
        Customer.objects.all().delete()
        for _ in range(n):
            f.CustomerFactory(office=office)
        return queries(lambda: as_agent.get("/api/v1/customers/"))

    same_queries(count(3), count(15))


def test_create_customer(as_agent, office, household):
    response = as_agent.post(
        "/api/v1/customers/",
        {
            "name": "王芳",
            "kind": "tenant",
            "phones": ["139 1111 2222"],
            "household": household.pk,
            "is_important": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["office"] == office.pk and body["is_important"]
    assert body["phones"][0]["number"] == "+8613911112222"
    assert body["households"] == [
        {"household": household.pk, "address": household.address, "kind": "tenant"}
    ]


def test_create_with_invalid_phone_is_400_naming_the_field(as_agent):
    response = as_agent.post(
        "/api/v1/customers/", {"name": "王芳", "kind": "owner", "phones": ["12345"]}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert (
        body["field"] == "phones" and body["code"] == "invalid_phone" and "12345" in body["detail"]
    )
    assert not Customer.objects.exists()


def test_create_with_another_offices_household_is_404(as_agent, other_customer):
    response = as_agent.post(
        "/api/v1/customers/",
        {
            "name": "王芳",
            "kind": "owner",
            "phones": ["13911112222"],
            "household": other_customer.households.get().pk,
        },
        format="json",
    )
    assert response.status_code == 404 and response.json()["field"] == "household"
    assert not Customer.objects.filter(name="王芳").exists()


def test_company_role_must_name_the_office(api, quality, office):
    api.force_authenticate(quality)
    payload = {"name": "王芳", "kind": "owner", "phones": ["13911112222"]}
    response = api.post("/api/v1/customers/", payload, format="json")
    assert response.status_code == 400 and response.json()["field"] == "office"
    # Quality may see but not edit customers.
    response = api.post("/api/v1/customers/", {**payload, "office": office.pk}, format="json")
    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_retrieve_and_partial_update(as_agent, customer):
    read = as_agent.get(f"/api/v1/customers/{customer.pk}/")
    assert read.json()["name"] == "张伟"
    assert read.json()["version"] == 1 and read.headers["ETag"] == '"1"'
    response = as_agent.patch(
        f"/api/v1/customers/{customer.pk}/", {"is_important": True, "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_important"]
    assert response.json()["version"] == 2 and response.headers["ETag"] == '"2"'


def test_a_customer_changed_without_a_version_is_428_and_unchanged(as_agent, customer):
    url = f"/api/v1/customers/{customer.pk}/"
    response = as_agent.patch(url, {"name": "张三"}, format="json")
    assert response.status_code == 428
    body = response.json()
    assert (body["code"], body["field"]) == ("version_required", "version")
    assert "version" in body["detail"] and "If-Match" in body["detail"]
    customer.refresh_from_db()
    assert (customer.name, customer.version) == ("张伟", 1)


def test_a_customer_changed_against_an_older_version_is_409(as_agent, customer):
    url = f"/api/v1/customers/{customer.pk}/"
    first = as_agent.patch(url, {"name": "张三"}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first.json()["version"] == 2
    # A second client, still on version 1, would undo the first's change: refused.
    stale = as_agent.patch(url, {"note": "VIP"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 409
    assert (stale.json()["code"], stale.json()["field"]) == ("stale_version", "version")
    customer.refresh_from_db()
    assert (customer.name, customer.note, customer.version) == ("张三", "", 2)


def test_partial_update_with_bad_kind_is_400(as_agent, customer):
    response = as_agent.patch(
        f"/api/v1/customers/{customer.pk}/", {"kind": "x", "version": 1}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "kind"
    customer.refresh_from_db()
    assert customer.kind == "owner"


def test_another_offices_customer_is_404_everywhere(as_agent, other_customer):
    base = f"/api/v1/customers/{other_customer.pk}/"
    household = other_customer.households.get()
    assert as_agent.get(base).status_code == 404
    assert as_agent.patch(base, {"name": "X"}, format="json").status_code == 404
    assert as_agent.get(base + "history/").status_code == 404
    assert (
        as_agent.post(base + "phones/", {"number": "13911112222"}, format="json").status_code == 404
    )
    assert as_agent.get(f"/api/v1/households/{household.pk}/").status_code == 404
    assert as_agent.get(f"/api/v1/households/{household.pk}/history/").status_code == 404
    assert as_agent.get(f"/api/v1/units/{household.unit_id}/").status_code == 404
    other_customer.refresh_from_db()
    assert other_customer.name == "孙丽" and other_customer.phones.count() == 1


def test_add_and_remove_phones(as_agent, customer):
    url = f"/api/v1/customers/{customer.pk}/phones/"
    response = as_agent.post(url, {"number": "13977776666", "label": "办公"}, format="json")
    assert response.status_code == 201 and response.json()["number"] == "+8613977776666"
    first = customer.phones.get(is_primary=True)
    assert as_agent.delete(f"{url}{first.pk}/").status_code == 204
    assert list(customer.phones.values_list("number", flat=True)) == ["+8613977776666"]
    last = customer.phones.get()
    response = as_agent.delete(f"{url}{last.pk}/")
    assert response.status_code == 409 and response.json()["code"] == "last_phone"
    assert customer.phones.count() == 1


def test_add_invalid_phone_is_400_naming_the_field(as_agent, customer):
    response = as_agent.post(
        f"/api/v1/customers/{customer.pk}/phones/", {"number": "12345"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "phone"
    assert customer.phones.count() == 1


def test_m01_history_endpoint_has_every_section(as_agent, customer, seed_history, paid_item):
    seed_history(customer, 2, item=paid_item)
    body = as_agent.get(f"/api/v1/customers/{customer.pk}/history/").json()
    assert len(body["contacts"]) == 2 and len(body["tickets"]) == 2 and len(body["calls"]) == 2
    assert len(body["quotes"]) == 2 and len(body["charges"]) == 2
    assert body["revenue"] == "160.00"
    assert paid_item.pk not in [i["id"] for i in body["unused_services"]]
    assert body["more"]["contacts"] is False


def test_m04_history_filters_contacts_by_stage(as_agent, agent, customer):
    from propdesk.tickets.services import contact_record

    contact_record(
        actor=agent,
        customer=customer,
        summary="前",
        channel="hotline",
        direction="in",
        stage="before",
    )
    contact_record(
        actor=agent,
        customer=customer,
        summary="后",
        channel="followup",
        direction="out",
        stage="after",
    )
    body = as_agent.get(f"/api/v1/customers/{customer.pk}/history/", {"stage": "after"}).json()
    assert [c["summary"] for c in body["contacts"]] == ["后"]
    response = as_agent.get(f"/api/v1/customers/{customer.pk}/history/", {"stage": "never"})
    assert response.status_code == 400 and response.json()["field"] == "stage"


def test_history_query_count_is_constant(as_agent, customer, household, seed_history):
    urls = [
        f"/api/v1/customers/{customer.pk}/history/",
        f"/api/v1/households/{household.pk}/history/",
    ]
    seed_history(customer, 3)
    few = [queries(lambda u=u: as_agent.get(u)) for u in urls]
    seed_history(customer, 12)
    for first, then in zip(few, [queries(lambda u=u: as_agent.get(u)) for u in urls], strict=True):
        same_queries(first, then)


def test_households_list_and_retrieve(as_agent, customer, household, other_customer):
    body = as_agent.get("/api/v1/households/").json()
    assert [h["id"] for h in body["results"]] == [household.pk]
    detail = as_agent.get(f"/api/v1/households/{household.pk}/").json()
    assert detail["customers"] == [{"customer": customer.pk, "name": "张伟", "kind": "owner"}]
    assert detail["unit"]["number"] == household.unit.number


def test_households_list_query_count_is_constant(as_agent, office):
    def count(n):
        for _ in range(n):
            f.CustomerFactory(office=office)
        return queries(lambda: as_agent.get("/api/v1/households/"))

    same_queries(count(3), count(12))


def test_addresses_are_scoped(as_agent, customer, other_customer):
    unit = customer.households.get().unit
    communities = as_agent.get("/api/v1/communities/").json()["results"]
    assert [c["id"] for c in communities] == [unit.building.community_id]
    buildings = as_agent.get("/api/v1/buildings/", {"community": unit.building.community_id}).json()
    assert [b["id"] for b in buildings["results"]] == [unit.building_id]
    units = as_agent.get("/api/v1/units/", {"building": unit.building_id}).json()
    assert [u["id"] for u in units["results"]] == [unit.pk]
    assert as_agent.get("/api/v1/buildings/", {"community": "x"}).status_code == 400


def test_roster_import_201_with_summary(api, director, django_capture_on_commit_callbacks):
    # Upload (checked: the preview), then confirm (imported): the summary says what was created.
    api.force_authenticate(director)
    rows = [["1栋", "", "101", "", "王芳", "业主", "13911112222", "", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/roster-imports/", {"new_community": "翠苑一期", "file": xlsx(rows)}
        )
    assert response.status_code == 202
    url = f"/api/v1/roster-imports/{response.json()['token']}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(url + "confirm/", {}, format="json").status_code == 202
    body = api.get(url).json()
    assert body["state"] == "done" and body["result"]["customers_created"] == 1
    assert Customer.objects.get().name == "王芳"


def test_roster_import_400_lists_the_bad_rows(api, director, django_capture_on_commit_callbacks):
    api.force_authenticate(director)
    rows = [
        ["1栋", "", "101", "", "王芳", "业主", "13911112222", "", "", ""],
        ["1栋", "", "102", "", "李强", "房东", "13911112223", "", "", ""],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        token = api.post(
            "/api/v1/roster-imports/", {"new_community": "翠苑一期", "file": xlsx(rows)}
        ).json()["token"]
    body = api.get(f"/api/v1/roster-imports/{token}/").json()
    errors = body["preview"]["errors"]
    assert errors == [{"row": 3, "column": "身份", "message": errors[0]["message"]}]
    assert "房东" in errors[0]["message"]
    # The preview's errors stop the import: nothing is written.
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/roster-imports/{token}/confirm/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "roster_invalid"
    assert not Community.objects.exists()


def test_roster_import_of_a_non_xlsx_file_is_400(api, director):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(director)
    response = api.post(
        "/api/v1/roster-imports/",
        {"new_community": "翠苑一期", "file": SimpleUploadedFile("r.xlsx", b"not excel")},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_xlsx" and response.json()["field"] == "file"
    assert not Community.objects.exists()


def test_roster_import_is_forbidden_to_agents(as_agent):
    rows = [["1栋", "", "101", "", "王芳", "业主", "13911112222", "", "", ""]]
    response = as_agent.post(
        "/api/v1/roster-imports/", {"new_community": "翠苑一期", "file": xlsx(rows)}
    )
    assert response.status_code == 403
    assert not Customer.objects.filter(name="王芳").exists()


def test_m01_contacts_create_and_filter(as_agent, agent, customer, household):
    response = as_agent.post(
        "/api/v1/contacts/",
        {
            "customer": customer.pk,
            "household": household.pk,
            "channel": "meeting",
            "direction": "out",
            "stage": "during",
            "summary": "业主座谈会",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["customer"], body["household"], body["staff"]) == (
        customer.pk,
        household.pk,
        agent.pk,
    )
    assert (body["channel"], body["direction"], body["stage"]) == ("meeting", "out", "during")
    listed = as_agent.get("/api/v1/contacts/", {"customer": customer.pk, "stage": "during"}).json()
    assert [c["summary"] for c in listed["results"]] == ["业主座谈会"]
    assert as_agent.get("/api/v1/contacts/", {"stage": "before"}).json()["count"] == 0
    assert as_agent.get("/api/v1/contacts/", {"household": household.pk}).json()["count"] == 1


def test_contacts_create_bad_input(as_agent, customer, other_customer):
    payload = {"customer": customer.pk, "channel": "hotline", "direction": "in", "summary": "x"}
    response = as_agent.post("/api/v1/contacts/", {**payload, "channel": "fax"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "channel"
    response = as_agent.post("/api/v1/contacts/", {**payload, "summary": "  "}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "summary"
    response = as_agent.post(
        "/api/v1/contacts/", {**payload, "customer": other_customer.pk}, format="json"
    )
    assert response.status_code == 404 and response.json()["field"] == "customer"
    assert not Contact.objects.exists()


def test_contacts_list_is_scoped_with_constant_queries(
    as_agent, other_agent, api, customer, seed_history
):
    seed_history(customer, 3)
    few = queries(lambda: as_agent.get("/api/v1/contacts/"))
    seed_history(customer, 12)
    same_queries(few, queries(lambda: as_agent.get("/api/v1/contacts/")))
    api.force_authenticate(other_agent)
    assert api.get("/api/v1/contacts/").json()["count"] == 0


def test_m12_complaints_reachable_from_history(as_agent, customer, seed_history):
    seed_history(customer, 1, kind=Kind.COMPLAINT)
    body = as_agent.get(f"/api/v1/customers/{customer.pk}/history/").json()
    assert [t["kind"] for t in body["complaints"]] == ["complaint"]


def test_link_and_unlink_a_second_household(as_agent, customer, office):
    second = f.HouseholdFactory(unit__building__community__office=office)
    response = as_agent.post(
        f"/api/v1/customers/{customer.pk}/households/",
        {"household": second.pk, "kind": "owner"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert set(customer.households.values_list("pk", flat=True)) >= {second.pk}
    again = as_agent.post(
        f"/api/v1/customers/{customer.pk}/households/", {"household": second.pk}, format="json"
    )
    assert again.status_code == 409
    gone = as_agent.delete(f"/api/v1/customers/{customer.pk}/households/{second.pk}/")
    assert gone.status_code == 204
    assert not customer.households.filter(pk=second.pk).exists()


def test_linking_another_offices_household_is_404_and_changes_nothing(
    as_agent, customer, other_customer
):
    theirs = other_customer.households.get()
    response = as_agent.post(
        f"/api/v1/customers/{customer.pk}/households/", {"household": theirs.pk}, format="json"
    )
    assert (response.status_code, response.json()["field"]) == (404, "household")
    assert customer.households.count() == 1


def test_staff_record_how_the_customer_wants_to_hear_from_us(as_agent, customer):
    url = f"/api/v1/customers/{customer.pk}/"
    response = as_agent.patch(
        url,
        {"notify_by_email": True, "email": "zw@example.com", "language": "en", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["notify_by_email"], body["email"], body["language"]) == (
        True,
        "zw@example.com",
        "en",
    )


def test_e_mail_messages_without_an_address_are_refused(as_agent, customer):
    url = f"/api/v1/customers/{customer.pk}/"
    response = as_agent.patch(url, {"notify_by_email": True, "version": 1}, format="json")
    assert response.status_code == 400
    assert "email" in response.json()["errors"]
    customer.refresh_from_db()
    assert customer.notify_by_email is False
