"""Console pages for customers: list, forms, roster import.

The customer page and the household page (their history from every channel) are in
``propdesk.history``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from . import selectors, services
from .badges import attach_badges
from .forms import CustomerCreateForm, CustomerEditForm, RosterForm
from .roster import RosterInvalid, roster_import

PAGE_SIZE = 50


# --- list -------------------------------------------------------------------------------------


@login_required
def customer_list(request):
    q = request.GET.get("q", "").strip()
    page = CappedPaginator(selectors.customer_list(request.user, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    attach_badges(page.object_list)
    context = {"page": page, "q": q, "can_edit": allowed(request.user, "customer.edit")}
    if request.htmx:
        return render(request, "customers/customer_list.html#results", context)
    return render(request, "customers/customer_list.html", context)


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
                    note=data["note"],
                )
            except DomainError as err:
                status = show_error(form, err, missing_is_bad_input=True)
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
    customer = get_or_404(selectors.customer_get, request.user, pk)
    initial = {f: getattr(customer, f) for f in CustomerEditForm.base_fields}
    form = CustomerEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.customer_update(
                    actor=request.user,
                    customer=customer,
                    expected_version=data.pop("version"),
                    **data,
                )
            except DomainError as err:
                status = show_error(form, err, missing_is_bad_input=True)
            else:
                messages.success(request, _("Customer updated."))
                return redirect("console:customer_detail", pk=pk)
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "customer": customer, "title": _("Edit customer")},
        status=status,
    )


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
                status = show_error(form, err, missing_is_bad_input=True)
    return render(request, "customers/roster_import.html", context, status=status)
