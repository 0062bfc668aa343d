"""M16: issues raised by many stand out from the written opinions: one issue written in different
words counts once per household; words that say nothing are left out; the work is bounded and
cached."""

import pytest

from propdesk.surveys import topics
from propdesk.surveys.models import Participant
from propdesk.surveys.topics import campaign_topics, keywords
from tests.queries import count_queries

from .analysis_fixtures import answer

pytestmark = pytest.mark.django_db

PARKING = ("小区停车位太少", "晚上停车难，车没地方停", "车位不够用，希望增加车位")
LIFT = ("电梯经常坏", "升降梯老是故障，请尽快维修")


def test_m16_the_same_issue_written_differently_is_one_keyword():
    assert all("停车" in keywords(text) for text in PARKING)
    assert all("电梯" in keywords(text) for text in LIFT)
    assert "物业费" in keywords("物业费太贵了") and "物业费" in keywords("管理费收得太高")
    assert "垃圾清运" in keywords("垃圾没有及时清运") and "垃圾清运" in keywords("垃圾清运不及时")
    # Words that carry no issue are not keywords.
    assert not keywords("希望物业加强管理，谢谢") - {"加强"}


def _campaign_with_opinions(make_campaign, make_customer, office, other_office, opinions, other=()):
    for _ in opinions:
        make_customer(office=office)
    for _ in other:
        make_customer(office=other_office)
    campaign = make_campaign()
    mine = Participant.objects.filter(campaign=campaign, office=office).order_by("pk")
    for participant, text in zip(mine, opinions, strict=True):
        answer(campaign, participant, 3, text)
    theirs = Participant.objects.filter(campaign=campaign, office=other_office).order_by("pk")
    for participant, text in zip(theirs, other, strict=True):
        answer(campaign, participant, 3, text)
    return campaign


def test_m16_topics_count_households_and_keep_samples(
    make_campaign, make_customer, office, other_office
):
    campaign = _campaign_with_opinions(
        make_campaign,
        make_customer,
        office,
        other_office,
        [*PARKING, *LIFT, "没意见"],
        other=["停车场收费太高"],
    )

    company = campaign_topics(campaign)
    ranked = {t.word: t for t in company.topics}
    # 车位 twice in one opinion is still one household.
    assert ranked["停车"].households == 4
    assert ranked["电梯"].households == 2
    assert company.topics[0].word == "停车"
    assert ranked["停车"].samples[0] in PARKING
    assert company.read == 7 and not company.capped

    mine = campaign_topics(campaign, office_id=office.pk)
    assert {t.word: t.households for t in mine.topics}["停车"] == 3
    only_theirs = campaign_topics(campaign, office_ids={other_office.pk})
    assert {t.word: t.households for t in only_theirs.topics}["停车"] == 1


def test_m16_topics_read_a_bounded_number_in_batches_and_are_cached(
    make_campaign, make_customer, office, other_office, monkeypatch
):
    campaign = _campaign_with_opinions(
        make_campaign, make_customer, office, other_office, [*PARKING, *LIFT]
    )
    monkeypatch.setattr(topics, "MAX_OPINIONS", 4)
    monkeypatch.setattr(topics, "BATCH", 2)

    with count_queries() as first:
        result = campaign_topics(campaign)
    assert result.read == 4 and result.capped
    assert len(first) == 1 + 2  # the stamp, then two batches of two

    with count_queries() as again:
        campaign_topics(campaign)
    assert len(again) == 1  # the stamp alone: the rest is cached
