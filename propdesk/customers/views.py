"""Console pages for customers and households: list, 360° view, forms, roster import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.tickets.services import contact_record

from . import selectors, services
from .forms import (
    ContactFilterForm,
    ContactForm,
    CustomerCreateForm,
    CustomerEditForm,
    LinkHouseholdForm,
    PhoneForm,
    RosterForm,
)
from .roster import RosterInvalid, roster_import

PAGE_SIZE = 50
CONTACTS_PAGE_SIZE = 50


def _found(fn, *args, **kwargs):
    """A selector's NotFound (missing, or another office's) is the console's 404."""
    try:
        return fn(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def _status(err: DomainError) -> int:
    # A form naming a record that is not there is bad input (400), not a missing page.
    return 400 if isinstance(err, NotFound) else err.status


def _form_error(form, err: DomainError) -> None:
    form.add_error(err.field if err.field in form.fields else None, err.message)


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


# --- list -------------------------------------------------------------------------------------


@login_required
def customer_list(request):
    q = request.GET.get("q", "").strip()
    page = CappedPaginator(selectors.customer_list(request.user, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "q": q, "can_edit": allowed(request.user, "customer.edit")}
    if request.htmx:
        return render(request, "customers/customer_list.html#results", context)
    return render(request, "customers/customer_list.html", context)


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
        "new_request_url": f"{reverse('console:ticket_new')}?customer={customer.pk}",
        "all_requests_url": f"{reverse('console:ticket_list')}?customer={customer.pk}",
        **_contacts_context(
            request, history, reverse("console:customer_contacts", args=[customer.pk])
        ),
    }
    return render(request, "customers/customer_detail.html", context, status=status)


@login_required
def customer_detail(request, pk):
    customer = _found(selectors.customer_get, request.user, pk)
    return _customer_page(request, customer)


@login_required
def customer_contacts(request, pk):
    """The contacts section alone, filtered and paginated (HTMX)."""
    customer = _found(selectors.customer_get, request.user, pk)
    _form, filters = _contact_filters(request)
    history = selectors.customer_history(customer, filters=filters, user=request.user)
    context = _contacts_context(
        request, history, reverse("console:customer_contacts", args=[customer.pk])
    )
    return render(request, "customers/partials/contacts.html", context)


@login_required
@require_POST
def customer_contact_new(request, pk):
    customer = _found(selectors.customer_get, request.user, pk)
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
            _form_error(form, err)
            return _customer_page(request, customer, contact_form=form, status=_status(err))
        messages.success(request, _("Contact recorded."))
        return redirect(reverse("console:customer_detail", args=[pk]) + "#contacts")
    return _customer_page(request, customer, contact_form=form, status=400)


@login_required
@require_POST
def customer_phone_add(request, pk):
    customer = _found(selectors.customer_get, request.user, pk)
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            services.customer_add_phone(
                actor=request.user,
                customer=customer,
                number=form.cleaned_data["number"],
                label=form.cleaned_data["label"],
                is_primary=form.cleaned_data["is_primary"],
            )
        except DomainError as err:
            form.add_error("number" if err.field == "phone" else None, err.message)
            return _customer_page(request, customer, phone_form=form, status=_status(err))
        messages.success(request, _("Phone number added."))
        return redirect("console:customer_detail", pk=pk)
    return _customer_page(request, customer, phone_form=form, status=400)


def _link_form(request, customer, data=None):
    communities = selectors.communities_for(request.user).filter(office_id=customer.office_id)
    return LinkHouseholdForm(data, communities=communities, initial={"kind": customer.kind})


@login_required
@require_POST
def customer_household_link(request, pk):
    customer = _found(selectors.customer_get, request.user, pk)
    form = _link_form(request, customer, request.POST)
    if not form.is_valid():
        return _customer_page(request, customer, link_form=form, status=400)
    d = form.cleaned_data
    try:
        unit = selectors.unit_find(
            request.user,
            community=d["community"].pk,
            building=d["building"],
            entrance=d["entrance"],
            room=d["room"],
        )
        household = unit.households.filter(is_active=True).first()
        if household is None:
            household = services.household_create(actor=request.user, unit=unit)
        services.customer_link_household(
            actor=request.user, customer=customer, household=household, kind=d["kind"]
        )
    except DomainError as err:
        _form_error(form, err)
        return _customer_page(request, customer, link_form=form, status=_status(err))
    messages.success(request, _("Linked to %(address)s.") % {"address": household.address})
    return redirect("console:customer_detail", pk=pk)


@login_required
@require_POST
def customer_phone_remove(request, pk, phone_pk):
    customer = _found(selectors.customer_get, request.user, pk)
    try:
        services.customer_remove_phone(actor=request.user, customer=customer, phone_id=phone_pk)
    except DomainError as err:
        return _customer_page(request, customer, error=err.message, status=err.status)
    messages.success(request, _("Phone number removed."))
    return redirect("console:customer_detail", pk=pk)


# --- create and edit --------------------------------------------------------------------------


@login_required
def customer_new(request):
    communities = list(selectors.communities_for(request.user))
    form = CustomerCreateForm(
        request.POST or None,
        communities=communities,
        initial={"phones": request.GET.get("phone", "")},  # from the hotline intake
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                unit, office = None, request.user.office
                if data["community"]:
                    community = next(c for c in communities if str(c.pk) == data["community"])
                    office = community.office
                    unit = selectors.unit_find(
                        request.user,
                        community=community.pk,
                        building=data["building"],
                        entrance=data["entrance"],
                        room=data["room"],
                    )
                if office is None:
                    raise DomainError(
                        _("Choose the community the customer lives in."),
                        code="required",
                        field="community",
                    )
                customer = services.customer_create(
                    actor=request.user,
                    office=office,
                    name=data["name"],
                    kind=data["kind"],
                    phones=data["phones"],
                    unit=unit,
                    is_important=data["is_important"],
                    is_committee_member=data["is_committee_member"],
                    is_representative=data["is_representative"],
                    note=data["note"],
                )
            except DomainError as err:
                _form_error(form, err)
                status = _status(err)
            else:
                messages.success(request, _("Customer created."))
                return redirect("console:customer_detail", pk=customer.pk)
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "title": _("New customer")},
        status=status,
    )


@login_required
def customer_edit(request, pk):
    customer = _found(selectors.customer_get, request.user, pk)
    initial = {f: getattr(customer, f) for f in CustomerEditForm.base_fields}
    form = CustomerEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.customer_update(actor=request.user, customer=customer, **form.cleaned_data)
            except DomainError as err:
                _form_error(form, err)
                status = _status(err)
            else:
                messages.success(request, _("Customer updated."))
                return redirect("console:customer_detail", pk=pk)
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "customer": customer, "title": _("Edit customer")},
        status=status,
    )


# --- households -------------------------------------------------------------------------------


@login_required
def household_detail(request, pk):
    household = _found(selectors.household_get, request.user, pk)
    _form, filters = _contact_filters(request)
    history = selectors.household_history(household, filters=filters, user=request.user)
    context = {
        "household": household,
        "residences": list(household.residences.all()),
        "history": history,
        "all_requests_url": f"{reverse('console:ticket_list')}?household={household.pk}",
        **_contacts_context(
            request, history, reverse("console:household_contacts", args=[household.pk])
        ),
    }
    return render(request, "customers/household_detail.html", context)


@login_required
def household_contacts(request, pk):
    household = _found(selectors.household_get, request.user, pk)
    _form, filters = _contact_filters(request)
    history = selectors.household_history(household, filters=filters, user=request.user)
    context = _contacts_context(
        request, history, reverse("console:household_contacts", args=[household.pk])
    )
    context["show_customer"] = True
    return render(request, "customers/partials/contacts.html", context)


# --- roster import ----------------------------------------------------------------------------


@login_required
def customer_import(request):
    user = request.user
    offices = list(selectors.offices_for(user)) if user.is_company_role else []
    form = RosterForm(request.POST or None, request.FILES or None, offices=offices)
    context = {"form": form, "can_import": allowed(user, "customer.import"), "result": None}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            office = user.office
            if offices:
                office = next(o for o in offices if str(o.pk) == data["office"])
            try:
                context["result"] = roster_import(
                    actor=user, office=office, community_name=data["community"], file=data["file"]
                )
                status = 200
            except RosterInvalid as err:
                context["row_errors"] = err.rows
                form.add_error(None, err.message)
            except DomainError as err:
                _form_error(form, err)
                status = _status(err)
    return render(request, "customers/roster_import.html", context, status=status)
