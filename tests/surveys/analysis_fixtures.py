"""A small hand-made campaign whose figures are known: ``office`` (翠苑) has five households, of
which three answer, every satisfaction question with 5, 4 and 2 (60%: the target); ``other_office``
(碧湖) has two, of which one answers 1 (50%: below it). ``AFTER`` is past the deadline.

Import the fixtures into a test module with ``from .analysis_fixtures import *``."""

import datetime as dt

import pytest

from propdesk.surveys import services
from propdesk.surveys.models import Campaign, Participant, Question

from .conftest import DEADLINE, NOW, full_answers

AFTER = DEADLINE + dt.timedelta(hours=1)
OFFICE_SCORES = (5, 4, 2)
OPINIONS = ("电梯经常坏，希望尽快维修", "小区停车位太少，晚上停车难", "")

__all__ = ["AFTER", "answer", "answered", "make_answered", "scale_questions"]


def answer(campaign, participant, score, opinion="", *, now=NOW):
    return services.response_submit(
        participant=participant,
        answers=full_answers(campaign, score, opinion),
        channel="link",
        now=now,
    )


def scale_questions(campaign) -> int:
    return campaign.questionnaire.questions.filter(kind=Question.Kind.SCALE).count()


@pytest.fixture
def make_answered(make_campaign, make_customer, office, other_office):
    """Build the campaign above (or, with ``scores``/``opinions``, another mix for ``office``),
    with ``extra`` unanswering households in ``office``."""

    def make(scores=OFFICE_SCORES, opinions=OPINIONS, *, other=(1,), households=5, **kwargs):
        for _ in range(households):
            make_customer(office=office)
        for _ in range(2):
            make_customer(office=other_office)
        campaign = make_campaign(**kwargs)
        mine = list(Participant.objects.filter(campaign=campaign, office=office).order_by("code"))
        theirs = list(
            Participant.objects.filter(campaign=campaign, office=other_office).order_by("code")
        )
        for i, score in enumerate(scores):
            answer(campaign, mine[i], score, opinions[i] if i < len(opinions) else "")
        for i, score in enumerate(other):
            answer(campaign, theirs[i], score)
        return Campaign.objects.get(pk=campaign.pk)

    return make


@pytest.fixture
def answered(make_answered):
    return make_answered()
