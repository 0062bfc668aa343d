"""The portal's committee pages (M22), for the members and representatives of an office's
owners' committee: its meetings (agenda, minutes, what each opinion led to) and its improvement
actions with their progress. Plain HTML, no JavaScript, phone-sized. A customer with no seat is
told so (403); a meeting or an action of a committee they do not sit on is not found (404)."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404
from propdesk.portal.auth import portal_login_required

from . import selectors
from .models import Action

NOT_A_MEMBER = _(
    "These pages are for the members of the owners' committee and the customer representatives. "
    "If you should be one, please call the management office."
)


def _refuse(request):
    return render(request, "committee/portal_refused.html", {"message": NOT_A_MEMBER}, status=403)


@portal_login_required
def committee_home(request):
    customer = request.portal_account.customer
    seats = list(selectors.seats_of_customer(customer))
    if not seats:
        return _refuse(request)
    meetings = CappedPaginator(selectors.customer_meetings(customer), 12).get_page(
        request.GET.get("page")
    )
    actions = CappedPaginator(selectors.customer_actions(customer), 20).get_page(
        request.GET.get("actions")
    )
    return render(
        request,
        "committee/portal_home.html",
        {"seats": seats, "meetings": meetings, "actions": actions, "Open": Action.State.OPEN},
    )


@portal_login_required
def committee_meeting(request, pk):
    customer = request.portal_account.customer
    if not selectors.seats_of_customer(customer).exists():
        return _refuse(request)
    meeting = get_or_404(selectors.customer_meeting, customer, pk)
    return render(
        request,
        "committee/portal_meeting.html",
        {"meeting": meeting, "items": selectors.items_of(meeting)},
    )


@portal_login_required
def committee_action(request, pk):
    customer = request.portal_account.customer
    if not selectors.seats_of_customer(customer).exists():
        return _refuse(request)
    action = get_or_404(selectors.customer_action, customer, pk)
    return render(
        request,
        "committee/portal_action.html",
        {"action": action, "updates": action.updates.order_by("-at", "-pk")},
    )
