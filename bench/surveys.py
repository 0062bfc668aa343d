"""Survey statistics at scale (M16): a campaign of a million answers, and the time the company's
figures take (docs/benchmarks.md).

    python -m bench.surveys generate --offices 200 --responses 100000 [--previous 100000]
    python -m bench.surveys measure [--rounds 5] [--json FILE]

``generate`` writes, into the database named by ``DATABASE_URL``, a company of ``--offices``
offices (codes ``bsurv-NNN``) whose households number the answers over a 75% return rate, and two
campaigns over them, closed and past their deadlines: the measured one, with ``--responses``
responses of ten answers each (nine satisfaction scores and a single choice, plus the opinion
where one was written: about 15% of households), and before it the previous campaign the figures
are compared with (``--previous`` responses, the same by default; 0 for none). Rows go straight
in with ``bulk_create``, not through the services (which would take hours and write a history
row and a contact per answer): the benchmark measures reads. Scores lean to the satisfied side
and differ by office and area, so the figures are not flat. It refuses a database that already
has the bench's offices.

``measure`` runs the company's figures the console shows (``services.analysis.company_statistics``:
the selectors of ``selectors.analysis``) as the Quality Management Department, and one office's,
``--rounds`` times after a warm-up, and prints one JSON line: answers in the campaign, the
median, fastest and slowest seconds, and the number of queries (which does not grow with the
answers). The topics of the opinions are timed once cold (jieba over the opinions read) and
once cached.
"""

import argparse
import datetime as dt
import json
import math
import random
import statistics as stats_module
import sys
import time
from decimal import Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from propdesk.customers.models import Building, Community, Household, Unit
from propdesk.org.models import Company, Office, Role, User
from propdesk.surveys.models import (
    Answer,
    Campaign,
    CampaignOffice,
    Participant,
    Question,
    Response,
)
from propdesk.surveys.services import questionnaire_install_default
from propdesk.surveys.services.analysis import company_statistics, office_statistics
from propdesk.surveys.topics import campaign_topics

PREFIX = "bsurv"
RETURN_RATE = 0.75
OPINION_SHARE = 0.15
PER_BUILDING = 72
BATCH = 5000
CHUNK = 2000  # responses written per transaction
OPINIONS = [
    "电梯经常坏，希望尽快维修",
    "小区停车位太少，晚上停车难",
    "物业费偏高，希望公开收支",
    "垃圾清运不及时，楼道有异味",
    "保安巡逻不够，晚上不安全",
    "绿化维护得不错，谢谢",
    "维修师傅态度很好，但上门太慢",
    "楼道灯坏了很久没人修",
    "车位不够，乱停车严重",
    "升降梯噪音大",
]


class GenerateRefused(Exception):
    pass


def _quiet(*args):
    pass


def _company():
    company, _ = Company.objects.get_or_create(code=PREFIX, defaults={"name": "Bench surveys"})
    quality, _ = User.objects.get_or_create(
        username=f"{PREFIX}-quality", defaults={"role": Role.QUALITY, "office": None}
    )
    return company, quality


def _offices(company, count: int, households: int, out) -> list[tuple[int, list[int]]]:
    """``count`` offices with ``households`` households each: [(office id, [household ids])]."""
    made = []
    for n in range(count):
        office = Office.objects.create(
            company=company, code=f"{PREFIX}-{n:03d}", name=f"测试管理处{n:03d}"
        )
        community = Community.objects.create(office=office, name=f"测试小区{n:03d}")
        buildings = Building.objects.bulk_create(
            Building(community=community, name=f"{b + 1}栋")
            for b in range(math.ceil(households / PER_BUILDING))
        )
        units = Unit.objects.bulk_create(
            (
                Unit(
                    building=buildings[i // PER_BUILDING],
                    number=f"{(i % PER_BUILDING) // 4 + 1}{i % 4 + 1:02d}",
                )
                for i in range(households)
            ),
            batch_size=BATCH,
        )
        rows = Household.objects.bulk_create(
            (Household(office=office, unit=unit) for unit in units), batch_size=BATCH
        )
        made.append((office.pk, [h.pk for h in rows]))
        if n % 20 == 19:
            out(f"  {n + 1} offices")
    return made


def _campaign(title, year, season, deadline, questionnaire) -> Campaign:
    return Campaign.objects.create(
        title=title,
        year=year,
        season=season,
        questionnaire=questionnaire,
        state=Campaign.State.CLOSED,
        deadline=deadline,
        launched_at=deadline - dt.timedelta(days=30),
        closed_at=deadline + dt.timedelta(days=1),
    )


def _score(rng, office_bias: float, area_bias: float) -> int:
    # Mostly 4s and 5s, with each office and area leaning its own way.
    x = rng.gauss(3.9 + office_bias + area_bias, 0.9)
    return min(5, max(1, round(x)))


def _fill(campaign, offices, responses: int, seed: int, out) -> int:
    """Participants for every household, ``responses`` responses spread over the offices with
    their answers, and each office's part (counts, target reached). Returns answers written."""
    rng = random.Random(seed)
    questions = list(campaign.questionnaire.questions.order_by("position"))
    scale = [q for q in questions if q.kind == Question.Kind.SCALE][:9]
    choice = next(q for q in questions if q.kind == Question.Kind.CHOICE)
    opinion = next((q for q in questions if q.is_opinion), None)
    area_bias = {q.pk: rng.uniform(-0.4, 0.3) for q in scale}
    per_office = responses // len(offices)
    extra = responses - per_office * len(offices)
    submitted = campaign.deadline - dt.timedelta(days=10)
    answers_written = 0
    for index, (office_id, households) in enumerate(offices):
        answering = min(len(households), per_office + (1 if index < extra else 0))
        office_bias = rng.uniform(-0.5, 0.4)
        with transaction.atomic():
            participants = Participant.objects.bulk_create(
                (
                    Participant(
                        campaign=campaign,
                        office_id=office_id,
                        household_id=household_id,
                        code=f"{PREFIX}{office_id}-{i:05d}",
                        salt="0" * 32,
                        token_hash=f"{campaign.pk}-{household_id}",
                        invited_at=campaign.launched_at,
                        responded_at=submitted if i < answering else None,
                    )
                    for i, household_id in enumerate(households)
                ),
                batch_size=BATCH,
            )
            for start in range(0, answering, CHUNK):
                chunk = participants[start : min(answering, start + CHUNK)]
                rows, answers = [], []
                for participant in chunk:
                    scores = {q.pk: _score(rng, office_bias, area_bias[q.pk]) for q in scale}
                    said = rng.choice(OPINIONS) if rng.random() < OPINION_SHARE else ""
                    data = {str(k): v for k, v in scores.items()}
                    data[str(choice.pk)] = choice.options[0]["value"]
                    if said and opinion is not None:
                        data[str(opinion.pk)] = said
                    rows.append(
                        Response(
                            participant=participant,
                            campaign=campaign,
                            office_id=office_id,
                            household_id=participant.household_id,
                            channel=Response.Channel.LINK,
                            submitted_at=submitted,
                            data=data,
                            opinion=said,
                            score=(Decimal(sum(scores.values())) / len(scores)).quantize(
                                Decimal("0.01")
                            ),
                        )
                    )
                Response.objects.bulk_create(rows, batch_size=BATCH)
                for response in rows:
                    common = {"response": response, "campaign": campaign, "office_id": office_id}
                    for q in scale:
                        score = response.data[str(q.pk)]
                        answers.append(Answer(question=q, area=q.area, score=score, **common))
                    answers.append(
                        Answer(question=choice, option=choice.options[0]["value"], **common)
                    )
                    if response.opinion and opinion is not None:
                        answers.append(Answer(question=opinion, text=response.opinion, **common))
                Answer.objects.bulk_create(answers, batch_size=BATCH)
                answers_written += len(answers)
            CampaignOffice.objects.create(
                campaign=campaign,
                office_id=office_id,
                households=len(households),
                responses=answering,
                reached_at=submitted,
                analysis_due_at=campaign.deadline + dt.timedelta(days=7),
            )
        if index % 20 == 19:
            out(f"  {campaign.title}: {index + 1} offices, {answers_written} answers")
    return answers_written


def generate(
    *, offices: int, responses: int, previous: int | None = None, seed: int = 1, out=print
) -> dict:
    if Office.objects.filter(code__startswith=f"{PREFIX}-").exists():
        raise GenerateRefused(f"This database has the bench's offices ({PREFIX}-…) already.")
    previous = responses if previous is None else previous
    started = time.perf_counter()
    now = timezone.now()
    company, _quality = _company()
    questionnaire = questionnaire_install_default(now=now)
    households = math.ceil(max(responses, previous) / offices / RETURN_RATE)
    made = _offices(company, offices, households, out)
    figures = {"offices": offices, "households": offices * households}
    if previous:
        earlier = _campaign(
            "测试：上一次满意率调查", 2001, "november", now - dt.timedelta(days=200), questionnaire
        )
        figures["previous_answers"] = _fill(earlier, made, previous, seed + 1, out)
    campaign = _campaign(
        "测试：满意率调查", 2002, "june", now - dt.timedelta(days=20), questionnaire
    )
    figures["campaign"] = campaign.pk
    figures["answers"] = _fill(campaign, made, responses, seed, out)
    # VACUUM cannot run inside a transaction (a test's): there, ANALYZE alone refreshes the
    # planner's statistics.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Answer, Response, Participant, CampaignOffice):
                cursor.execute(f"{command} {model._meta.db_table}")
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def _timed(fn, rounds: int) -> dict:
    fn()  # warm-up: the first run pays for connections and caches
    with CaptureQueriesContext(connection) as queries:
        fn()
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return {
        "median_s": round(stats_module.median(seconds), 3),
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
        "queries": len(queries),
    }


def measure(*, rounds: int = 5, campaign_id: int | None = None) -> dict:
    _company_row, quality = _company()
    campaigns = Campaign.objects.filter(title="测试：满意率调查")
    campaign = campaigns.get(pk=campaign_id) if campaign_id else campaigns.latest("pk")
    now = timezone.now()
    office_id = CampaignOffice.objects.filter(campaign=campaign).order_by("pk").first().office_id

    def company():
        figures = company_statistics(actor=quality, campaign=campaign, now=now)
        figures.area_rows()
        figures.question_rows()
        return figures

    def office():
        figures = office_statistics(actor=quality, campaign=campaign, office_id=office_id, now=now)
        figures.area_rows(figures.included[0].figures, figures.included[0].previous)
        figures.question_rows(figures.included[0].figures)

    result = {
        "vendor": connection.vendor,
        "answers": Answer.objects.filter(campaign=campaign).count(),
        "offices": CampaignOffice.objects.filter(campaign=campaign).count(),
        "company": _timed(company, rounds),
        "office": _timed(office, rounds),
    }
    cache.clear()
    started = time.perf_counter()
    topics = campaign_topics(campaign)
    result["topics_cold_s"] = round(time.perf_counter() - started, 2)
    result["topics_opinions_read"] = topics.read
    started = time.perf_counter()
    campaign_topics(campaign)
    result["topics_cached_s"] = round(time.perf_counter() - started, 3)
    figures = company()
    result["company_index"] = str(figures.total.index.index)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.surveys", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write the offices and the two campaigns")
    gen.add_argument("--offices", type=int, default=200)
    gen.add_argument("--responses", type=int, default=100_000)
    gen.add_argument("--previous", type=int, default=None)
    gen.add_argument("--seed", type=int, default=1)
    run = commands.add_parser("measure", help="time the company's figures")
    run.add_argument("--rounds", type=int, default=5)
    run.add_argument("--campaign", type=int, default=None)
    run.add_argument("--json", help="append the figures to this file as a JSON line")
    args = parser.parse_args(argv)
    if args.command == "generate":
        try:
            figures = generate(
                offices=args.offices,
                responses=args.responses,
                previous=args.previous,
                seed=args.seed,
                out=lambda text: print(text, file=sys.stderr),
            )
        except GenerateRefused as err:
            print(err, file=sys.stderr)
            return 2
        print(json.dumps(figures))
        return 0
    line = json.dumps(measure(rounds=args.rounds, campaign_id=args.campaign), ensure_ascii=False)
    print(line)
    if args.json:
        with open(args.json, "a") as out:
            out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
