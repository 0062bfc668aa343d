"""Console pages for the customer's and household's history from every channel (M01, M12).

The customer page ("360° view") and the household page with their contacts sections, and what
is done on the customer page: recording a contact, adding or removing a phone number, linking
another unit. Those re-render the page on a form error, so they live with it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.forms import show_error
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404
from propdesk.customers import selectors as customer_selectors
from propdesk.customers import services as customer_services
from propdesk.customers.badges import attach_badges
from propdesk.customers.forms import LinkHouseholdForm, PhoneForm
from propdesk.forum import selectors as forum_selectors
from propdesk.tickets.opportunities import customer_opportunities
from propdesk.tickets.services import contact_record

from . import selectors
from .forms import ContactFilterForm, ContactForm

CONTACTS_PAGE_SIZE = 50


def _contact_filters(request) -> tuple[ContactFilterForm, selectors.ContactFilters]:
    form = ContactFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ContactFilters(
        channel=data.get("channel", ""),
        direction=data.get("direction", ""),
        stage=data.get("stage", ""),
    )


def _contacts_context(request, history, url) -> dict:
    filter_form, _filters = _contact_filters(request)
    return {
        "contacts_page": Paginator(history.contacts, CONTACTS_PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "filter_form": filter_form,
        "contacts_url": url,
    }


# --- the customer's 360° page -----------------------------------------------------------------


def _customer_page(
    request,
    customer,
    *,
    contact_form=None,
    phone_form=None,
    link_form=None,
    error=None,
    status=200,
):
    _form, filters = _contact_filters(request)
    history = selectors.customer_history(customer, filters=filters, user=request.user)
    households = [r.household for r in customer.residences.all()]
    user = request.user
    context = {
        "customer": customer,
        "households": households,
        "history": history,
        "can_edit": allowed(user, "customer.edit", customer),
        "can_contact": allowed(user, "contact.record", customer),
        "contact_form": contact_form or ContactForm(households=households),
        "phone_form": phone_form or PhoneForm(),
        "link_form": link_form or _link_form(request, customer),
        "error": error,
        # M12: the forum is one of the after-service channels reachable from here.
        "forum_posts": forum_selectors.posts_by_customer(user, customer),
        "new_request_url": f"{reverse('console:ticket_new')}?customer={customer.pk}",
        "all_requests_url": f"{reverse('console:ticket_list')}?customer={customer.pk}",
        # M24: the paid and special services worth offering, most relevant first.
        "opportunities": customer_opportunities(customer),
        **_contacts_context(
            request, history, reverse("console:customer_contacts", args=[customer.pk])
        ),
    }
    return render(request, "history/customer_detail.html", context, status=status)


@login_required
def customer_detail(request, pk):
    customer = get_or_404(customer_selectors.customer_get, request.user, pk)
    return _customer_page(request, customer)


@login_required
def customer_contacts(request, pk):
    """The contacts section alone, filtered and paginated (HTMX)."""
    customer = get_or_404(customer_selectors.customer_get, request.user, pk)
    _form, filters = _contact_filters(request)
    history = selectors.customer_history(customer, filters=filters, user=request.user)
    context = _contacts_context(
        request, history, reverse("console:customer_contacts", args=[customer.pk])
    )
    return render(request, "history/partials/contacts.html", context)


@login_required
@require_POST
def customer_contact_new(request, pk):
    customer = get_or_404(customer_selectors.customer_get, request.user, pk)
    households = [r.household for r in customer.residences.all()]
    form = ContactForm(request.POST, households=households)
    if form.is_valid():
        data = form.cleaned_data
        household = next((h for h in households if str(h.pk) == data["household"]), None)
        try:
            contact_record(
                actor=request.user,
                customer=customer,
                summary=data["summary"],
                channel=data["channel"],
                direction=data["direction"],
                stage=data["stage"],
                household=household,
                at=data["at"],
            )
        except DomainError as err:
            status = show_error(form, err, missing_is_bad_input=True)
            return _customer_page(request, customer, contact_form=form, status=status)
        messages.success(request, _("Contact recorded."))
        return redirect(reverse("console:customer_detail", args=[pk]) + "#contacts")
    return _customer_page(request, customer, contact_form=form, status=400)


@login_required
@require_POST
def customer_phone_add(request, pk):
    customer = get_or_404(customer_selectors.customer_get, request.user, pk)
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            customer_services.customer_add_phone(
                actor=request.user,
                customer=customer,
                number=form.cleaned_data["number"],
                label=form.cleaned_data["label"],
                is_primary=form.cleaned_data["is_primary"],
            )
        except DomainError as err:
            form.add_error("number" if err.field == "phone" else None, err.message)
            status = 400 if isinstance(err, NotFound) else err.status  # not there: bad input
            return _customer_page(request, customer, phone_form=form, status=status)
        messages.success(request, _("Phone number added."))
        return redirect("console:customer_detail", pk=pk)
    return _customer_page(request, customer, phone_form=form, status=400)


def _link_form(request, customer, data=None):
    communities = customer_selectors.communities_for(request.user).filter(
        office_id=customer.office_id
    )
    return LinkHouseholdForm(data, communities=communities, initial={"kind": customer.kind})


@login_required
@require_POST
def customer_household_link(request, pk):
    customer = get_or_404(customer_selectors.customer_get, request.user, pk)
    form = _link_form(request, customer, request.POST)
    if not form.is_valid():
        return _customer_page(request, customer, link_form=form, status=400)
    d = form.cleaned_data
    try:
        unit = customer_selectors.unit_find(
            request.user,
            community=d["community"].pk,
            building=d["building"],
            entrance=d["entrance"],
            room=d["room"],
        )
        household = unit.households.filter(is_active=True).first()
        if household is None:
            household = customer_services.household_create(actor=request.user, unit=unit)
        customer_services.customer_link_household(
            actor=request.user, customer=customer, household=household, kind=d["kind"]
        )
    except DomainError as err:
        status = show_error(form, err, missing_is_bad_input=True)
        return _customer_page(request, customer, link_form=form, status=status)
    messages.success(request, _("Linked to %(address)s.") % {"address": household.address})
    return redirect("console:customer_detail", pk=pk)


@login_required
@require_POST
def customer_phone_remove(request, pk, phone_pk):
    customer = get_or_404(customer_selectors.customer_get, request.user, pk)
    try:
        customer_services.customer_remove_phone(
            actor=request.user, customer=customer, phone_id=phone_pk
        )
    except DomainError as err:
        return _customer_page(request, customer, error=err.message, status=err.status)
    messages.success(request, _("Phone number removed."))
    return redirect("console:customer_detail", pk=pk)


# --- households -------------------------------------------------------------------------------


@login_required
def household_detail(request, pk):
    household = get_or_404(customer_selectors.household_get, request.user, pk)
    _form, filters = _contact_filters(request)
    history = selectors.household_history(household, filters=filters, user=request.user)
    residences = list(household.residences.all())
    attach_badges(r.customer for r in residences)
    context = {
        "household": household,
        "residences": residences,
        "history": history,
        "all_requests_url": f"{reverse('console:ticket_list')}?household={household.pk}",
        **_contacts_context(
            request, history, reverse("console:household_contacts", args=[household.pk])
        ),
    }
    return render(request, "history/household_detail.html", context)


@login_required
def household_contacts(request, pk):
    household = get_or_404(customer_selectors.household_get, request.user, pk)
    _form, filters = _contact_filters(request)
    history = selectors.household_history(household, filters=filters, user=request.user)
    context = _contacts_context(
        request, history, reverse("console:household_contacts", args=[household.pk])
    )
    context["show_customer"] = True
    return render(request, "history/partials/contacts.html", context)
