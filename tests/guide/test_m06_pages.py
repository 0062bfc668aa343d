"""M06: the guide in the console, the portal and the public page, and its PDF."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from propdesk.guide import services
from tests import factories as f
from tests.queries import max_queries


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(b"".join(response) if response.streaming else response.content))
    return "".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def edition(director, catalogue, hotlines, office):
    return services.edition_publish(actor=director, office=office)


def test_m06_pdf_has_the_chinese_item_names_and_hotlines(client, director, edition, office):
    client.force_login(director)
    text = pdf_text(client.get(reverse("console:guide_edition_pdf", args=[office.pk, 1])))
    for name in ["服务指南", "管道疏通", "水电维修", "家政保洁", office.name]:
        assert name in text
    digits = text.replace(" ", "")
    for number in ["86001001", "86002002", "86003003"]:
        assert number in digits


def test_m06_console_office_page_shows_draft_editions_and_changes(
    client, director, edition, office
):
    f.ServiceItemFactory(name="空调清洗")
    client.force_login(director)
    page = client.get(reverse("console:guide_office", args=[office.pk])).content.decode()
    assert "空调清洗" in page and reverse("console:guide_edition", args=[office.pk, 1]) in page
    assert reverse("console:guide_publish", args=[office.pk]) in page


def test_m06_console_publish_confirms_then_publishes(client, director, catalogue, office):
    client.force_login(director)
    url = reverse("console:guide_publish", args=[office.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("console:guide_edition", args=[office.pk, 1])
    again = client.post(url)
    assert again.status_code == 409 and "No changes since edition 1" in again.content.decode()


def test_m06_console_edition_page_and_draft_pdf(client, director, edition, office):
    client.force_login(director)
    page = client.get(reverse("console:guide_edition", args=[office.pk, 1]))
    assert page.status_code == 200 and "家政保洁" in page.content.decode()
    assert "管道疏通" in pdf_text(client.get(reverse("console:guide_draft_pdf", args=[office.pk])))


def test_m06_another_offices_guide_is_not_found_for_office_staff(
    client, other_agent, edition, office
):
    client.force_login(other_agent)
    for url in [
        reverse("console:guide_office", args=[office.pk]),
        reverse("console:guide_edition", args=[office.pk, 1]),
        reverse("console:guide_edition_pdf", args=[office.pk, 1]),
        reverse("console:guide_publish", args=[office.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("console:guide_publish", args=[office.pk])).status_code == 404


def test_m06_unknown_edition_is_not_found(client, director, edition, office):
    client.force_login(director)
    assert client.get(reverse("console:guide_edition", args=[office.pk, 9])).status_code == 404


def test_m06_agent_sees_but_cannot_publish(client, agent, catalogue, office):
    client.force_login(agent)
    assert client.get(reverse("console:guide")).status_code == 302  # straight to own office
    page = client.get(reverse("console:guide_office", args=[office.pk])).content.decode()
    assert reverse("console:guide_publish", args=[office.pk]) not in page
    assert client.post(reverse("console:guide_publish", args=[office.pk])).status_code == 403


def test_m06_company_role_chooses_an_office(client, admin_user, edition, office, other_office):
    client.force_login(admin_user)
    with max_queries(12):
        page = client.get(reverse("console:guide")).content.decode()
    assert office.name in page and other_office.name in page


def test_m06_portal_shows_the_customers_office_guide(portal, edition, admin_user, other_office):
    services.edition_publish(actor=admin_user, office=other_office)
    page = portal.get(reverse("portal:guide")).content.decode()
    assert "家政保洁" in page and "碧湖洗车" not in page
    assert portal.get(reverse("portal:guide_edition", args=[1])).status_code == 200
    assert portal.get(reverse("portal:guide_edition", args=[2])).status_code == 404
    assert "水电维修" in pdf_text(portal.get(reverse("portal:guide_edition_pdf", args=[1])))


def test_m06_portal_shows_the_change_since_the_previous_edition(portal, edition, director, office):
    f.ServiceItemFactory(name="空调清洗")
    services.edition_publish(actor=director, office=office)
    page = portal.get(reverse("portal:guide")).content.decode()
    assert "Changes since edition 1" in page and "空调清洗" in page


def test_m06_portal_needs_sign_in(client, edition):
    assert client.get(reverse("portal:guide")).status_code == 302


def test_m06_public_page_works_without_sign_in(client, edition, office):
    for key in [office.code, str(office.pk)]:
        page = client.get(reverse("guide_public:latest", args=[key]))
        assert page.status_code == 200 and "家政保洁" in page.content.decode()
    assert client.get(reverse("guide_public:edition", args=[office.code, 1])).status_code == 200
    assert client.get(reverse("guide_public:edition", args=[office.code, 2])).status_code == 404
    assert client.get(reverse("guide_public:latest", args=["nowhere"])).status_code == 404
    text = pdf_text(client.get(reverse("guide_public:edition_pdf", args=[office.code, 1])))
    assert "管道疏通" in text


def test_m06_public_page_of_an_office_without_editions_is_not_found(client, other_office):
    assert client.get(reverse("guide_public:latest", args=[other_office.code])).status_code == 404


def test_m06_the_public_guide_may_be_indexed_unlike_the_other_public_pages(
    client, edition, office, portal
):
    """The public pages share one base page; only the Service Guide, published to be found, lets
    search engines index it. Its links stay on the public pages, the portal's in the portal."""
    public = client.get(reverse("guide_public:latest", args=[office.code])).content.decode()
    assert 'name="robots"' not in public
    assert reverse("guide_public:edition_pdf", args=[office.code, 1]) in public
    mine = portal.get(reverse("portal:guide")).content.decode()
    assert reverse("portal:guide_edition_pdf", args=[1]) in mine
    community = f.CommunityFactory(office=office)
    notices = client.get(reverse("notices_public:list", args=[community.pk])).content.decode()
    assert '<meta name="robots" content="noindex">' in notices
