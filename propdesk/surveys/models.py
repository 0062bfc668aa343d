"""Half-yearly satisfaction surveys (M16).

The company keeps one questionnaire in numbered versions; a published version never changes, and
a campaign freezes the version it asks. Each June and November a campaign invites every household
of every office: the participant list is frozen at launch, one participant (and at most one
response) per household. A household answers online, through its one-time link or the portal,
or on paper, which office staff type in; both count the same. Each office's part of a campaign
(`CampaignOffice`) keeps its return count, when it reached the target rate, and the one-week
clock for its analysis and follow-up, which starts once the target is reached and the collection
deadline has passed. Every household that wrote an opinion is called back, and important
customers are visited (`FollowUp`); issues raised by many get a public reply, published as a
notice (`PublicReply`).
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.history import HistoricalRecords
from propdesk.core.models import TimeStampedModel

# The manual: the return rate "should stay above 60%".
TARGET_RATE = Decimal("0.60")
# The scale of a satisfaction question; 4 and 5 count as satisfied (满意率).
SCALE = (1, 2, 3, 4, 5)
SATISFIED = (4, 5)
MAX_OPTIONS = 12


class Area(models.TextChoices):
    """The service areas a satisfaction question is about: the satisfaction index is given per
    area as well as overall."""

    HOTLINE = "hotline", _("Service center and hotline")
    REPAIRS = "repairs", _("Repairs")
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security")
    GREENERY = "greenery", _("Greenery")
    FACILITIES = "facilities", _("Facilities and equipment")
    FEES = "fees", _("Fees")
    ATTITUDE = "attitude", _("Service attitude")
    OVERALL = "overall", _("Overall")


def _localised(zh: str, en: str) -> str:
    """A questionnaire's own text is data in two languages, not a translation in the catalogue:
    the English one where the reader reads English and it was written, else the Chinese."""
    if en and (translation.get_language() or "").startswith("en"):
        return en
    return zh


class Questionnaire(TimeStampedModel):
    """One version of the company's questionnaire. A draft is edited; once published it never
    changes, and a change is a new version (a campaign keeps asking the version it froze)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    intro_en = models.TextField(_("introduction in English"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-number"]

    def __str__(self):
        return f"{self.display_title} (v{self.number})"

    @property
    def display_title(self) -> str:
        return _localised(self.title, self.title_en)

    @property
    def display_intro(self) -> str:
        return _localised(self.intro, self.intro_en)


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Satisfaction (1–5)")
        CHOICE = "choice", _("Single choice")
        MULTI = "multi", _("Multiple choice")
        TEXT = "text", _("Free text")

    questionnaire = models.ForeignKey(Questionnaire, models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # A satisfaction question's service area; empty for the others.
    area = models.CharField(_("service area"), max_length=20, choices=Area.choices, blank=True)
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Choice questions: [{"value": "a", "label": "…", "label_en": "…"}, …] in display order.
    options = models.JSONField(_("options"), default=list, blank=True)
    # The free-text question whose answers are the household's opinions and suggestions: a
    # household that writes one is called back (逐户回访).
    is_opinion = models.BooleanField(_("opinions and suggestions"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="question_unique_position"
            ),
            models.CheckConstraint(
                condition=~Q(kind="scale") | ~Q(area=""), name="question_scale_has_area"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.display_text}"

    @property
    def display_text(self) -> str:
        return _localised(self.text, self.text_en)

    @property
    def display_options(self) -> list[tuple[str, str]]:
        return [(o["value"], _localised(o["label"], o.get("label_en", ""))) for o in self.options]


class Campaign(TimeStampedModel):
    """One survey of every household of every office, asked with one frozen questionnaire."""

    class Season(models.TextChoices):
        JUNE = "june", _("June")
        NOVEMBER = "november", _("November")
        SPECIAL = "special", _("Special")

    class Audience(models.TextChoices):
        # One response per household whoever answers; the audience says who is invited.
        OWNERS = "owners", _("Owners")
        RESIDENTS = "residents", _("Owners and tenants")

    class State(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        RUNNING = "running", _("Collecting answers")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    season = models.CharField(_("season"), max_length=10, choices=Season.choices)
    questionnaire = models.ForeignKey(
        Questionnaire, models.PROTECT, related_name="campaigns", verbose_name=_("questionnaire")
    )
    audience = models.CharField(
        _("invited"), max_length=10, choices=Audience.choices, default=Audience.OWNERS
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    # Answers are taken until this moment; the analysis clock starts at the later of this and
    # the office reaching the target rate.
    deadline = models.DateTimeField(_("collection deadline"))
    target_rate = models.DecimalField(
        _("target return rate"), max_digits=3, decimal_places=2, default=TARGET_RATE
    )
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    launched_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-year", "-deadline", "-pk"]
        constraints = [
            # The scheduled job creates June's and November's once, however often it runs.
            models.UniqueConstraint(
                fields=["year", "season"],
                condition=~Q(season="special"),
                name="campaign_once_per_season",
            ),
            models.CheckConstraint(
                condition=Q(target_rate__gt=0, target_rate__lte=1), name="campaign_target_rate"
            ),
        ]
        indexes = [
            # The console's list by state, latest first; the reminder job (running ones).
            models.Index(fields=["state", "-deadline"], name="campaign_state"),
        ]

    def __str__(self):
        return self.title


def rate(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` as a fraction with four decimals (0 of nothing is 0)."""
    if not whole:
        return Decimal("0")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


class CampaignOffice(models.Model):
    """An office's part of a campaign: how many of its households were invited and have answered,
    when it reached the target rate, and its analysis, due a week after the later of that and the
    deadline (M16)."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="offices")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="survey_parts")
    households = models.PositiveIntegerField(_("households"), default=0)
    # Frozen at launch, so the return rate's denominator never moves; the answers are counted by
    # the service that takes one, in its transaction (an UPDATE, which keeps no history row per
    # answer): exact, and the page does not count a million answers to show it.
    responses = models.PositiveIntegerField(_("answered"), default=0)
    reached_at = models.DateTimeField(_("target reached at"), null=True, blank=True)
    # Set once both the target is reached and the deadline has passed.
    analysis_due_at = models.DateTimeField(_("analysis due by"), null=True, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)
    analysed_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    analysis = models.TextField(_("analysis and conclusions"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office's part of a survey")
        verbose_name_plural = _("offices' parts of a survey")
        ordering = ["campaign", "office__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "office"], name="campaignoffice_unique"),
            models.CheckConstraint(
                condition=Q(responses__lte=models.F("households")),
                name="campaignoffice_responses_le_households",
            ),
        ]
        indexes = [
            # An office's campaigns (its director's page, the compliance board).
            models.Index(fields=["office", "campaign"], name="campaignoffice_office"),
        ]

    def __str__(self):
        return f"{self.campaign} / {self.office}"

    @property
    def return_rate(self) -> Decimal:
        return rate(self.responses, self.households)


class Participant(models.Model):
    """A household invited to a campaign, frozen at launch. Its code is printed on its paper
    questionnaire and typed in by staff; its one-time link carries a token of which only the
    hash is kept."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="participants")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "customers.Household", models.PROTECT, related_name="survey_participations"
    )
    # Whom the invitation and reminders are addressed to (the owner, or a tenant where the
    # company invites residents); empty for a household without anyone to write to.
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.CharField(_("questionnaire code"), max_length=20)
    # A random salt: the link's token is derived from it and the site's secret, so a reprinted
    # questionnaire carries the same link, and the database alone cannot answer for anyone.
    salt = models.CharField(max_length=32)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    # Copied from the response, so the "not answered yet" list is one indexed query.
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["campaign", "code"]
        constraints = [
            # One participant, so one response, per household and campaign.
            models.UniqueConstraint(
                fields=["campaign", "household"], name="participant_one_per_household"
            ),
            models.UniqueConstraint(fields=["campaign", "code"], name="participant_unique_code"),
        ]
        indexes = [
            # An office's households not answered yet (and answered), in code order.
            models.Index(
                fields=["campaign", "office", "responded_at", "code"], name="participant_office"
            ),
            # A household's (so a customer's) campaigns, for the portal and the history.
            models.Index(fields=["household", "campaign"], name="participant_household"),
        ]

    def __str__(self):
        return self.code


class Response(models.Model):
    """A household's answers to a campaign: online (its link or the portal) or typed in from
    paper. It can be changed until the deadline; its answers are kept as `Answer` rows."""

    class Channel(models.TextChoices):
        LINK = "link", _("One-time link")
        PORTAL = "portal", _("Portal")
        PAPER = "paper", _("Paper, entered by staff")

    participant = models.OneToOneField(Participant, models.PROTECT, related_name="response")
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    household = models.ForeignKey("customers.Household", models.PROTECT, related_name="+")
    channel = models.CharField(_("answered through"), max_length=10, choices=Channel.choices)
    # The customer who answered online; empty for paper.
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("answered at"))
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    # The answers as given, {question id: score, option, options or text}: the audit history of
    # the response keeps each version of them. The `Answer` rows are derived for the statistics.
    data = models.JSONField(_("answers"), default=dict)
    # The household's opinions and suggestions (the opinion question's answer), kept here too
    # so follow-up and topic grouping read one column.
    opinion = models.TextField(_("opinions and suggestions"), blank=True)
    # The mean of its satisfaction answers, for the "dissatisfied" filter.
    score = models.DecimalField(
        _("mean satisfaction"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # An office's responses in a campaign: the answers list, the dissatisfied filter.
            models.Index(fields=["campaign", "office", "score"], name="response_office_score"),
            # A campaign's opinions, for follow-up and topic grouping.
            models.Index(
                fields=["campaign", "office"],
                condition=~Q(opinion=""),
                name="response_with_opinion",
            ),
        ]

    def __str__(self):
        return f"{self.campaign_id}/{self.household_id}"


class Answer(models.Model):
    """One answer of a response: a score for a satisfaction question, one row per chosen option
    for a choice, the text for a free-text question. Campaign, office and area are copied so the
    statistics group one table."""

    response = models.ForeignKey(Response, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.PROTECT, related_name="answers")
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    area = models.CharField(max_length=20, choices=Area.choices, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    option = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"], name="answer_unique_option"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="answer_score_1_5",
            ),
        ]
        indexes = [
            # The statistics: distributions per question and office, indexes per area, each one
            # GROUP BY over the campaign's rows (index-only on PostgreSQL).
            models.Index(
                fields=["campaign", "question", "office", "score", "option"],
                name="answer_stats",
            ),
            models.Index(fields=["campaign", "area", "office", "score"], name="answer_area"),
            # The compliance board's satisfaction rate (M23): a campaign's satisfaction answers
            # counted per office, satisfied or not (index-only on PostgreSQL, ``id`` included
            # for the count).
            models.Index(
                fields=["campaign", "office", "score"],
                include=["id"],
                condition=Q(score__isnull=False),
                name="answer_satisfaction",
            ),
        ]


class FollowUp(TimeStampedModel):
    """After a campaign: a call back to a household that wrote an opinion (逐户回访), or a planned
    home visit to an important customer (登门拜访), with its outcome."""

    class Kind(models.TextChoices):
        CALLBACK = "callback", _("Household follow-up")
        VISIT = "visit", _("Home visit")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up", "To do")
        DONE = "done", pgettext_lazy("follow-up", "Done")

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="followups")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="followups")
    household = models.ForeignKey("customers.Household", models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    due_at = models.DateTimeField(_("due by"))
    assigned_to = models.ForeignKey(
        "org.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_followups",
        verbose_name=_("assigned to"),
    )
    planned_for = models.DateTimeField(_("visit planned for"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.TextField(_("outcome"), blank=True)
    # A request or complaint the follow-up (or a dissatisfied answer) opened.
    ticket = models.ForeignKey(
        "tickets.Ticket",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request opened"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("survey follow-up")
        verbose_name_plural = _("survey follow-ups")
        ordering = ["state", "due_at", "pk"]
        constraints = [
            # Opening follow-ups twice (the job on two machines) adds none.
            models.UniqueConstraint(fields=["campaign", "household", "kind"], name="followup_once"),
        ]
        indexes = [
            # The worklist: open ones by office, soonest due first; company roles by state.
            models.Index(fields=["office", "state", "due_at"], name="surveyfollowup_office"),
            models.Index(fields=["state", "due_at"], name="surveyfollowup_state"),
            models.Index(fields=["campaign", "state"], name="surveyfollowup_campaign"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.household_id}"


class PublicReply(models.Model):
    """The company's public answer to an issue many raised in a campaign, published as a
    notice (M05)."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="replies")
    # Empty: the company's reply to all; otherwise to one office's customers.
    office = models.ForeignKey("org.Office", models.PROTECT, null=True, blank=True)
    topic = models.CharField(_("issue"), max_length=100)
    notice = models.OneToOneField(
        "notices.Notice", models.PROTECT, related_name="survey_reply", verbose_name=_("notice")
    )
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey("org.User", models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("public reply")
        verbose_name_plural = _("public replies")
        ordering = ["campaign", "-created_at"]


class CampaignEvent(models.Model):
    """The campaign's timeline: launched, reminders sent, an office reaching its target, the
    analysis, replies, closing."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("event", "Created")
        EDITED = "edited", _("Changed")
        LAUNCHED = "launched", _("Launched; households invited")
        REMINDED = "reminded", _("Reminders sent")
        TARGET_REACHED = "target_reached", _("Target return rate reached")
        ANALYSIS_DUE = "analysis_due", _("Analysis clock started")
        ANALYSED = "analysed", _("Analysis recorded")
        FOLLOWUPS_OPENED = "followups_opened", _("Follow-ups opened")
        REPLIED = "replied", _("Public reply published")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="events")
    office = models.ForeignKey("org.Office", models.PROTECT, null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["campaign", "at", "pk"]
        indexes = [models.Index(fields=["campaign", "at"], name="campaignevent_campaign")]
