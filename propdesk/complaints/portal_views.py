"""The resident portal's complaints (M17, M19, M23): the customer's own complaints, filing one in
their own words, and following it to the answer.

The customer reads what was said to them and the steps of its handling, never the staff's notes
(an escalation's reason, the company's plan): the timeline is the request's customer-visible
one, with only the notes a customer may read (tickets.events.customer_note). A complaint that is
not theirs is not found, like any record that is not theirs.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.core.views import get_or_404
from propdesk.org.models import HotlineLine
from propdesk.portal import selectors as portal_selectors
from propdesk.portal.auth import portal_login_required
from propdesk.tickets import selectors as ticket_selectors

from . import selectors
from .models import Complaint
from .portal_forms import ComplaintForm
from .services import intake

State = Complaint.State
# The state in the customer's words: "resolved" means we still owe them the answer.
PLAIN_STATES = {
    State.RECEIVED: _("Received"),
    State.IN_PROGRESS: _("Being handled"),
    State.RESOLVED: _("Resolved — we will contact you"),
    State.ANSWERED: _("Answered"),
    State.CLOSED: _("Closed"),
}
SOLVED = (State.RESOLVED, State.ANSWERED, State.CLOSED)


def _lines(customer) -> dict:
    """The office's complaint line and the company's, for a customer who would rather call
    (M17: the company and every office have a dedicated complaint line)."""
    line = (
        HotlineLine.objects.filter(office_id=customer.office_id, kind=HotlineLine.Kind.COMPLAINT)
        .select_related("office__company")
        .first()
    )
    company = line.office.company if line else customer.office.company
    return {"line": line, "company": company}


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


@portal_login_required
def complaint_list(request):
    customer = request.portal_account.customer
    page = CappedPaginator(selectors.complaints_of_customer(customer), 20).get_page(
        request.GET.get("page")
    )
    for complaint in page:
        complaint.plain_state = PLAIN_STATES[complaint.state]
    context = {"page": page, **_lines(customer)}
    return render(request, "complaints/portal_list.html", context)


@portal_login_required
def complaint_new(request):
    account = request.portal_account
    households = portal_selectors.households_of(account)
    form = ComplaintForm(
        request.POST or None,
        request.FILES or None,
        households=households,
        initial={"household": portal_selectors.current_household(request, account)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                complaint = intake.complaint_file_by_customer(
                    customer=account.customer,
                    account=d["account"],
                    category=d["category"],
                    household=d.get("household"),
                    involves_compensation=d["involves_compensation"],
                    compensation_claimed=d["compensation_claimed"] or None,
                    requested_deadline=d["requested_deadline"],
                    photos=d["photos"],
                    idempotency_key=d["idempotency_key"] or None,
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(
                    request,
                    _("Received: we will respond by %(due)s.")
                    % {"due": _when(complaint.first_response_due_at)},
                )
                return redirect("portal:complaint", pk=complaint.pk)
    context = {"form": form, **_lines(account.customer)}
    return render(request, "complaints/portal_new.html", context, status=status)


@portal_login_required
def complaint_detail(request, pk):
    customer = request.portal_account.customer
    complaint = get_or_404(selectors.complaint_of_customer, customer, pk)
    ticket = complaint.ticket
    answered = complaint.state in (State.ANSWERED, State.CLOSED)
    context = {
        "complaint": complaint,
        "ticket": ticket,
        "plain_state": PLAIN_STATES[complaint.state],
        "waiting": complaint.state == State.RECEIVED,
        "open": complaint.is_open,
        # A reopened complaint keeps its old resolution: it is not the outcome any more.
        "solved": complaint.state in SOLVED,
        "answer": complaint.answer_contact if answered else None,
        "timeline": ticket_selectors.customer_timeline(ticket),
        "photos": list(ticket.photos.all()),
        **_lines(customer),
    }
    return render(request, "complaints/portal_detail.html", context)


@portal_login_required
def complaint_photo(request, pk, photo_pk):
    """A photo the customer filed with their own complaint; anyone else's is not there."""
    complaint = get_or_404(selectors.complaint_of_customer, request.portal_account.customer, pk)
    photo = complaint.ticket.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return serve_file(photo.image.name)
