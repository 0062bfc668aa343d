"""The resident portal's pages about requests: the front page, leading with what waits for the
customer, their requests as cards, a new request, one request with the customer's own steps in
it (answering a fee or a deadline, rating the work in stars). Signing in and the customer's own
settings are ``portal``'s pages."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.catalog.selectors import items_for_office
from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.media import serve_file
from propdesk.core.views import get_or_404
from propdesk.portal.auth import portal_login_required
from propdesk.portal.selectors import current_household, households_of
from propdesk.portal.todos import todos_for

from . import portal_selectors, selectors
from . import services as tickets
from .lifecycle import TRANSITIONS
from .models import Channel, Kind
from .opportunities import customer_opportunities
from .portal_forms import RatingForm, RequestForm

PORTAL_SUGGESTIONS = 3


HOME_REQUESTS = 5


@portal_login_required
def home(request):
    """The portal's front page: what waits for the customer's answer first (a fee, a new
    deadline, work to confirm, a survey), then the unit's latest requests as cards."""
    account = request.portal_account
    household = current_household(request, account)
    todos = todos_for(account.customer)
    context = {
        "customer": account.customer,
        "households": list(households_of(account)),
        "household": household,
        "todos": todos,
        "portal_todo_count": len(todos),
        "requests": portal_selectors.request_cards(
            account.customer, household, limit=HOME_REQUESTS
        ),
        # M24: paid services the household has not used yet, what the neighbours use first.
        "suggestions": customer_opportunities(account.customer, limit=PORTAL_SUGGESTIONS),
    }
    return render(request, "tickets/portal_home.html", context)


@portal_login_required
def request_list(request):
    """The customer's requests (complaints too) as cards, of the unit they look at."""
    account = request.portal_account
    household = current_household(request, account)
    context = {
        "household": household,
        "requests": portal_selectors.request_cards(account.customer, household, limit=50),
    }
    return render(request, "tickets/portal_list.html", context)


@portal_login_required
def request_detail(request, pk, *, error=None, status=200, rating_form=None):
    ticket = get_or_404(selectors.request_of, request.portal_account.customer, pk)
    if ticket.kind == Kind.COMPLAINT:  # a complaint has a page of its own
        return redirect("portal:complaint", pk=ticket.complaint.pk)
    can_confirm = ticket.status in TRANSITIONS["close"].sources
    context = {
        "ticket": ticket,
        "title": portal_selectors.request_title(ticket),
        "status_words": portal_selectors.status_words(ticket),
        "technician": portal_selectors.technician_name(ticket),
        "work_photos": portal_selectors.work_photos(ticket),
        "completion_photos": portal_selectors.completion_photos(ticket),
        "rating_form": rating_form or (RatingForm() if can_confirm else None),
        "timeline": selectors.customer_timeline(ticket),
        "photos": list(ticket.photos.all()),
        "reworks": list(ticket.reworks.all()),
        "quote": selectors.pending_quote(ticket),
        "proposal": selectors.pending_proposal(ticket, timezone.now()),
        # The lifecycle decides: cancelling until a technician is on the way, confirming once done.
        "can_cancel": ticket.status in TRANSITIONS["cancel"].sources,
        "can_confirm": can_confirm,
        # M15: "The problem came back", within 90 days of the closing.
        "can_rework": tickets.customer_may_rework(ticket, timezone.now()),
        "rework_days": tickets.PORTAL_REWORK_DAYS,
        "error": error,
    }
    return render(request, "tickets/portal_detail.html", context, status=status)


@require_POST
@portal_login_required
def request_act(request, pk, action):
    """The customer's own steps: answer the fee or a new deadline, confirm and rate, cancel
    before dispatch, ask for rework when the problem came back."""
    ticket = get_or_404(selectors.request_of, request.portal_account.customer, pk)
    if ticket.kind == Kind.COMPLAINT:
        return redirect("portal:complaint", pk=ticket.complaint.pk)
    customer = request.portal_account.customer
    post = request.POST
    try:
        if action == "quote":
            quote = selectors.pending_quote(ticket)
            if quote is None:
                raise DomainError(_("There is no fee waiting for your answer."), code="no_quote")
            tickets.quote_answer_by_customer(
                customer=customer, quote=quote, accepted=post.get("answer") == "accept"
            )
        elif action == "extension":
            proposal = selectors.pending_proposal(ticket, timezone.now())
            if proposal is None:
                raise DomainError(
                    _("There is no new deadline waiting for your answer."), code="no_proposal"
                )
            tickets.extension_answer_by_customer(
                customer=customer,
                proposal=proposal,
                agreed=post.get("answer") == "agree",
                comment=post.get("comment", ""),
            )
        elif action == "confirm":
            form = RatingForm(post)
            if not form.is_valid():
                return request_detail.__wrapped__(request, pk, status=400, rating_form=form)
            try:
                tickets.ticket_customer_confirm(
                    ticket=ticket,
                    stars=form.cleaned_data["stars"],
                    reasons=form.cleaned_data["reasons"],
                    comment=form.cleaned_data["comment"],
                    channel=Channel.PORTAL,
                )
            except DomainError as err:
                status = show_error(form, err)
                return request_detail.__wrapped__(request, pk, status=status, rating_form=form)
        elif action == "cancel":
            tickets.ticket_cancel(actor=None, ticket=ticket, reason=post.get("reason", ""))
        elif action == "rework":
            rework = tickets.rework_open_by_customer(
                customer=customer, original=ticket, complaint=post.get("complaint", "")
            )
            messages.success(
                request,
                _("We are sorry. Rework %(number)s is opened and will be done by %(due)s.")
                % {
                    "number": rework.number,
                    "due": timezone.localtime(rework.due_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("portal:request", pk=rework.pk)
        else:
            raise Http404
    except DomainError as err:
        return request_detail.__wrapped__(request, pk, error=err.message, status=err.status)
    messages.success(request, _("Thank you: your answer is recorded."))
    return redirect("portal:request", pk=pk)


@portal_login_required
def request_new(request):
    account = request.portal_account
    household = current_household(request, account)
    items = items_for_office(account.customer.office_id).filter(in_scope=True)
    offered = request.GET.get("item")  # a suggestion on the front page
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        items=items,
        initial={"item": offered, "kind": Kind.SERVICE} if offered else None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            item = d["item"]
            try:
                ticket = tickets.ticket_create_by_customer(
                    customer=account.customer,
                    household=household,
                    kind=d["kind"] or None,
                    item=item,
                    description=d["description"],
                    requested_deadline=d["requested_deadline"],
                    photos=d["photos"],
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(
                    request, _("Request %(number)s received.") % {"number": ticket.number}
                )
                return redirect("portal:request", pk=ticket.pk)
    context = {"form": form, "household": household}
    return render(request, "tickets/portal_new.html", context, status=status)


@portal_login_required
def request_photo(request, pk, photo_pk):
    """A photo the customer filed with their own request; anyone else's is not there."""
    ticket = get_or_404(selectors.request_of, request.portal_account.customer, pk)
    photo = ticket.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return serve_file(photo.image.name)


@portal_login_required
def request_work_photo(request, pk, step_pk):
    """A photo the technician took of the work on the customer's own request."""
    ticket = get_or_404(selectors.request_of, request.portal_account.customer, pk)
    step = portal_selectors.work_photo(ticket, step_pk)
    if step is None:
        raise Http404
    return serve_file(step.photo.name)


@portal_login_required
def request_completion_photo(request, pk, photo_pk):
    """A photo of the finished work the technician sent with the completion of the customer's
    own request."""
    ticket = get_or_404(selectors.request_of, request.portal_account.customer, pk)
    photo = portal_selectors.completion_photo(ticket, photo_pk)
    if photo is None:
        raise Http404
    return serve_file(photo.image.name)
