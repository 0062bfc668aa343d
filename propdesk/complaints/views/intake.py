"""Intake (M17): finding the customer, then filing their complaint on the channel it came by."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from propdesk.core.errors import DomainError
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404
from propdesk.customers.selectors import customer_get, customer_list
from propdesk.tickets.models import Channel

from .. import forms
from ..services import intake
from ._common import Owner, _after_change, _denied, _form_error

CUSTOMER_SEARCH_LIMIT = 20


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    user = request.user
    if not allowed(user, "complaint.file"):
        return _denied(request)
    customer_id = request.POST.get("customer") or request.GET.get("customer")
    if not customer_id:
        q = request.GET.get("q", "").strip()
        customers = list(customer_list(user, q)[:CUSTOMER_SEARCH_LIMIT]) if q else []
        return render(request, "complaints/new.html", {"customers": customers, "q": q})
    customer = get_or_404(customer_get, user, customer_id)
    # From a follow-up call or another page: the channel it came by (M17).
    channel = request.GET.get("channel", "")
    initial = {"channel": channel} if channel in Channel.values and channel != "portal" else {}
    form = forms.ComplaintForm(request.POST or None, user=user, customer=customer, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                complaint = intake.complaint_file(actor=user, **form.service_kwargs())
            except DomainError as err:
                status = _form_error(form, err)
            else:
                messages.success(
                    request,
                    _("Complaint %(number)s received.") % {"number": complaint.ticket.number},
                )
                if complaint.owner != Owner.SERVICE_CENTER:
                    messages.info(
                        request,
                        _("It is handled by %(owner)s.") % {"owner": Owner(complaint.owner).label},
                    )
                return _after_change(request, complaint)
    context = {"form": form, "customer": customer, "live_help": forms.live_help()}
    return render(request, "complaints/new.html", context, status=status)
