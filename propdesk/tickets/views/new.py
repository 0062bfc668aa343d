"""A new request: finding the customer, then receiving their request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.permissions import allowed
from propdesk.core.scoping import get_scoped
from propdesk.core.views import get_or_404
from propdesk.customers.models import Customer
from propdesk.customers.selectors import customer_list

from .. import forms, services

CUSTOMER_SEARCH_LIMIT = 20


def _customer_search(user, text: str):
    """Customers the user may see, by phone number, the start of the name, or address."""
    if not text.strip():
        return []
    return list(customer_list(user, text)[:CUSTOMER_SEARCH_LIMIT])


@login_required
def ticket_customer_search(request):
    q = request.GET.get("q", "")
    context = {"customers": _customer_search(request.user, q), "q": q.strip()}
    return render(request, "tickets/partials/customer_results.html", context)


@login_required
def ticket_new(request):
    if not allowed(request.user, "ticket.create"):
        # A technician reports through the service center; say so rather than show a form.
        message = _("Your role may not do this.")
        return render(request, "console/denied.html", {"message": message}, status=403)
    customer_id = request.POST.get("customer") or request.GET.get("customer")
    if not customer_id:
        q = request.GET.get("q", "")
        context = {"customers": _customer_search(request.user, q), "q": q.strip()}
        return render(request, "tickets/new.html", context)
    customer = get_or_404(get_scoped, Customer.objects.all(), request.user, pk=customer_id)
    form = forms.TicketCreateForm(
        request.POST or None,
        user=request.user,
        customer=customer,
        initial={"item": request.GET.get("item")},  # "Offer" links on the customer page
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    actor=request.user,
                    customer=data["customer"],
                    household=data["household"],
                    kind=data["kind"],
                    channel=data["channel"],
                    item=data["item"],
                    description=data["description"],
                    requested_deadline=data["requested_deadline"],
                    priority=data["priority"],
                    idempotency_key=data["idempotency_key"] or None,
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(
                    request, _("Request %(number)s received.") % {"number": ticket.number}
                )
                return redirect("console:ticket_detail", pk=ticket.pk)
        else:
            status = 400
    context = {"form": form, "customer": customer}
    return render(request, "tickets/new.html", context, status=status)
