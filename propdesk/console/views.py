from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.board import selectors as board_selectors
from propdesk.core.errors import DomainError
from propdesk.core.inbox import inbox_for_user, inbox_mark_read, unread_count
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.org.models import Role
from propdesk.tickets import selectors

LIMIT = 20
FIND_LIMIT = 20
FIND_MAX_LENGTH = 60


# Who sees the compliance board above their work when they sign in (M25): the office's board
# for its director, the company's for quality and leadership. Agents, technicians and the
# follow-up specialists keep their work alone: their day is the queue, not the figures.
BOARD_ON_HOME = {Role.DIRECTOR: False, Role.QUALITY: True, Role.LEADERSHIP: True}


def _board_summary(user, now):
    company = BOARD_ON_HOME.get(user.role)
    if company is None or (not company and not user.office_id):
        return None
    try:
        return board_selectors.summary(user, now=now, company=company)
    except DomainError:  # a role the board refuses: no summary, the work as before
        return None


@login_required
def home(request):
    """My work: what is late, what is due soon, and what waits on whom; for a director, and
    for quality and leadership, this week's compliance board above it (M25)."""
    now = timezone.now()
    work = selectors.my_work(request.user, now=now, limit=LIMIT)
    is_technician = request.user.role == Role.TECHNICIAN
    for ticket in [
        *work.overdue,
        *work.due_soon,
        *work.to_confirm,
        *work.awaiting_acceptance,
        *work.to_dispatch,
        *work.assigned,
    ]:
        ticket.overdue_now = ticket.is_overdue(now)
    sections = [
        {"key": "overdue", "title": _("Overdue"), "tone": "red", "tickets": work.overdue},
        {
            "key": "due_soon",
            "title": _("Due within 2 hours"),
            "tone": "amber",
            "tickets": work.due_soon,
        },
        {"key": "to_confirm", "title": _("To confirm"), "tone": "", "tickets": work.to_confirm},
        {
            "key": "awaiting_acceptance",
            "title": _("Awaiting the customer's fee acceptance"),
            "tone": "",
            "tickets": work.awaiting_acceptance,
        },
        {"key": "to_dispatch", "title": _("To dispatch"), "tone": "", "tickets": work.to_dispatch},
    ]
    context = {
        "now": now,
        "limit": LIMIT,
        "is_technician": is_technician,
        "work": work,
        "sections": sections,
        "can_create": allowed(request.user, "ticket.create"),
        "board": _board_summary(request.user, now),
    }
    return render(request, "console/home.html", context)


@login_required
def inbox(request):
    """The staff member's in-app messages, newest first; unread ones are marked new."""
    page = CappedPaginator(inbox_for_user(request.user), 50).get_page(request.GET.get("page"))
    unread = {m.pk for m in page if m.read_at is None}
    if request.method == "POST":
        inbox_mark_read(user=request.user)
        return redirect("console:inbox")
    return render(request, "console/inbox.html", {"page": page, "unread": unread})


@login_required
def inbox_badge(request):
    """The bell's count, fetched by HTMX so that pages themselves run no extra query."""
    return render(
        request, "console/partials/inbox_badge.html", {"count": unread_count(request.user)}
    )


def _open_url(user, ticket) -> str:
    """A request's page for this person: a technician's own work order, else the request."""
    if user.role == Role.TECHNICIAN and ticket.assignee_id == user.pk:
        return reverse("console:workorder", args=[ticket.pk])
    return reverse("console:ticket_detail", args=[ticket.pk])


@login_required
def find(request):
    """Find a request by its number (typed, or read from the label by a scanner that types), or
    by the customer's name, phone or address: one exact number opens it at once."""
    text = (request.GET.get("q") or "").strip()
    results, status, error = [], 200, ""
    if len(text) > FIND_MAX_LENGTH:
        status, error = 400, _("Type at most %(n)d characters.") % {"n": FIND_MAX_LENGTH}
    elif text:
        filters = selectors.TicketFilters(q=text)
        qs = selectors.ticket_list(request.user, filters, now=timezone.now())
        results = list(qs[:FIND_LIMIT])
        exact = [t for t in results if t.number == text]
        if len(exact) == 1:
            return redirect(_open_url(request.user, exact[0]))
        for ticket in results:
            ticket.url = _open_url(request.user, ticket)
    context = {"q": text, "results": results, "error": error, "limit": FIND_LIMIT}
    return render(request, "console/find.html", context, status=status)


@login_required
def me(request):
    """The signed-in person: who and where they are, their language, signing out."""
    return render(request, "console/me.html")
