"""M06: the Service Guide's API, for staff and for customers."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from propdesk.guide import services
from propdesk.guide.models import GuideEdition
from tests import factories as f
from tests.queries import max_queries


@pytest.fixture
def edition(director, catalogue, hotlines, office):
    return services.edition_publish(actor=director, office=office)


def base(office):
    return f"/api/v1/guide/offices/{office.pk}/"


def test_m06_api_publish_then_nothing_to_change(api, director, catalogue, office):
    api.force_authenticate(director)
    response = api.post(f"{base(office)}publish/")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == 1 and {e["name"] for e in body["entries"]} >= {"家政保洁"}
    again = api.post(f"{base(office)}publish/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert again.json()["code"] == "guide_unchanged"
    assert again.json()["detail"] == "No changes since edition 1."


def test_m06_api_publish_for_another_office_is_not_found(api, director, catalogue, other_office):
    api.force_authenticate(director)
    response = api.post(f"{base(other_office)}publish/")
    assert response.status_code == 404 and response.json()["field"] == "office"
    assert not GuideEdition.objects.exists()


def test_m06_api_agent_may_not_publish(api, agent, catalogue, office):
    api.force_authenticate(agent)
    assert api.post(f"{base(office)}publish/").status_code == 403


def test_m06_api_list_detail_diff_pdf(api, director, edition, office):
    for n in range(3):
        f.ServiceItemFactory(name=f"新服务{n}")
        services.edition_publish(actor=director, office=office)
    api.force_authenticate(director)
    with max_queries(6):
        listed = api.get(f"{base(office)}editions/").json()
    assert [e["number"] for e in listed["results"]] == [4, 3, 2, 1]
    detail = api.get(f"{base(office)}editions/1/").json()
    assert detail["hotlines"]["duty"].replace(" ", "").endswith("86003003")
    d = api.get(f"{base(office)}editions/4/diff/").json()
    assert d["older"] == 3 and [e["name"] for e in d["added"]] == ["新服务2"]
    d = api.get(f"{base(office)}editions/4/diff/?against=1").json()
    assert len(d["added"]) == 3
    assert api.get(f"{base(office)}editions/4/diff/?against=9").status_code == 404
    assert api.get(f"{base(office)}editions/9/").status_code == 404
    pdf = api.get(f"{base(office)}editions/1/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "家政保洁" in PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    draft = api.get(f"{base(office)}draft/").json()
    assert "新服务0" in {e["name"] for e in draft["entries"]}


def test_m06_api_another_offices_editions_are_not_found(api, other_agent, edition, office):
    api.force_authenticate(other_agent)
    assert api.get(f"{base(office)}editions/").status_code == 404
    assert api.get(f"{base(office)}editions/1/").status_code == 404


def test_m06_customer_api_latest_for_my_office(customer_api, edition, admin_user, other_office):
    services.edition_publish(actor=admin_user, office=other_office)
    body = customer_api.get("/api/v1/portal/guide/").json()
    assert body["edition"]["office"] == edition.office_id
    names = {e["name"] for e in body["edition"]["entries"]}
    assert "家政保洁" in names and "碧湖洗车" not in names
    assert len(body["changes"]["added"]) == 3
    pdf = customer_api.get("/api/v1/portal/guide/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert customer_api.get("/api/v1/portal/guide/1/pdf/").status_code == 200
    assert customer_api.get("/api/v1/portal/guide/2/pdf/").status_code == 404


def test_m06_customer_api_without_an_edition_or_token(customer_api, api, customer):
    assert customer_api.get("/api/v1/portal/guide/").status_code == 404
    assert api.get("/api/v1/portal/guide/").status_code == 401
