from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.permissions import allowed
from propdesk.org.models import Role
from propdesk.tickets import selectors

LIMIT = 20


@login_required
def home(request):
    """My work: what is late, what is due soon, and what waits on whom."""
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
    }
    return render(request, "console/home.html", context)
