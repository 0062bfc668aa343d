"""The customer API's reads: who I am, what I may ask for, my requests and one of them in full;
never another customer's."""

import pytest

from propdesk.portal.models import PortalAccount
from propdesk.portal.tokens import token_issue
from propdesk.tickets import services
from propdesk.tickets.models import Kind, Status
from tests import factories as f
from tests.queries import max_queries

URL = "/api/v1/portal/"


@pytest.fixture
def theirs(other_agent, other_customer):
    """A request of another customer, in another office."""
    return services.ticket_create(
        actor=other_agent,
        customer=other_customer,
        kind=Kind.REPAIR,
        channel="hotline",
        description="阳台漏水",
    )


@pytest.fixture
def second_home(customer, office):
    """A second household of ``customer``'s, in the same office."""
    home = f.HouseholdFactory(unit__building__community__office=office)
    customer.residences.create(household=home, kind=customer.kind)
    return home


# --- me and the catalogue ---------------------------------------------------------------------


def test_me_names_the_customer_and_their_households(customer_api, household, second_home):
    me = customer_api.get(f"{URL}me/").json()
    assert me["customer"]["name"] == "张伟" and me["phone"] == "+8613912345678"
    assert me["has_password"] is False
    assert [h["id"] for h in me["households"]] == [household.pk, second_home.pk]
    assert me["households"][0]["address"] == household.address


def test_me_lists_no_other_customers_household(customer_api, other_customer):
    me = customer_api.get(f"{URL}me/").json()
    assert other_customer.households.get().pk not in [h["id"] for h in me["households"]]


def test_items_are_what_the_customers_office_offers(
    customer_api, free_item, paid_item, other_office
):
    f.ServiceItemFactory(name="别处的服务", office=other_office)
    f.ServiceItemFactory(name="不在范围", in_scope=False)
    with max_queries(4):
        rows = customer_api.get(f"{URL}items/").json()["results"]
    assert {r["name"]: r["is_chargeable"] for r in rows} == {"管道疏通": False, "水电维修": True}
    assert {r["name"]: r["price_label"] for r in rows}["水电维修"] == "¥80.00"


# --- the list ---------------------------------------------------------------------------------


def test_m01_the_list_shows_the_customers_own_requests_newest_first(
    customer_api, make_ticket, theirs
):
    first, second = make_ticket(), make_ticket(description="门锁坏了")
    body = customer_api.get(f"{URL}requests/").json()
    assert [r["number"] for r in body["results"]] == [second.number, first.number]
    assert body["count"] == 2 and body["count_capped"] is False
    row = body["results"][0]
    assert row["status"] == "new" and row["household"]["address"] == first.household.address


def test_the_list_filters_by_household_and_status(
    customer_api, make_ticket, agent, household, second_home
):
    here = make_ticket(household=household)
    there = make_ticket(household=second_home)
    services.ticket_cancel(actor=agent, ticket=here, reason="客户自己修好了")
    rows = customer_api.get(f"{URL}requests/", {"household": second_home.pk}).json()["results"]
    assert [r["number"] for r in rows] == [there.number]
    rows = customer_api.get(f"{URL}requests/", {"status": "cancelled,closed"}).json()["results"]
    assert [r["number"] for r in rows] == [here.number]
    rows = customer_api.get(f"{URL}requests/?status=new&status=cancelled").json()["results"]
    assert len(rows) == 2


def test_another_customers_household_is_not_found_in_the_filter(customer_api, other_customer):
    answer = customer_api.get(f"{URL}requests/", {"household": other_customer.households.get().pk})
    assert answer.status_code == 404 and answer.json()["field"] == "household"


@pytest.mark.parametrize(
    "query,field",
    [("household=abc", "household"), ("household=0", "household"), ("status=lost", "status")],
)
def test_bad_filters_are_400_naming_the_field(customer_api, query, field):
    answer = customer_api.get(f"{URL}requests/?{query}")
    assert answer.status_code == 400 and answer.json()["field"] == field


def test_the_list_costs_the_same_few_queries_however_many_requests(
    customer_api,
    make_ticket,
    agent,
    free_item,
    paid_item,
    household,
    second_home,
):
    for n in range(13):
        ticket = make_ticket(
            item=[free_item, paid_item, None][n % 3], household=[household, second_home][n % 2]
        )
        if n % 4 == 1:
            services.ticket_confirm(actor=agent, ticket=ticket, confirmation="上门")
    # The token with its customer (and when it was last used), the count, the page: no query
    # per row.
    with max_queries(4):
        body = customer_api.get(f"{URL}requests/").json()
    assert body["count"] == 13 and all(r["household"] for r in body["results"])
    with max_queries(5):  # and the household the filter names
        customer_api.get(f"{URL}requests/", {"household": second_home.pk, "status": "new"})


# --- one request ------------------------------------------------------------------------------


def test_m08_the_timeline_shows_the_customer_only_what_is_theirs_to_see(customer_api, dispatched):
    body = customer_api.get(f"{URL}requests/{dispatched.pk}/").json()
    kinds = [e["kind"] for e in body["timeline"]]
    assert kinds == ["created", "confirmed", "dispatched"]
    assert "contact" not in kinds  # the contacts log stays internal
    # What was confirmed with the customer is theirs to read; the dispatcher's note is internal.
    notes = {e["kind"]: e["note"] for e in body["timeline"]}
    assert notes["confirmed"] == dispatched.confirmation
    assert notes["created"] == notes["dispatched"] == ""
    assert body["timeline"][0]["label"] == "Request received"
    assert (body["can_cancel"], body["can_confirm"]) == (False, False)


def test_m08_a_decline_shows_the_customer_its_explanation(customer_api, make_ticket, agent):
    ticket = make_ticket()
    services.ticket_decline(
        actor=agent, ticket=ticket, explanation="属于市政管网, 请联系自来水公司"
    )
    body = customer_api.get(f"{URL}requests/{ticket.pk}/").json()
    declined = [e for e in body["timeline"] if e["kind"] == "declined"]
    assert declined[0]["note"] == "属于市政管网, 请联系自来水公司"


def test_m10_the_pending_fee_is_shown_with_its_lines_and_terms(
    customer_api, make_ticket, agent, paid_item
):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="换龙头"
    )
    quote, _token = services.quote_create(
        actor=agent, ticket=ticket, lines=[{"item": paid_item, "quantity": 2}]
    )
    body = customer_api.get(f"{URL}requests/{ticket.pk}/").json()
    pending = body["pending_quote"]
    assert pending["id"] == quote.pk and pending["total"] == "160.00"
    assert pending["is_expired"] is False and "¥80.00" in pending["terms"]
    assert [(line["quantity"], line["amount"]) for line in pending["lines"]] == [("2.00", "160.00")]
    assert body["can_cancel"] is True and body["status"] == Status.QUOTED


def test_a_new_request_may_be_cancelled_and_has_no_fee_pending(customer_api, make_ticket):
    body = customer_api.get(f"{URL}requests/{make_ticket().pk}/").json()
    assert body["pending_quote"] is None and body["pending_proposal"] is None
    assert body["can_cancel"] is True
    assert body["photo_count"] == 0 and body["version"] == 1


def test_the_detail_costs_a_fixed_number_of_queries(customer_api, make_ticket, agent, paid_item):
    ticket = services.ticket_confirm(
        actor=agent, ticket=make_ticket(item=paid_item), confirmation="换龙头"
    )
    services.quote_create(actor=agent, ticket=ticket, lines=[{"item": paid_item}] * 3)
    # The token (and when it was last used), the request, its timeline, the pending quote and
    # its lines, the pending new deadline, the photos' count.
    with max_queries(8):
        customer_api.get(f"{URL}requests/{ticket.pk}/")


def test_another_customers_request_is_not_there(customer_api, theirs):
    answer = customer_api.get(f"{URL}requests/{theirs.pk}/")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    rows = customer_api.get(f"{URL}requests/").json()["results"]
    assert theirs.number not in [r["number"] for r in rows]


def test_a_request_of_the_same_office_but_another_customer_is_not_there(
    customer_api, make_ticket, office
):
    neighbour = f.CustomerFactory(office=office, name="邻居")
    theirs = make_ticket(customer=neighbour)
    assert customer_api.get(f"{URL}requests/{theirs.pk}/").status_code == 404
    # And their own token sees it: it is there, just not ours.
    account = PortalAccount.objects.create(customer=neighbour, phone="+8613800007777")
    _token, raw = token_issue(account=account)
    customer_api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert customer_api.get(f"{URL}requests/{theirs.pk}/").status_code == 200


def test_an_id_that_is_not_a_number_is_not_found(customer_api):
    assert customer_api.get(f"{URL}requests/abc/").status_code == 404
    assert customer_api.get(f"{URL}requests/{10**30}/").status_code in (400, 404)
