"""Chinese first, English second: the catalogue is complete and compiled, and switching works."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "propdesk" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_zh_hans_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_zh_hans_catalogue_is_compiled():
    po = LOCALE / "django.po"
    mo = LOCALE / "django.mo"
    assert mo.exists(), "run `make messages` (needs gettext)"
    compiled = polib.mofile(str(mo))
    assert {e.msgid for e in compiled} >= {
        e.msgid for e in polib.pofile(str(po)) if e.translated() and not e.msgctxt
    }


@pytest.mark.django_db
def test_console_speaks_chinese_by_default_and_english_on_request(client, agent):
    client.force_login(agent)
    page = client.get(reverse("console:ticket_list"))
    assert "我的工作" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/console/"})
    page = client.get(reverse("console:ticket_list"))
    assert "My work" in page.content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_person_chooses(client, agent):
    client.force_login(agent)
    page = client.get(reverse("console:ticket_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "我的工作" in page.content.decode()


@pytest.mark.django_db
def test_a_staff_members_own_language_setting_is_used(client, agent):
    agent.language = "en"
    agent.save(update_fields=["language"])
    client.force_login(agent)
    assert "My work" in client.get(reverse("console:ticket_list")).content.decode()


@pytest.mark.django_db
def test_the_api_answers_in_the_language_the_client_asks_for(api, agent):
    api.force_authenticate(agent)
    body = api.post("/api/v1/tickets/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["code"] == "invalid"
    zh = api.post("/api/v1/tickets/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert zh["detail"] != body["detail"]
