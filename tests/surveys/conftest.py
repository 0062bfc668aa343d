"""Surveys' personas: ``customer`` (张伟) lives in ``office``, ``other_customer`` in
``other_office``; ``make_customer`` adds residents of ``office``. ``NOW`` is the clock every
service call here runs at: 1 June 2026, when the June campaign opens."""

import datetime as dt

import pytest

from propdesk.surveys import services
from propdesk.surveys.models import Campaign, Participant
from tests import factories as f

NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
DEADLINE = NOW + dt.timedelta(days=20)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def make_customer(office):
    count = iter(range(1000))

    def make(office=office, **kwargs):
        n = next(count)
        kwargs.setdefault("name", f"住户{n}")
        kwargs.setdefault("phone", f"+861370000{n:04d}")
        return f.CustomerFactory(office=office, **kwargs)

    return make


@pytest.fixture
def make_campaign(quality):
    def make(*, launch=True, now=NOW, **kwargs):
        kwargs.setdefault("title", "2026年6月客户满意率调查")
        kwargs.setdefault("year", 2026)
        kwargs.setdefault("season", Campaign.Season.JUNE)
        kwargs.setdefault("deadline", DEADLINE)
        campaign = services.campaign_create(actor=quality, now=now, **kwargs)
        if launch:
            campaign = services.campaign_launch(actor=quality, campaign=campaign, now=now)
        return campaign

    return make


def participant_of(campaign, customer) -> Participant:
    return Participant.objects.get(campaign=campaign, household=customer.households.get())


def full_answers(campaign, score=5, opinion="") -> dict:
    """Every question answered: ``score`` on each satisfaction question, the first option of a
    single choice, and ``opinion`` as the opinions and suggestions."""
    answers = {}
    for q in campaign.questionnaire.questions.all():
        if q.kind == "scale":
            answers[str(q.pk)] = score
        elif q.kind == "choice":
            answers[str(q.pk)] = q.options[0]["value"]
        elif q.kind == "multi":
            answers[str(q.pk)] = [q.options[0]["value"], q.options[1]["value"]]
        elif q.is_opinion:
            answers[str(q.pk)] = opinion
    return answers
