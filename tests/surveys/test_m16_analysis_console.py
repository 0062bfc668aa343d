"""M16 in the console: the company's and an office's analysis pages (charts with the same figures
in tables), refused with the reason before release, the written analysis recorded from the
page, and a constant number of queries whatever the answers."""

import pytest
import time_machine
from django.urls import reverse

from propdesk.surveys.models import Campaign, CampaignOffice, Participant
from tests.queries import count_queries, same_queries

from .analysis_fixtures import *  # noqa: F403
from .analysis_fixtures import AFTER, answer
from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def after():
    with time_machine.travel(AFTER, tick=False):
        yield


def _url(name, campaign, office=None):
    args = [campaign.pk] + ([office.pk] if office is not None else [])
    return reverse(f"console:{name}", args=args)


def test_m16_company_page_shows_index_per_area_offices_and_topics(
    client, answered, quality, office, other_office, after
):
    client.force_login(quality)
    page = client.get(_url("survey_analysis", answered))

    assert page.status_code == 200
    html = page.content.decode()
    assert "66.7%" in html  # the index, in the tables under the charts
    assert 'data-chart="survey-areas-option"' in html and 'id="survey-areas-option"' in html
    assert "vendor/echarts/echarts.min.js" in html and "core/charts.js" in html
    assert office.name in html
    assert other_office.name in html and "not included" in html
    assert "电梯" in html and "停车" in html  # the issues raised


def test_m16_company_page_before_the_deadline_says_why(client, answered, quality):
    client.force_login(quality)
    with time_machine.travel(NOW, tick=False):
        page = client.get(_url("survey_analysis", answered))
    assert page.status_code == 409
    assert "deadline" in page.content.decode()


def test_m16_office_page_below_the_target_says_why(client, answered, quality, other_office, after):
    client.force_login(quality)
    page = client.get(_url("survey_analysis_office", answered, other_office))
    assert page.status_code == 409
    assert "60%" in page.content.decode()


def test_m16_a_director_goes_to_his_office_and_not_another(
    client, answered, director, office, other_office, after
):
    client.force_login(director)
    page = client.get(_url("survey_analysis", answered))
    assert page.status_code == 302
    assert page.url == _url("survey_analysis_office", answered, office)
    assert client.get(_url("survey_analysis_office", answered, other_office)).status_code == 404
    assert client.get(_url("survey_analysis_office", answered, office)).status_code == 200


def test_m16_director_records_the_analysis_from_the_page(client, answered, director, office, after):
    client.force_login(director)
    url = _url("survey_analysis_record", answered, office)

    empty = client.post(url, {"analysis": "", "version": 1})
    assert empty.status_code == 400
    stale = client.post(url, {"analysis": "新的分析", "version": 7})
    assert stale.status_code == 409 and "changed" in stale.content.decode()
    assert CampaignOffice.objects.get(campaign=answered, office=office).analysis == ""

    done = client.post(url, {"analysis": "停车位不足是主要问题", "version": 1})
    assert done.status_code == 302
    part = CampaignOffice.objects.get(campaign=answered, office=office)
    assert part.analysis == "停车位不足是主要问题" and part.analysed_at == AFTER
    page = client.get(_url("survey_analysis_office", answered, office))
    assert "停车位不足是主要问题" in page.content.decode()


def test_m16_an_agent_reads_the_office_page_without_the_form(
    client, answered, agent, office, after
):
    client.force_login(agent)
    page = client.get(_url("survey_analysis_office", answered, office))
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    refused = client.post(
        _url("survey_analysis_record", answered, office), {"analysis": "x", "version": 1}
    )
    assert refused.status_code == 403


def _campaign_with(make_campaign, make_customer, office, count):
    for _ in range(count):
        make_customer(office=office)
    campaign = make_campaign()
    participants = Participant.objects.filter(campaign=campaign, responded_at=None)
    for i, p in enumerate(participants[:count]):
        answer(campaign, p, 1 + i % 5, "电梯坏了" if i % 2 else "")
    return campaign


def test_m16_analysis_pages_take_the_same_queries_with_10_or_50_responses(
    client, make_campaign, make_customer, office, quality, after
):
    client.force_login(quality)

    def measure(count):
        campaign = _campaign_with(make_campaign, make_customer, office, count)
        client.get(_url("survey_analysis", campaign))  # warm the topics' cache as a reader would
        with count_queries() as company:
            assert client.get(_url("survey_analysis", campaign)).status_code == 200
        with count_queries() as mine:
            assert client.get(_url("survey_analysis_office", campaign, office)).status_code == 200
        Campaign.objects.filter(pk=campaign.pk).update(season="special")
        return company, mine

    first_company, first_office = measure(10)
    then_company, then_office = measure(50)
    same_queries(first_company, then_company)
    same_queries(first_office, then_office)
