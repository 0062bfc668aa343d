"""The survey generator and its measurement keep working: a tiny campaign, every figure read."""

import pytest

from bench.surveys import GenerateRefused, generate, measure
from propdesk.surveys.models import Answer, Campaign, CampaignOffice, Participant, Response

pytestmark = pytest.mark.django_db


def _quiet(*args):
    pass


def test_the_survey_generator_writes_a_campaign_the_statistics_read():
    figures = generate(offices=2, responses=10, previous=6, out=_quiet)

    campaign = Campaign.objects.get(pk=figures["campaign"])
    assert Response.objects.filter(campaign=campaign).count() == 10
    answers = Answer.objects.filter(campaign=campaign)
    assert answers.count() == figures["answers"]
    # Ten answers a response, and the opinion where one was written.
    opinions = Response.objects.filter(campaign=campaign).exclude(opinion="").count()
    assert figures["answers"] == 10 * 10 + opinions
    parts = CampaignOffice.objects.filter(campaign=campaign)
    assert sorted(p.responses for p in parts) == [5, 5]
    assert all(
        p.households == Participant.objects.filter(campaign=campaign, office=p.office).count()
        for p in parts
    )

    result = measure(rounds=1)
    assert result["answers"] == figures["answers"]
    assert result["company"]["queries"] == 5 and result["office"]["queries"] > 0
    assert 0 <= float(result["company_index"]) <= 1

    with pytest.raises(GenerateRefused):
        generate(offices=1, responses=1, out=_quiet)
