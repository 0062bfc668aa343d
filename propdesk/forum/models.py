"""The online forum (M21): customers post and review in public, staff route and answer.

A post is in one community's forum, or in the company-wide forum (no community). It is a
discussion or a public review of a service (a rating with a comment on a catalogue item or on
the customer's own completed request). Staff triage each new post by routing it to an office and,
where one is concerned, a department; the route can change and every route is kept. The first
official reply stops the response clock. Moderation keeps the forum civil: a post or reply with a
word of the sensitive-word list waits for review; a moderator approves it or hides it with a
reason, which the author is told. Customers report abuse.

``office`` is the office answerable for the post (the community's, or the author's for the
company-wide forum, until someone routes it elsewhere): staff see a post through it.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.history import HistoricalRecords
from propdesk.core.limits import TEXT_LINE, TEXT_NOTE
from propdesk.core.models import TimeStampedModel

MAX_PHOTOS = 5
MAX_TEXT = 4000  # a post's text; a reply's is TEXT_NOTE


class Topic(models.TextChoices):
    REPAIRS = "repairs", _("Repairs and maintenance")
    ENVIRONMENT = "environment", _("Cleaning and greenery")
    SECURITY = "security", _("Security and order")
    FACILITIES = "facilities", _("Facilities and equipment")
    FEES = "fees", _("Fees")
    NEIGHBOURS = "neighbours", _("Neighbours and community life")
    SUGGESTION = "suggestion", _("Suggestions")
    SERVICE = "service", _("Service reviews")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    """Moderation state, shared by posts and replies."""

    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden")


class Post(TimeStampedModel):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Post")
        REVIEW = "review", _("Service review")

    office = models.ForeignKey(
        "org.Office", models.PROTECT, related_name="forum_posts", verbose_name=_("office")
    )
    # Empty: the company-wide forum.
    community = models.ForeignKey(
        "customers.Community",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_posts",
        verbose_name=_("community"),
    )
    company = models.ForeignKey("org.Company", models.PROTECT, related_name="+")
    author = models.ForeignKey(
        "customers.Customer", models.PROTECT, related_name="forum_posts", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default="discussion")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=TEXT_LINE)
    text = models.TextField(_("text"))
    # A review: its rating and what it is about (a catalogue item, or the author's own request).
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    item = models.ForeignKey(
        "catalog.ServiceItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    reviewed_ticket = models.ForeignKey(
        "tickets.Ticket",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request reviewed"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    held_for = models.CharField(_("held for"), max_length=TEXT_LINE, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=TEXT_NOTE, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The response clock starts when the post is out in public (at once, or when approved).
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due by"), null=True, blank=True)
    # The route: the department concerned (the office is ``office``); the first one is the triage.
    department = models.ForeignKey(
        "org.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_posts",
        verbose_name=_("department"),
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    first_answer_at = models.DateTimeField(_("first official reply"), null=True, blank=True)
    # Where the first official reply came from: the office and department measured for it.
    answered_office = models.ForeignKey(
        "org.Office", models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_department = models.ForeignKey(
        "org.Department", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The periodic job's marks: each message goes once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    # Turned into a request or a complaint (a complaint is a request too): the link both ways.
    ticket = models.ForeignKey(
        "tickets.Ticket",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="forum_posts",
        verbose_name=_("request"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("forum post")
        verbose_name_plural = _("forum posts")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The portal's forum of a community, newest first (visible posts).
            models.Index(fields=["community", "state", "-created_at"], name="forum_community"),
            # The company-wide forum and the desk for company roles, newest first.
            models.Index(fields=["company", "state", "-created_at"], name="forum_company"),
            # The desk of one office: its posts by state, newest first; the office filter.
            models.Index(fields=["office", "state", "-created_at"], name="forum_office"),
            # The desk's untriaged, unanswered and overdue tabs; the clock job.
            models.Index(fields=["state", "first_answer_at", "due_at"], name="forum_unanswered"),
            models.Index(fields=["state", "triaged_at"], name="forum_untriaged"),
            # The rate limit and the customer's own posts (history, "mine").
            models.Index(fields=["author", "-created_at"], name="forum_author"),
            # The measures per department.
            models.Index(fields=["department", "published_at"], name="forum_department"),
            # The desk's topic filter.
            models.Index(fields=["topic", "-created_at"], name="forum_topic"),
            # The desk's search by title prefix.
            models.Index(fields=["title"], name="forum_title", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="forum_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(kind="discussion") | Q(rating__isnull=False),
                name="forum_review_rated",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.first_answer_at is not None


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="forum/%Y/%m/")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]


class Reply(TimeStampedModel):
    """A customer's reply, or staff's official reply (marked as such in public)."""

    post = models.ForeignKey(Post, models.CASCADE, related_name="replies")
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, null=True, blank=True, related_name="forum_replies"
    )
    staff = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    official = models.BooleanField(_("official reply"), default=False)
    # The office and department that answered officially, as the public reads it.
    office = models.ForeignKey(
        "org.Office", models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE
    )
    held_for = models.CharField(_("held for"), max_length=TEXT_LINE, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=TEXT_NOTE, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("forum reply")
        verbose_name_plural = _("forum replies")
        ordering = ["post", "created_at", "pk"]
        indexes = [
            # A post's thread in order.
            models.Index(fields=["post", "created_at"], name="forum_reply_thread"),
            # The rate limit on a customer's replies.
            models.Index(fields=["customer", "-created_at"], name="forum_reply_customer"),
            # The desk's held-for-review list.
            models.Index(fields=["state", "-created_at"], name="forum_reply_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer__isnull=False, staff__isnull=True, official=False)
                | Q(customer__isnull=True, staff__isnull=False),
                name="forum_reply_one_author",
            ),
        ]

    def __str__(self):
        return f"{self.post_id}/{self.pk}"


class Route(models.Model):
    """One routing of a post: where it was sent, by whom, why. The first is the triage."""

    post = models.ForeignKey(Post, models.CASCADE, related_name="routes")
    office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "org.Department", models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_office = models.ForeignKey("org.Office", models.PROTECT, related_name="+")
    from_department = models.ForeignKey(
        "org.Department", models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=TEXT_NOTE, blank=True)
    actor = models.ForeignKey("org.User", models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["post", "at", "pk"]
        indexes = [models.Index(fields=["post", "at"], name="forum_route_post")]


class AbuseReport(models.Model):
    """A customer says a post or a reply is abusive; a moderator settles it, by moderating what
    was reported (approving or hiding it settles its open reports) or by dismissing the report,
    which leaves the post or reply as it is."""

    post = models.ForeignKey(Post, models.CASCADE, related_name="reports")
    reply = models.ForeignKey(Reply, models.CASCADE, null=True, blank=True, related_name="reports")
    customer = models.ForeignKey("customers.Customer", models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=TEXT_NOTE)
    at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        "org.User", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Settled by a moderator's dismissal (the report was unfounded), not by moderating.
    dismissed = models.BooleanField(_("dismissed"), default=False)
    dismissed_note = models.CharField(_("why dismissed"), max_length=TEXT_NOTE, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The desk's open reports.
            models.Index(fields=["settled_at", "-at"], name="forum_report_open"),
        ]
        constraints = [
            # One report per customer and post or reply: reporting twice changes nothing.
            models.UniqueConstraint(
                fields=["post", "customer"],
                condition=Q(reply__isnull=True),
                name="forum_report_post_once",
            ),
            models.UniqueConstraint(
                fields=["reply", "customer"],
                condition=Q(reply__isnull=False),
                name="forum_report_reply_once",
            ),
        ]


class SensitiveWord(models.Model):
    """A word that holds a post or reply for review (the company's list, kept by Quality)."""

    word = models.CharField(_("word"), max_length=50, unique=True)
    added_by = models.ForeignKey("org.User", models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]

    def __str__(self):
        return self.word


class PostEvent(models.Model):
    """A post's timeline: what happened, when, by whom (staff or the customer)."""

    class Kind(models.TextChoices):
        POSTED = "posted", pgettext_lazy("forum", "Posted")
        HELD = "held", _("Held for review")
        APPROVED = "approved", _("Approved")
        HIDDEN = "hidden", _("Hidden")
        ROUTED = "routed", _("Routed")
        REROUTED = "rerouted", _("Routed elsewhere")
        REPLIED = "replied", _("Replied")
        ANSWERED = "answered", _("Official reply")
        REPORTED = "reported", _("Reported as abusive")
        DISMISSED = "dismissed", _("Abuse report dismissed")
        CONVERTED = "converted", _("Turned into a request")
        REMINDED = "reminded", _("Reminder: the answer is due soon")
        LATE = "late", _("Answer overdue")

    post = models.ForeignKey(Post, models.CASCADE, related_name="events")
    reply = models.ForeignKey(Reply, models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey("org.User", models.PROTECT, null=True, blank=True, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["post", "-at", "-pk"]
        indexes = [models.Index(fields=["post", "-at"], name="forum_event_timeline")]

    def __str__(self):
        return f"{self.post_id} {self.kind}"
