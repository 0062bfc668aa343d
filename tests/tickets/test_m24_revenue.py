"""M24 the revenue report: revenue from paid and special services per office, item and month (in
Asia/Shanghai), in the console with its spreadsheet, and through the API."""

import datetime as dt
import io
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from propdesk.tickets.models import Channel, Charge, Kind, Status, Ticket
from propdesk.tickets.views import revenue as revenue_views
from tests import factories as f
from tests.queries import count_queries, same_queries

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def at(month, day, hour=12, minute=0):
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute))


def charge(customer, *, amount, when, by, item=None, is_special=False):
    ticket = Ticket.objects.create(
        number=f"R{next(_numbers):06d}",
        office=customer.office,
        customer=customer,
        kind=Kind.SERVICE,
        channel=Channel.HOTLINE,
        status=Status.CLOSED,
        description="有偿服务",
        due_at=when,
        completed_at=when,
        item=item,
    )
    return Charge.objects.create(
        office=customer.office,
        ticket=ticket,
        customer=customer,
        item=item,
        is_special=is_special,
        amount=Decimal(amount),
        recorded_at=when,
        recorded_by=by,
    )


@pytest.fixture
def special_item():
    return f.ServiceItemFactory(name="代收快递", is_special=True, chargeable=True)


@pytest.fixture
def charges(customer, other_customer, agent, paid_item, special_item):
    charge(customer, amount="45.00", when=at(5, 31, 23, 59), by=agent, item=paid_item)  # May
    charge(customer, amount="80.50", when=at(6, 9), by=agent, item=paid_item)
    # 23:30 on 30 June in Shanghai is still June (15:30 UTC); midnight is July.
    charge(customer, amount="19.50", when=at(6, 30, 23, 30), by=agent, item=paid_item)
    charge(customer, amount="120.00", when=at(6, 2), by=agent, item=special_item, is_special=True)
    charge(customer, amount="10.00", when=at(7, 1, 0, 0), by=agent, item=paid_item)
    charge(other_customer, amount="999.99", when=at(6, 9), by=agent, item=paid_item)


RANGE = {"start": "2026-05", "end": "2026-07"}


def api_rows(body):
    return [
        (
            r["month"],
            r["office"]["name"],
            r["item"]["name"] if r["item"] else None,
            r["charges"],
            r["amount"],
            r["special"],
        )
        for r in body["results"]
    ]


def test_m24_revenue_per_office_item_and_month_is_exact(api, quality, charges):
    api.force_authenticate(quality)
    body = api.get("/api/v1/revenue/", RANGE).json()
    assert api_rows(body) == [
        ("2026-05", "翠苑管理处", "水电维修", 1, "45.00", "0.00"),
        ("2026-06", "碧湖管理处", "水电维修", 1, "999.99", "0.00"),
        ("2026-06", "翠苑管理处", "水电维修", 2, "100.00", "0.00"),
        ("2026-06", "翠苑管理处", "代收快递", 1, "120.00", "120.00"),
        ("2026-07", "翠苑管理处", "水电维修", 1, "10.00", "0.00"),
    ]
    assert body["total"] == {"amount": "1274.99", "special": "120.00", "charges": 6}
    assert [(m["month"], m["amount"]) for m in body["months"]] == [
        ("2026-05", "45.00"),
        ("2026-06", "1219.99"),
        ("2026-07", "10.00"),
    ]


def test_m24_revenue_filters_by_office_category_and_item(
    api, quality, office, charges, special_item
):
    api.force_authenticate(quality)
    one = api.get("/api/v1/revenue/", {**RANGE, "office": office.pk}).json()
    assert one["office"] == {"id": office.pk, "name": "翠苑管理处"}
    assert one["total"] == {"amount": "275.00", "special": "120.00", "charges": 5}
    special = api.get("/api/v1/revenue/", {**RANGE, "item": special_item.pk}).json()
    assert special["total"]["amount"] == "120.00"
    by_category = api.get("/api/v1/revenue/", {**RANGE, "category": special_item.category_id})
    assert by_category.json()["total"]["amount"] == "120.00"
    june = api.get("/api/v1/revenue/", {"start": "2026-06", "end": "2026-06"}).json()
    assert june["total"] == {"amount": "1219.99", "special": "120.00", "charges": 4}


def test_m24_office_staff_see_only_their_office(
    api, client, other_agent, director, office, charges
):
    api.force_authenticate(other_agent)
    body = api.get("/api/v1/revenue/", RANGE).json()
    assert body["total"] == {"amount": "999.99", "special": "0.00", "charges": 1}
    refused = api.get("/api/v1/revenue/", {**RANGE, "office": office.pk})
    assert refused.status_code == 404 and refused.json()["field"] == "office"
    assert api.get("/api/v1/revenue/xlsx/", {**RANGE, "office": office.pk}).status_code == 404

    client.force_login(other_agent)
    page = client.get(reverse("console:revenue"), {**RANGE, "office": office.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "999.99" in html and "275.00" not in html
    assert 'name="office"' not in html  # no office to choose

    client.force_login(director)
    html = client.get(reverse("console:revenue"), RANGE).content.decode()
    assert "275.00" in html and "999.99" not in html


def test_m24_technicians_may_not_see_revenue(api, client, technician, charges):
    api.force_authenticate(technician)
    assert api.get("/api/v1/revenue/").status_code == 403
    assert api.get("/api/v1/revenue/xlsx/").status_code == 403
    client.force_login(technician)
    assert client.get(reverse("console:revenue")).status_code == 403
    home = client.get(reverse("console:ticket_list")).content.decode()
    assert reverse("console:revenue") not in home


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13"}, "start"),
        ({"start": "June"}, "start"),
        ({"end": "2026-6-1"}, "end"),
        ({"start": "2026-07", "end": "2026-05"}, "end"),
        ({"start": "2024-01", "end": "2026-06"}, "start"),
        ({"office": "abc"}, "office"),
        ({"category": "999999"}, "category"),
        ({"item": "999999"}, "item"),
        ({"item": "1.5"}, "item"),
    ],
)
def test_m24_bad_filters_are_refused_naming_the_field(api, quality, charges, params, field):
    api.force_authenticate(quality)
    for url in ("/api/v1/revenue/", "/api/v1/revenue/xlsx/"):
        response = api.get(url, params)
        assert response.status_code == 400, (url, response.content)
        assert response.json()["field"] == field


def test_m24_the_console_says_what_is_wrong_with_a_filter(client, quality, charges):
    client.force_login(quality)
    page = client.get(reverse("console:revenue"), {"start": "2026-07", "end": "2026-05"})
    assert page.status_code == 400
    assert "The last month must not be before the first." in page.content.decode()
    page = client.get(reverse("console:revenue"), {"start": "June"})
    assert page.status_code == 400 and "Enter a month as YYYY-MM" in page.content.decode()


def test_m24_the_console_report_shows_rows_totals_and_the_menu_link(client, director, charges):
    client.force_login(director)
    html = client.get(reverse("console:revenue"), RANGE).content.decode()
    assert html.count('class="revenue-row"') == 4
    assert "¥275.00" in html and "¥120.00" in html
    assert reverse("console:revenue_export") + "?start=2026-05&amp;end=2026-07" in html
    assert f'href="{reverse("console:revenue")}"' in html  # in the console's menu


def test_m24_an_empty_range_says_so(client, director, charges):
    client.force_login(director)
    html = client.get(reverse("console:revenue"), {"start": "2025-01", "end": "2025-03"})
    assert "No revenue from paid or special services in these months." in html.content.decode()


def test_m24_a_plain_visit_shows_the_last_twelve_months(
    client, director, customer, agent, paid_item
):
    now = timezone.now()
    charge(customer, amount="66.00", when=now - dt.timedelta(minutes=5), by=agent, item=paid_item)
    charge(customer, amount="7.00", when=now - dt.timedelta(days=400), by=agent, item=paid_item)
    client.force_login(director)
    html = client.get(reverse("console:revenue")).content.decode()
    assert "¥66.00" in html and "7.00" not in html


def test_m24_long_reports_are_paged(client, quality, charges, monkeypatch):
    monkeypatch.setattr(revenue_views, "PAGE_SIZE", 2)
    client.force_login(quality)
    first = client.get(reverse("console:revenue"), RANGE).content.decode()
    assert first.count('class="revenue-row"') == 2 and "Page 1 of 3" in first
    last = client.get(reverse("console:revenue"), {**RANGE, "page": 3}).content.decode()
    assert last.count('class="revenue-row"') == 1 and "2026-07" in last


def workbook_of(response):
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body))


def test_m24_the_spreadsheet_has_the_same_rows_and_totals(client, api, quality, charges):
    client.force_login(quality)
    response = client.get(reverse("console:revenue_export"), RANGE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "revenue-all-2026-05-2026-07.xlsx" in response["Content-Disposition"]
    book = workbook_of(response)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    data, total = rows[:-1], rows[-1]
    assert [(r[0], r[1], r[3], r[4]) for r in data] == [
        ("2026-05", "翠苑管理处", "水电维修", 1),
        ("2026-06", "碧湖管理处", "水电维修", 1),
        ("2026-06", "翠苑管理处", "水电维修", 2),
        ("2026-06", "翠苑管理处", "代收快递", 1),
        ("2026-07", "翠苑管理处", "水电维修", 1),
    ]
    assert round(sum(Decimal(str(r[5])) for r in data), 2) == Decimal("1274.99")
    assert total[0] == "Total" and total[4] == 6
    assert Decimal(str(total[5])) == Decimal("1274.99") and Decimal(str(total[6])) == Decimal("120")
    months = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [(m[0], Decimal(str(m[2]))) for m in months] == [
        ("2026-05", Decimal("45")),
        ("2026-06", Decimal("1219.99")),
        ("2026-07", Decimal("10")),
    ]

    api.force_authenticate(quality)
    from_api = api.get("/api/v1/revenue/xlsx/", RANGE)
    assert from_api.status_code == 200
    last = list(workbook_of(from_api).worksheets[0].iter_rows(values_only=True))[-1]
    assert Decimal(str(last[5])) == Decimal("1274.99")


def test_m24_the_report_takes_the_same_queries_for_few_rows_or_many(
    client, api, quality, customer, agent, charges
):
    client.force_login(quality)
    api.force_authenticate(quality)

    def run():
        with count_queries() as page:
            assert client.get(reverse("console:revenue"), RANGE).status_code == 200
        with count_queries() as listed:
            assert api.get("/api/v1/revenue/", RANGE).status_code == 200
        return page, listed

    few = run()
    for n in range(30):
        item = f.ServiceItemFactory(chargeable=True)
        charge(customer, amount="12.30", when=at(6, 1 + n % 28), by=agent, item=item)
    many = run()
    same_queries(few[0], many[0])
    same_queries(few[1], many[1])


def test_m24_the_report_is_in_the_api_schema(api, quality):
    api.force_authenticate(quality)
    schema = api.get("/api/schema/").content.decode()
    assert "/api/v1/revenue/:" in schema and "/api/v1/revenue/xlsx/:" in schema
