"""M16: from a running campaign's page staff reach every step of the loop — the statistics and
analysis (the company's and each office's), the follow-ups and the public replies."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_m16_the_campaign_page_leads_to_analysis_follow_ups_and_replies(
    client, quality, make_campaign, customer, office
):
    campaign = make_campaign()
    client.force_login(quality)
    page = client.get(reverse("console:survey_campaign", args=[campaign.pk])).content.decode()

    for url in (
        reverse("console:survey_analysis", args=[campaign.pk]),
        reverse("console:survey_analysis_office", args=[campaign.pk, office.pk]),
        f"{reverse('console:survey_followups')}?campaign={campaign.pk}",
        reverse("console:survey_campaign_replies", args=[campaign.pk]),
    ):
        assert f'href="{url}"' in page


def test_m16_a_draft_campaign_offers_no_analysis_yet(client, quality, make_campaign):
    campaign = make_campaign(launch=False)
    client.force_login(quality)
    page = client.get(reverse("console:survey_campaign", args=[campaign.pk])).content.decode()
    assert reverse("console:survey_analysis", args=[campaign.pk]) not in page
