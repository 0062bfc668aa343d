"""The demo's satisfaction surveys (M16), written through the survey services.

Two campaigns over every household of the demo company:

- the last season's, finished: launched on the 1st of June or November and collecting until
  the 25th, answered online and on paper by 60–75% of the households of most offices and by
  fewer in one (the last), so its analysis clock never starts; each office that reached the
  target has its clock started, its follow-ups opened (some done, one of them turned into a
  request) and its analysis recorded (the second office a day after it was due); the most
  frequent issue, the lifts, has a company-wide public reply;
- the current one, collecting: this June's or November's, or a special survey between the
  seasons, with some answers so far.

Invitations are what the launch owes its households: for a replayed past nobody is written to,
so each launch's invitation run is marked done with the participants invited at launch.
"""

import datetime as dt

from django.utils import timezone

from propdesk.core.models import DeferredTask
from propdesk.surveys.models import Campaign, Participant, Question, Response
from propdesk.surveys.services import (
    analysis_clocks,
    campaign_close,
    campaign_create,
    campaign_launch,
    questionnaire_install_default,
    response_submit,
)
from propdesk.surveys.services.analysis import office_analysis_record
from propdesk.surveys.services.followups import (
    followup_assign,
    followup_open_request,
    followup_plan,
    followup_record,
    survey_followups_open,
)
from propdesk.surveys.services.replies import reply_publish
from propdesk.tickets.models import Kind

SEASON_NAMES = {Campaign.Season.JUNE: "6月", Campaign.Season.NOVEMBER: "11月"}
# The finished campaign's share of households answering, per office; the last office is short.
RATES = (0.72, 0.65, 0.68, 0.70)
LOW_RATE = 0.45
RUNNING_RATE = 0.2
PAPER_SHARE = 0.3
OPINION_SHARE = 0.35
# Repeated issues, so the topics stand out; each lowers the score of its area.
OPINIONS = [
    ("facilities", "电梯经常出故障，上周又困人了，希望尽快彻底检修。"),
    ("facilities", "电梯老旧，运行时噪音大，建议更换。"),
    ("facilities", "电梯维修太慢，等了三天才修好。"),
    ("security", "停车位太少，晚上回来经常没有车位。"),
    ("security", "外来车辆随意停放，占用消防通道，希望加强管理。"),
    ("cleaning", "垃圾清运不及时，垃圾桶周边有异味。"),
    ("cleaning", "垃圾分类点夏天很臭，希望增加清运次数。"),
    ("greenery", "小区绿化修剪不够，部分草坪枯黄。"),
    ("fees", "物业费明细希望公开得更清楚一些。"),
    ("attitude", "客服人员态度很好，报修响应及时，谢谢！"),
    ("repairs", "水管维修师傅很专业，但上门时间不准。"),
]
OUTCOMES = [
    "已电话回访，向业主说明电梯更换计划，业主表示理解。",
    "已回访，停车问题已反馈管理处，将增设临时车位。",
    "已回访，垃圾清运已改为每日两次，业主满意。",
    "电话未接通，短信告知后业主回电，已解释处理进度。",
    "已回访，业主对处理结果满意。",
]
VISIT_OUTCOMES = [
    "登门拜访，听取业主对小区管理的意见，业主对服务总体满意。",
    "上门拜访，业主提出电梯和停车问题，已记录并承诺月底前答复。",
]
ANALYSIS = (
    "本次调查回收率达到目标。主要问题集中在电梯运行（故障、噪音、维修时效）、停车位不足和垃圾清运，"
    "其中电梯问题提及最多。结论：本月内完成电梯专项检修并公布更换计划；协调增设临时停车位；"
    "垃圾清运改为每日两次。对提出意见的住户已逐户回访，重要客户已登门拜访。"
)
REPLY = (
    "感谢各位业主在满意度调查中提出的宝贵意见。针对大家集中反映的电梯故障和维修慢的问题，"
    "公司已安排电梯专项检修，老旧电梯将于明年分批更换，维修响应时间缩短至4小时以内。"
)


def _at(b, when: dt.datetime) -> dt.datetime:
    """Move the demo's simulated clock (what ``timezone.now()`` answers while it is built) to
    ``when``: the lifecycle's checks that read the time then agree with the ``now`` given."""
    b.clock.at = when
    return when


def _local(year, month, day, hour=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def _finished_season(now) -> tuple[int, str, dt.datetime, dt.datetime]:
    """The latest June or November whose collection (the 1st to the 25th) ended at least eight
    days ago, so its offices' analysis week is over."""
    year = timezone.localtime(now).year
    for y, month in ((year, 11), (year, 6), (year - 1, 11), (year - 1, 6)):
        deadline = _local(y, month, 25)
        if deadline + dt.timedelta(days=8) <= now:
            season = Campaign.Season.NOVEMBER if month == 11 else Campaign.Season.JUNE
            return y, season, _local(y, month, 1, 9), deadline
    raise ValueError("no season before now")  # unreachable: a year back is always long past


def _launch(b, *, title, year, season, launch, deadline) -> Campaign:
    _at(b, launch)
    campaign = campaign_create(
        actor=b.quality,
        title=title,
        year=year,
        season=season,
        deadline=deadline,
        now=launch,
    )
    campaign = campaign_launch(actor=b.quality, campaign=campaign, now=launch)
    # A replayed launch writes to nobody: its invitation run is done, as of the launch.
    DeferredTask.objects.filter(key=f"survey:{campaign.pk}:invite").update(finished_at=launch)
    Participant.objects.filter(campaign=campaign).update(invited_at=launch)
    return campaign


def _answers(b, questions, *, mood: float) -> tuple[dict, bool]:
    """One household's answers: scores around its mood, sometimes an opinion that lowers its
    area's score. Returns the answers and whether they carry an opinion."""
    rng = b.rng
    opinion_area, opinion = "", ""
    if rng.random() < OPINION_SHARE:
        opinion_area, opinion = rng.choice(OPINIONS)
    answers = {}
    for q in questions:
        key = str(q.pk)
        if q.kind == Question.Kind.SCALE:
            score = round(rng.gauss(mood, 0.8))
            if q.area == opinion_area and opinion_area != "attitude":
                score = rng.choice([1, 2, 2, 3])
            answers[key] = max(1, min(5, score))
        elif q.kind == Question.Kind.CHOICE:
            answers[key] = rng.choice(q.options)["value"]
        elif q.kind == Question.Kind.MULTI:
            picked = rng.sample(q.options, rng.choice([1, 1, 2]))
            answers[key] = [o["value"] for o in picked]
        elif q.is_opinion and opinion:
            answers[key] = opinion
    return answers, bool(opinion)


def _collect(b, campaign, *, start, end, rates) -> None:
    """Each office's share of households answer between ``start`` and ``end``, in time order,
    online through their link or on paper typed in by the follow-up team."""
    rng = b.rng
    questions = list(campaign.questionnaire.questions.all())
    participants = list(
        Participant.objects.filter(campaign=campaign).select_related("customer").order_by("pk")
    )
    by_office: dict[int, list] = {}
    for p in participants:
        by_office.setdefault(p.office_id, []).append(p)
    span = (end - start).total_seconds()
    for o, rate in zip(b.offices, rates, strict=False):
        mine = by_office.get(o.office.pk, [])
        answering = rng.sample(mine, round(len(mine) * rate))
        moments = sorted(start + dt.timedelta(seconds=rng.uniform(0, span)) for _ in answering)
        mood = rng.uniform(3.7, 4.3)
        for participant, at in zip(answering, moments, strict=True):
            answers, _ = _answers(b, questions, mood=mood)
            online = participant.customer is not None and rng.random() >= PAPER_SHARE
            response_submit(
                participant=participant,
                answers=answers,
                channel=Response.Channel.LINK if online else Response.Channel.PAPER,
                customer=participant.customer if online else None,
                # Paper is typed in by the company's follow-up team (客户回访组).
                actor=None if online else rng.choice(b.followups),
                now=_at(b, at),
            )


def _follow_up(b, campaign, *, opened_at, until) -> None:
    """Some of each office's follow-ups are assigned and done; one dissatisfied household's
    opinion becomes a repair request."""
    rng = b.rng
    span = max((until - opened_at).total_seconds(), 3600)
    specialists = b.followups
    for o in b.offices:
        followups = list(
            campaign.followups.filter(office=o.office)
            .select_related("customer", "household", "campaign")
            .order_by("pk")
        )
        requested = False
        for n, followup in enumerate(followups):
            at = opened_at + dt.timedelta(seconds=rng.uniform(600, span / 2))
            who = rng.choice(specialists) if n % 2 else rng.choice(o.agents)
            followup = followup_assign(
                actor=o.director, followup=followup, assignee=who, now=_at(b, at)
            )
            if rng.random() > 0.6:
                continue  # still to do
            done_at = at + dt.timedelta(seconds=rng.uniform(600, span / 2))
            _at(b, done_at)
            if followup.kind == followup.Kind.VISIT:
                visit_at = done_at - dt.timedelta(hours=2)
                followup = followup_plan(actor=who, followup=followup, planned_for=visit_at, now=at)
                followup_record(
                    actor=who, followup=followup, outcome=rng.choice(VISIT_OUTCOMES), now=done_at
                )
                continue
            if not requested and followup.customer is not None and "电梯" in _opinion(followup):
                followup = followup_open_request(
                    actor=who, followup=followup, kind=Kind.REPAIR, now=done_at
                )
                requested = True
            followup_record(actor=who, followup=followup, outcome=rng.choice(OUTCOMES), now=done_at)


def _opinion(followup) -> str:
    response = Response.objects.filter(participant_id=followup.participant_id).first()
    return response.opinion if response else ""


def build_surveys(b) -> str:
    """The finished campaign of the last season and the current one (see the module's doc)."""
    now = b.now
    questionnaire_install_default(now=now - dt.timedelta(days=400), actor=b.quality)

    # --- the last season, finished ---------------------------------------------------------
    year, season, launch, deadline = _finished_season(now)
    finished = _launch(
        b,
        title=f"{year}年{SEASON_NAMES[season]}客户满意率调查",
        year=year,
        season=season,
        launch=launch,
        deadline=deadline,
    )
    rates = [*RATES[: len(b.offices) - 1], LOW_RATE]
    _collect(b, finished, start=launch, end=deadline - dt.timedelta(hours=1), rates=rates)
    clocks_at = deadline + dt.timedelta(hours=1)
    analysis_clocks(now=_at(b, clocks_at))
    opened_at = clocks_at + dt.timedelta(hours=1)
    survey_followups_open(now=_at(b, opened_at))
    due = deadline + dt.timedelta(days=7)
    _follow_up(b, finished, opened_at=opened_at, until=min(due, now))
    reached = [p for p in finished.offices.select_related("office") if p.analysis_due_at]
    for n, part in enumerate(reached):
        director = next(o.director for o in b.offices if o.office.pk == part.office_id)
        # The second office records its analysis a day after it was due.
        at = part.analysis_due_at + dt.timedelta(days=1) if n == 1 else due - dt.timedelta(days=2)
        office_analysis_record(
            actor=director,
            campaign=finished,
            office_id=part.office_id,
            analysis=ANALYSIS,
            now=_at(b, min(at, now)),
        )
    reply_publish(
        actor=b.quality,
        campaign=finished,
        topic="电梯",
        title="关于满意度调查中电梯问题的答复",
        body=REPLY,
        now=_at(b, deadline + dt.timedelta(days=3)),
    )
    closed_at = _at(b, min(due + dt.timedelta(days=1), now))
    campaign_close(actor=b.quality, campaign=finished, now=closed_at)

    # --- the current one, collecting -------------------------------------------------------
    local = timezone.localtime(now)
    if local.month in (6, 11) and local.day > 1:
        season = Campaign.Season.JUNE if local.month == 6 else Campaign.Season.NOVEMBER
        start = _local(local.year, local.month, 1, 9)
        title = f"{local.year}年{SEASON_NAMES[season]}客户满意率调查"
        deadline = (
            _local(local.year, local.month, 25) if local.day < 24 else now + dt.timedelta(days=7)
        )
    else:
        season = Campaign.Season.SPECIAL
        start = now - dt.timedelta(days=5)
        title = f"{local.year}年{local.month}月电梯与停车专项满意度调查"
        deadline = now + dt.timedelta(days=14)
    running = _launch(
        b, title=title, year=local.year, season=season, launch=start, deadline=deadline
    )
    _collect(
        b,
        running,
        start=start + dt.timedelta(hours=1),
        end=now - dt.timedelta(minutes=30),
        rates=[RUNNING_RATE] * len(b.offices),
    )
    _at(b, now)
    answered = Response.objects.filter(campaign__in=[finished, running]).count()
    return f"Surveys: 2 campaigns, {answered} responses."
