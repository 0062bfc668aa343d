"""A campaign's statistics (M16): per question the distribution, the satisfaction index per
office, per service area and for the company with the mean score, each office's return rate, and
the comparison with the previous campaign.

The satisfaction index (满意率) is the share of satisfaction answers (scale questions, 1 to 5)
that are 4 (satisfied) or 5 (very satisfied), of all satisfaction answers given: a household
that answers nine scale questions counts nine times. The mean score is the mean of the same
answers. Both are given per office, per area (the questions' ``Area``) and for the company.

The work is a fixed number of queries whatever the number of answers: the offices' parts, the
questions, one GROUP BY over the campaign's ``Answer`` rows (index ``answer_stats``: campaign,
question, office, score, option), the previous campaign, and one GROUP BY over its answers by
area and office (index ``answer_area``). Everything else is summed here from the grouped rows
(at most questions × offices × (5 scores + options) of them).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from propdesk.core.errors import NotFound
from propdesk.core.permissions import allowed

from ..models import SATISFIED, SCALE, Answer, Area, Campaign, CampaignOffice, Question, rate

K = Question.Kind
# The analysis is due a week after (M16); the same week as services.campaigns.ANALYSIS_WINDOW,
# which the job sets the clocks with (a test holds them equal).
ANALYSIS_WINDOW = dt.timedelta(days=7)


def percent(value) -> str:
    """A share as the pages show it: 66.7%; a dash for none."""
    return "—" if value is None else f"{value * 100:.1f}%"


def points(value) -> str:
    """A change of the index in percentage points, signed: +5.0; a dash for none."""
    return "—" if value is None else f"{value * 100:+.1f}"


@dataclass
class Index:
    """Satisfaction answers counted: how many, how many 4 or 5, and their sum."""

    answers: int = 0
    satisfied: int = 0
    total: int = 0

    def add(self, score: int, n: int) -> None:
        self.answers += n
        self.total += score * n
        if score in SATISFIED:
            self.satisfied += n

    def merge(self, other: "Index") -> None:
        self.answers += other.answers
        self.satisfied += other.satisfied
        self.total += other.total

    @property
    def index(self) -> Decimal | None:
        """满意率: the share of answers that are 4 or 5 (four decimals); None without answers."""
        return rate(self.satisfied, self.answers) if self.answers else None

    @property
    def percent(self) -> str:
        return percent(self.index)

    @property
    def mean(self) -> Decimal | None:
        if not self.answers:
            return None
        return (Decimal(self.total) / self.answers).quantize(Decimal("0.01"))


def change(now: Index | None, before: Index | None) -> Decimal | None:
    """The index's change since the previous campaign, in points of the share (0.05 = 5%)."""
    if now is None or before is None or now.index is None or before.index is None:
        return None
    return now.index - before.index


@dataclass
class Figures:
    """One group's figures (an office, or the company): the overall index, the index per area,
    and each question's counts (scale: per score; choice and multi: per option; text: how many
    wrote one, under "")."""

    index: Index = field(default_factory=Index)
    areas: dict[str, Index] = field(default_factory=lambda: defaultdict(Index))
    counts: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def merge(self, other: "Figures") -> None:
        self.index.merge(other.index)
        for area, index in other.areas.items():
            self.areas[area].merge(index)
        for question, counts in other.counts.items():
            self.counts[question].update(counts)


@dataclass
class QuestionRow:
    """A question's distribution as shown: (value, label, count, share of the question's)."""

    question: Question
    rows: list[tuple[str, str, int, Decimal]]
    answered: int
    index: Index | None  # scale questions only

    @property
    def shown(self) -> list[tuple[str, int, str]]:
        return [(label, count, percent(share)) for _v, label, count, share in self.rows]


@dataclass
class OfficeFigures:
    part: CampaignOffice
    figures: Figures
    previous: Figures | None = None

    @property
    def office(self):
        return self.part.office

    @property
    def change(self) -> Decimal | None:
        return change(self.figures.index, self.previous.index if self.previous else None)

    @property
    def change_points(self) -> str:
        return points(self.change)

    @property
    def return_percent(self) -> str:
        return percent(self.part.return_rate)


@dataclass
class AreaRow:
    area: str
    label: str
    index: Index
    previous: Index | None

    @property
    def change(self) -> Decimal | None:
        return change(self.index, self.previous)

    @property
    def change_points(self) -> str:
        return points(self.change)

    @property
    def previous_percent(self) -> str:
        return self.previous.percent if self.previous else "—"


@dataclass
class Statistics:
    """A campaign's figures for the offices asked about (``included``: those whose figures are
    released; ``excluded``: the others, named so the reader knows what the totals leave out)."""

    campaign: Campaign
    questions: list[Question]
    included: list[OfficeFigures]
    excluded: list[CampaignOffice]
    total: Figures
    previous_campaign: Campaign | None
    previous_total: Figures | None

    @property
    def households(self) -> int:
        return sum(o.part.households for o in self.included)

    @property
    def responses(self) -> int:
        return sum(o.part.responses for o in self.included)

    @property
    def return_rate(self) -> Decimal:
        return rate(self.responses, self.households)

    @property
    def change(self) -> Decimal | None:
        return change(self.total.index, self.previous_total.index if self.previous_total else None)

    @property
    def change_points(self) -> str:
        return points(self.change)

    @property
    def return_percent(self) -> str:
        return percent(self.return_rate)

    @property
    def excluded_rows(self) -> list[tuple[CampaignOffice, str]]:
        return [(part, percent(part.return_rate)) for part in self.excluded]

    def area_rows(self, figures: Figures | None = None, previous: Figures | None = None):
        """The index per area in the Area's order, the areas the questionnaire asks about."""
        figures = figures or self.total
        previous = previous if figures is not self.total else self.previous_total
        asked = {q.area for q in self.questions if q.kind == K.SCALE}
        return [
            AreaRow(
                area=value,
                label=str(label),
                index=figures.areas.get(value) or Index(),
                previous=(previous.areas.get(value) if previous else None),
            )
            for value, label in Area.choices
            if value in asked
        ]

    def question_rows(self, figures: Figures | None = None) -> list[QuestionRow]:
        figures = figures or self.total
        out = []
        for question in self.questions:
            counts = figures.counts.get(question.pk, Counter())
            if question.kind == K.SCALE:
                labels = [(str(s), str(s)) for s in SCALE]
            elif question.kind in (K.CHOICE, K.MULTI):
                labels = question.display_options
            else:
                labels = [("", "")]
            answered = sum(counts.values())
            rows = [
                (value, label, counts[value], rate(counts[value], answered))
                for value, label in labels
            ]
            index = None
            if question.kind == K.SCALE:
                index = Index()
                for s in SCALE:
                    index.add(s, counts[str(s)])
            out.append(QuestionRow(question, rows, answered, index))
        return out


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The latest campaign whose deadline came before this one's (one that was launched)."""
    return (
        Campaign.objects.filter(deadline__lt=campaign.deadline)
        .exclude(state=Campaign.State.DRAFT)
        .exclude(pk=campaign.pk)
        .order_by("-deadline", "-pk")
        .first()
    )


def _grouped(campaign_id: int, questions: list[Question], office_id: int | None):
    """{office: Figures} from one GROUP BY over the campaign's answers."""
    kinds = {q.pk: q for q in questions}
    rows = Answer.objects.filter(campaign_id=campaign_id)
    if office_id is not None:
        # The question ids too, so one office's rows are index ranges of answer_stats.
        rows = rows.filter(question_id__in=list(kinds), office_id=office_id)
    rows = rows.values_list("office_id", "question_id", "score", "option").annotate(n=Count("*"))
    by_office: dict[int, Figures] = defaultdict(Figures)
    for office, question_id, score, option, n in rows.order_by():
        question = kinds.get(question_id)
        if question is None:
            continue
        figures = by_office[office]
        if question.kind == K.SCALE and score is not None:
            figures.index.add(score, n)
            figures.areas[question.area].add(score, n)
            figures.counts[question_id][str(score)] += n
        elif question.kind in (K.CHOICE, K.MULTI):
            figures.counts[question_id][option] += n
        else:
            figures.counts[question_id][""] += n
    return by_office


def _previous_grouped(campaign_id: int, office_id: int | None) -> dict[int, Figures]:
    """{office: Figures with the index overall and per area} of an earlier campaign, from one
    GROUP BY (index answer_area); its questionnaire may differ, so it is compared by area."""
    rows = Answer.objects.filter(campaign_id=campaign_id, score__isnull=False)
    if office_id is not None:
        rows = rows.filter(area__in=Area.values, office_id=office_id)
    rows = (
        rows.values_list("office_id", "area")
        .annotate(
            n=Count("*"),
            satisfied=Count("score", filter=Q(score__in=SATISFIED)),
            total=Sum("score"),
        )
        .order_by()
    )
    by_office: dict[int, Figures] = defaultdict(Figures)
    for office, area, n, satisfied, total in rows:
        part = Index(answers=n, satisfied=satisfied, total=total or 0)
        by_office[office].areas[area].merge(part)
        by_office[office].index.merge(part)
    return by_office


def statistics(campaign: Campaign, *, office_id: int | None = None, released=None) -> Statistics:
    """The campaign's figures: of one office (``office_id``) or of every office. ``released``
    (a function of an office's part) says which offices' figures may count; the others are
    listed as ``excluded`` and left out of the totals. Five queries, whatever the answers."""
    parts = CampaignOffice.objects.filter(campaign=campaign).select_related("office")
    if office_id is not None:
        parts = parts.filter(office_id=office_id)
    parts = list(parts.order_by("office__code"))
    questions = list(campaign.questionnaire.questions.order_by("position"))
    current = _grouped(campaign.pk, questions, office_id)
    before = previous_campaign(campaign)
    previous = _previous_grouped(before.pk, office_id) if before else {}

    included, excluded = [], []
    total = Figures()
    previous_total = Figures() if before else None
    for part in parts:
        part.campaign = campaign  # known already: no query for it
        if released is not None and not released(part):
            excluded.append(part)
            continue
        figures = current.get(part.office_id, Figures())
        earlier = previous.get(part.office_id) if before else None
        included.append(OfficeFigures(part, figures, earlier))
        total.merge(figures)
        if earlier is not None:
            previous_total.merge(earlier)
    return Statistics(
        campaign=campaign,
        questions=questions,
        included=included,
        excluded=excluded,
        total=total,
        previous_campaign=before,
        previous_total=previous_total,
    )


# --- the analysis clock (M16: within a week) ---------------------------------------------------


@dataclass
class Clock:
    """An office's analysis clock in a campaign: due (once both the target rate and the deadline
    are reached), analysed, and whether it was on time (analysed no later than due); ``overdue``
    when it is due, not analysed, and the week is over."""

    part: CampaignOffice
    now: object

    @property
    def due_at(self):
        """Set by the job ``analysis_clocks``; until it runs, computed the same way: a week after
        the later of the target reached and the deadline, once both are past."""
        part = self.part
        if part.analysis_due_at is not None or part.reached_at is None:
            return part.analysis_due_at
        deadline = part.campaign.deadline
        if self.now < deadline:
            return None
        return max(part.reached_at, deadline) + ANALYSIS_WINDOW

    @property
    def analysed_at(self):
        return self.part.analysed_at

    @property
    def on_time(self) -> bool | None:
        if self.due_at is None or self.analysed_at is None:
            return None
        return self.analysed_at <= self.due_at

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.analysed_at is None and self.now > self.due_at


def analysis_clocks_of(parts, *, now) -> list[Clock]:
    """The clocks of the given parts (a queryset of ``CampaignOffice``, already scoped), for the
    campaign's page and the compliance board: one query."""
    return [Clock(part, now) for part in parts.select_related("office", "campaign", "analysed_by")]


def campaign_get(user, pk) -> Campaign:
    """A campaign, for staff who may view surveys (campaigns are the company's: every office
    takes part, so none is hidden by office; its offices' figures are)."""
    if not allowed(user, "survey.view"):
        raise NotFound()
    try:
        return Campaign.objects.select_related("questionnaire").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
