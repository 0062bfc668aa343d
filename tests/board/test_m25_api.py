"""M25 through the API: the measures with their targets, an office's board and the company's
(figures, red or green, trend), the change of a target, and the errors, in the OpenAPI schema."""

import pytest
import time_machine

from propdesk.board.models import Target

from .conftest import NOW, at, charge, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_m25_api_lists_the_measures_with_their_targets(api, director):
    api.force_authenticate(director)
    body = api.get("/api/v1/board/measures/").json()
    keys = [row["measure"]["key"] for row in body]
    assert keys[0] == "m02_roster_gaps" and "m24_revenue" in keys
    m09 = next(row for row in body if row["measure"]["key"] == "m09_deadline_kept")
    assert (m09["manual"], m09["target"], m09["version"]) == ("100.00", "100.00", 0)
    assert m09["measure"]["unit"] == "percent" and m09["measure"]["lists_misses"] is True


def test_m25_api_office_board_with_red_and_trend(api, director, customer, office, other_office):
    ticket(customer, due=at(9), completed=at(10))
    ticket(customer, due=at(9), completed=at(8))
    api.force_authenticate(director)
    body = api.get(f"/api/v1/board/offices/{office.pk}/").json()
    assert body["office"]["id"] == office.pk and body["period"]["key"] == "2026-W24"
    m09 = next(m for m in body["measures"] if m["key"] == "m09_deadline_kept")
    assert (m09["value"], m09["status"], len(m09["trend"])) == ("50.00", "red", 12)
    assert m09["trend"][-1] == {
        "period": "2026-W24",
        "value": "50.00",
        "numerator": "1.00",
        "denominator": 2,
        "status": "red",
    }
    assert m09["cases"].endswith(f"?period=week&at=2026-W24&office={office.pk}")
    assert api.get(f"/api/v1/board/offices/{other_office.pk}/").status_code == 404
    assert api.get("/api/v1/board/company/").status_code == 403
    bad = api.get(f"/api/v1/board/offices/{office.pk}/", {"period": "year"})
    assert bad.status_code == 400 and bad.json()["field"] == "period"
    bad = api.get(f"/api/v1/board/offices/{office.pk}/", {"at": "June"})
    assert bad.status_code == 400 and bad.json()["field"] == "at"


def test_m25_api_company_board_by_month(api, leadership, customer, other_customer, agent):
    charge(customer, amount="100.10", at_=at(3), by=agent)
    charge(other_customer, amount="50", at_=at(4), by=agent)
    api.force_authenticate(leadership)
    body = api.get("/api/v1/board/company/", {"period": "month"}).json()
    assert body["office"] is None and body["period"]["key"] == "2026-06"
    revenue = next(m for m in body["measures"] if m["key"] == "m24_revenue")
    assert (revenue["value"], revenue["status"]) == ("150.10", "none")
    assert {row["office"]["id"] for row in body["offices"]} == {
        customer.office_id,
        other_customer.office_id,
    }
    row = next(r for r in body["offices"] if r["office"]["id"] == customer.office_id)
    assert {"key": "m24_revenue", "value": "100.10", "status": "none"} in row["measures"]


def test_m25_api_technicians_have_no_board(api, technician, office):
    api.force_authenticate(technician)
    assert api.get("/api/v1/board/measures/").status_code == 403
    assert api.get(f"/api/v1/board/offices/{office.pk}/").status_code == 403


def test_m25_api_quality_changes_a_target(api, quality, director):
    url = "/api/v1/board/measures/m24_revenue/target/"
    api.force_authenticate(director)
    assert api.put(url, {"value": "10", "version": 0}, format="json").status_code == 403
    api.force_authenticate(quality)
    blind = api.put(url, {"value": "10"}, format="json")
    assert blind.status_code == 428
    done = api.put(url, {"value": "5000.00", "version": 0, "reason": "月度目标"}, format="json")
    assert done.status_code == 200 and done.json()["target"] == "5000.00"
    stale = api.put(url, {"value": "6000", "version": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    cleared = api.put(url, {"value": None}, format="json", headers={"If-Match": '"1"'})
    assert cleared.status_code == 200 and cleared.json()["target"] is None
    bad = api.put(
        "/api/v1/board/measures/m09_deadline_kept/target/",
        {"value": "101", "version": 0},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "value"
    missing = api.put(
        "/api/v1/board/measures/nothing/target/", {"value": "1", "version": 0}, format="json"
    )
    assert missing.status_code == 404
    assert Target.objects.get().version == 2


def test_m25_api_board_is_in_the_schema(client, quality):
    client.force_login(quality)
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/board/measures/",
        "/api/v1/board/measures/{key}/target/",
        "/api/v1/board/offices/{id}/",
        "/api/v1/board/company/",
    ):
        assert path in schema
