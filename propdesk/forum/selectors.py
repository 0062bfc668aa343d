"""Every read of the forum: for staff through office scoping (the office a post is with), for
customers through where they live (the forums of their communities and the company-wide one)."""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.core.scoping import scope_for
from propdesk.org.models import Department, Office
from propdesk.tickets.models import Status, Ticket

from .models import AbuseReport, Post, PostEvent, Reply, Route, SensitiveWord, Visibility
from .services import communities_of, may_read

V = Visibility

# The desk's views.
UNTRIAGED, UNANSWERED, OVERDUE, HELD, REPORTED, ALL = (
    "untriaged",
    "unanswered",
    "overdue",
    "held",
    "reported",
    "all",
)


@dataclass
class PostFilters:
    view: str = ""
    office: int | None = None
    community: int | None = None
    topic: str = ""
    kind: str = ""
    state: str = ""
    q: str = ""


def _with_counts(qs: QuerySet) -> QuerySet:
    """Each post with its visible replies and open reports counted in the same query."""
    replies = (
        Reply.objects.filter(post=OuterRef("pk"), state=V.VISIBLE)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reports = (
        AbuseReport.objects.filter(post=OuterRef("pk"), settled_at__isnull=True)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        reply_count=Coalesce(Subquery(replies), 0), open_reports=Coalesce(Subquery(reports), 0)
    )


def posts_for_user(user, filters: PostFilters | None = None, *, now=None) -> QuerySet:
    """The desk: the posts with the offices the user may see, newest first; the views
    untriaged, unanswered and overdue are the work to do, held and reported the moderator's."""
    filters = filters or PostFilters()
    now = now or timezone.now()
    qs = scope_for(Post.objects.all(), user)
    view = filters.view
    if view == UNTRIAGED:  # index forum_untriaged
        qs = qs.filter(state__in=[V.VISIBLE, V.HELD], triaged_at__isnull=True)
    elif view == UNANSWERED:  # index forum_unanswered
        qs = qs.filter(state=V.VISIBLE, first_answer_at__isnull=True)
    elif view == OVERDUE:  # index forum_unanswered
        qs = qs.filter(state=V.VISIBLE, first_answer_at__isnull=True, due_at__lt=now)
    elif view == HELD:  # index forum_office / forum_company on state
        qs = qs.filter(Q(state=V.HELD) | Q(replies__state=V.HELD)).distinct()
    elif view == REPORTED:  # index forum_report_open
        qs = qs.filter(
            Exists(AbuseReport.objects.filter(post=OuterRef("pk"), settled_at__isnull=True))
        )
    if filters.state:  # index forum_office
        qs = qs.filter(state=filters.state)
    if filters.office:  # index forum_office
        qs = qs.filter(office_id=filters.office)
    if filters.community:  # index forum_community
        qs = qs.filter(community_id=filters.community)
    if filters.topic:  # index forum_topic
        qs = qs.filter(topic=filters.topic)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:  # index forum_title (prefix)
        qs = qs.filter(title__startswith=filters.q.strip())
    order = ["due_at", "pk"] if view in (UNANSWERED, OVERDUE) else ["-created_at", "-pk"]
    return _with_counts(qs.select_related("office", "community", "department", "author")).order_by(
        *order
    )


def post_get(user, pk) -> Post:
    """One post the user may see, or NotFound (another office's is never found)."""
    try:
        return (
            _with_counts(scope_for(Post.objects.all(), user))
            .select_related(
                "office", "community", "department", "author", "item", "reviewed_ticket", "ticket"
            )
            .get(pk=pk)
        )
    except (Post.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def reply_get(post: Post, pk) -> Reply:
    try:
        return post.replies.get(pk=pk)
    except (Reply.DoesNotExist, ValueError, TypeError):
        raise NotFound(field="reply") from None


def thread(post: Post, *, customer=None, staff: bool = False) -> QuerySet:
    """A post's replies in order: staff read every one with its state; the public the visible
    ones, and a customer their own held ones too."""
    qs = post.replies.select_related("customer", "staff", "office", "department")
    if staff:
        return qs
    visible = Q(state=V.VISIBLE)
    if customer is not None:
        visible |= Q(customer=customer, state=V.HELD)
    return qs.filter(visible)


def timeline(post: Post) -> QuerySet:
    return post.events.select_related("actor", "customer")


def routes(post: Post) -> QuerySet:
    return Route.objects.filter(post=post).select_related(
        "office", "department", "from_office", "from_department", "actor"
    )


def reports_for(post: Post) -> QuerySet:
    return post.reports.select_related("customer", "reply", "settled_by")


def report_get(post: Post, pk) -> AbuseReport:
    """One report of the post (the post already read within the user's offices)."""
    try:
        return post.reports.get(pk=pk)
    except (AbuseReport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(field="report") from None


def ticket_timeline(post: Post, *, customer_view: bool) -> list:
    """The request made from the post: its timeline, which the post's page shows (the two share
    their history); a customer reads what the request shows them."""
    if not post.ticket_id:
        return []
    events = post.ticket.events.select_related("actor").order_by("at", "pk")
    if customer_view:
        events = events.filter(customer_visible=True)
    return list(events)


def departments_for(post: Post) -> QuerySet:
    """Where a post may be routed: the company's departments and those of its offices."""
    return Department.objects.filter(company_id=post.company_id).select_related("office")


def offices_for(post: Post) -> QuerySet:
    return Office.objects.filter(company_id=post.company_id)


def words() -> QuerySet:
    return SensitiveWord.objects.select_related("added_by")


# --- customers ----------------------------------------------------------------------------------


def posts_for_customer(customer, *, community=None, topic: str = "") -> QuerySet:
    """One forum as the customer reads it: a community of theirs (``community``) or the
    company-wide one (None); the visible posts and their own held ones, newest first."""
    qs = Post.objects.filter(company_id=customer.office.company_id)
    # index forum_company for the company-wide forum, forum_community for a community's
    where = {"community__isnull": True} if community is None else {"community": community}
    qs = qs.filter(**where)
    qs = qs.filter(Q(state=V.VISIBLE) | Q(author=customer, state=V.HELD))
    if topic:
        qs = qs.filter(topic=topic)
    return _with_counts(qs.select_related("community", "author")).order_by("-created_at", "-pk")


def community_for_customer(customer, pk):
    """One of the customer's communities, or NotFound: another community's forum is not theirs."""
    try:
        return communities_of(customer).get(pk=pk)
    except (ValueError, TypeError, communities_of(customer).model.DoesNotExist):
        raise NotFound(field="community") from None


def post_for_customer(customer, pk) -> Post:
    """A post the customer may read (their own, hidden, too: they are told why), or NotFound."""
    try:
        post = (
            _with_counts(Post.objects.all())
            .select_related("community", "author", "item", "reviewed_ticket", "office", "ticket")
            .get(pk=pk)
        )
    except (Post.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not may_read(customer, post):
        raise NotFound()
    return post


def posts_of_customer(customer) -> QuerySet:
    """The customer's own posts, newest first (index forum_author)."""
    return _with_counts(Post.objects.filter(author=customer).select_related("community")).order_by(
        "-created_at", "-pk"
    )


def reviewable_tickets(customer) -> QuerySet:
    """The customer's completed requests, which they may review in public."""
    return Ticket.objects.filter(
        customer=customer, status__in=[Status.COMPLETED, Status.CLOSED]
    ).order_by("-pk")


# --- the response measures (M21, for the compliance board) -------------------------------------


@dataclass
class Measure:
    """One office's or department's (or the company's) response numbers over a period."""

    key: object
    posts: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    median_triage_hours: float | None = None
    median_answer_hours: float | None = None

    @property
    def share_on_time(self) -> float | None:
        """On time among those decided (answered, or unanswered past the target)."""
        decided = self.on_time + self.late
        return round(self.on_time / decided, 4) if decided else None

    @property
    def is_green(self) -> bool | None:
        share = self.share_on_time
        return None if share is None else share >= 1.0 - 1e-9


def _hours(start, end) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 3600, 2)


def _measure(key, rows, now) -> Measure:
    m = Measure(key=key, posts=len(rows))
    triage, answer = [], []
    for row in rows:
        if (h := _hours(row["published_at"], row["triaged_at"])) is not None:
            triage.append(h)
        if row["first_answer_at"] is not None:
            m.answered += 1
            answer.append(_hours(row["published_at"], row["first_answer_at"]))
            if row["first_answer_at"] <= row["due_at"]:
                m.on_time += 1
            else:
                m.late += 1
        elif row["due_at"] < now:
            m.late += 1
    m.median_triage_hours = round(statistics.median(triage), 2) if triage else None
    m.median_answer_hours = round(statistics.median(answer), 2) if answer else None
    return m


def response_measures(user, *, since: dt.datetime, until: dt.datetime, now=None) -> dict:
    """Time to triage and to the first official reply, median and share on time, per office and
    per department, for the posts published in [since, until) that the user may see. A post
    counts for the office and department that answered it, else the one it is with now."""
    now = now or timezone.now()
    rows = list(
        scope_for(Post.objects.all(), user)
        .filter(published_at__gte=since, published_at__lt=until, due_at__isnull=False)
        .values(
            "office_id",
            "department_id",
            "answered_office_id",
            "answered_department_id",
            "published_at",
            "triaged_at",
            "first_answer_at",
            "due_at",
        )
    )
    by_office: dict = {}
    by_department: dict = {}
    for row in rows:
        office = row["answered_office_id"] or row["office_id"]
        department = (
            row["answered_department_id"] if row["first_answer_at"] else row["department_id"]
        )
        by_office.setdefault(office, []).append(row)
        if department:
            by_department.setdefault(department, []).append(row)
    offices = Office.objects.in_bulk(list(by_office))
    departments = Department.objects.in_bulk(list(by_department))
    return {
        "company": _measure(None, rows, now),
        "offices": sorted(
            (_measure(offices[k], v, now) for k, v in by_office.items()), key=lambda m: m.key.code
        ),
        "departments": sorted(
            (_measure(departments[k], v, now) for k, v in by_department.items()),
            key=lambda m: m.key.name,
        ),
    }


def timeline_kinds() -> dict:
    return dict(PostEvent.Kind.choices)


def posts_by_customer(user, customer, *, limit: int = 10) -> list:
    """The customer's latest posts that ``user`` may see, for the customer's history (M12)."""
    qs = scope_for(Post.objects.filter(author=customer), user)  # index forum_author
    return list(qs.select_related("community").order_by("-created_at", "-pk")[:limit])
