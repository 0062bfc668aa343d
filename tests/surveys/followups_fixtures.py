"""A finished campaign for the follow-up tests. In ``office``: 张伟 (``customer``) answered with
low scores and an opinion; a neighbour answered satisfied without one; an important customer did
not answer. In ``other_office``: ``other_customer`` answered with an opinion. The deadline has
passed (``AFTER``), both offices reached 60%, and their analysis clocks have started."""

import datetime as dt

import pytest

from propdesk.surveys import services
from propdesk.surveys.models import Response
from propdesk.surveys.services.followups import survey_followups_open

from .conftest import DEADLINE, NOW, full_answers, participant_of

AFTER = DEADLINE + dt.timedelta(hours=2)
OPINION = "电梯经常坏，希望尽快维修；停车位太少。"


def answer(campaign, customer, *, score=5, opinion="", at=None):
    participant = participant_of(campaign, customer)
    return services.response_submit(
        participant=participant,
        answers=full_answers(campaign, score=score, opinion=opinion),
        channel=Response.Channel.LINK,
        customer=participant.customer,
        now=at or NOW + dt.timedelta(days=1),
    )


@pytest.fixture
def round_(make_campaign, make_customer, customer, other_customer):
    """The campaign after its deadline with clocks started (follow-ups not opened yet)."""
    neighbour = make_customer()
    important = make_customer(is_important=True)
    campaign = make_campaign()
    answer(campaign, customer, score=2, opinion=OPINION)
    answer(campaign, neighbour, score=5)
    answer(campaign, other_customer, score=4, opinion="垃圾清运不及时。")
    services.analysis_clocks(now=AFTER)
    return {"campaign": campaign, "neighbour": neighbour, "important": important}


@pytest.fixture
def opened(round_):
    survey_followups_open(now=AFTER)
    return round_
