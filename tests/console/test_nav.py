"""The console's menu offers after service's pages to the roles that may open them."""

import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def test_the_menu_offers_after_service_by_role(client, agent, technician):
    client.force_login(agent)
    page = client.get("/console/").content.decode()
    for url in ("/console/followups/", "/console/defects/", "/console/rework/"):
        assert f'href="{url}"' in page
    client.force_login(technician)
    page = client.get("/console/").content.decode()
    assert 'href="/console/defects/"' in page  # a designated person may be a technician
    assert 'href="/console/followups/"' not in page and 'href="/console/rework/"' not in page


def test_the_menu_links_the_service_guide(client, agent):
    client.force_login(agent)
    page = client.get("/console/").content.decode()
    assert 'href="/console/guide/"' in page and 'href="/console/notices/"' in page
