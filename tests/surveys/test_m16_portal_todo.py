"""M16 on the resident portal's front page: a survey waiting for the household's answer is listed
under "Waiting for you", leads to its questionnaire, and leaves once answered."""

import pytest
from django.urls import reverse

from .answers_fixtures import posted
from .conftest import NOW, participant_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def waiting(portal) -> str:
    """The front page's "Waiting for you" section."""
    page = portal.get(reverse("portal:home")).content.decode()
    start = page.index('id="waiting"')
    return page[start : page.index("</section>", start)]


def test_m16_the_home_lists_a_survey_until_it_is_answered(portal, make_campaign, customer):
    campaign = make_campaign()
    url = reverse("portal:survey", args=[participant_of(campaign, customer).pk])
    section = waiting(portal)
    assert campaign.title in section
    assert "A few minutes, until 2026-06-21" in section
    assert f'href="{url}"' in section

    assert portal.post(url, posted(campaign, score=5)).status_code == 302

    section = waiting(portal)
    assert campaign.title not in section and f'href="{url}"' not in section
    assert "Nothing waits for your answer." in section


def test_m16_a_draft_survey_waits_for_no_one(portal, make_campaign):
    draft = make_campaign(launch=False)
    assert draft.title not in waiting(portal)
