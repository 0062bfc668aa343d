"""Console pages for customers: list, forms, roster import.

The customer page and the household page (their history from every channel) are in
``propdesk.history``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from . import roster_uploads, selectors, services
from .badges import attach_badges
from .forms import CustomerCreateForm, CustomerEditForm, RosterConfirmForm, RosterForm
from .models import RosterUpload
from .roster import RosterInvalid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
# Upload → preview (checked in the background, progress polled with HTMX) → confirm → imported.
# The steps themselves are in ``roster_uploads``.


@login_required
def customer_import(request):
    user = request.user
    can_import = allowed(user, "customer.import")
    communities = list(selectors.communities_for(user)) if can_import else []
    form = RosterForm(
        request.POST or None, request.FILES or None, user=user, communities=communities
    )
    context = {"form": form, "can_import": can_import}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                upload = roster_uploads.roster_upload_create(actor=user, **form.service_input())
            except RosterInvalid as err:
                context["row_errors"] = err.rows
                form.add_error("file", err.message)
            except DomainError as err:
                status = show_error(form, err, missing_is_bad_input=True)
            else:
                return redirect("console:customer_import_status", token=upload.token)
    return render(request, "customers/roster_import.html", context, status=status)


@login_required
def customer_import_template(request):
    content = roster_uploads.roster_template(get_language())
    response = HttpResponse(content, content_type=XLSX)
    name = _("roster template") + ".xlsx"
    response["Content-Disposition"] = content_disposition_header(True, str(name))
    return response


def _upload_context(request, upload, *, confirm_form=None) -> dict:
    preview = upload.preview or {}
    unknown = [b["name"] for b in preview.get("unknown_buildings", [])]
    return {
        "upload": upload,
        "preview": preview,
        "progress": roster_uploads.progress(upload),
        "confirm_form": confirm_form or RosterConfirmForm(buildings=unknown),
        "refused": [*preview.get("errors", []), *preview.get("building_refusals", [])],
        "States": RosterUpload.State,
    }


@login_required
def customer_import_status(request, token):
    upload = get_or_404(selectors.roster_upload_get, request.user, token)
    context = _upload_context(request, upload)
    if request.htmx:
        return render(request, "customers/roster_import_status.html#status", context)
    return render(request, "customers/roster_import_status.html", context)


@login_required
@require_POST
def customer_import_confirm(request, token):
    upload = get_or_404(selectors.roster_upload_get, request.user, token)
    unknown = [b["name"] for b in (upload.preview or {}).get("unknown_buildings", [])]
    form = RosterConfirmForm(request.POST, buildings=unknown)
    try:
        if not form.is_valid():
            raise DomainError(
                _("Tick only the buildings listed."), code="invalid", field="create_buildings"
            )
        roster_uploads.roster_upload_confirm(
            actor=request.user,
            upload=upload,
            create_buildings=form.cleaned_data["create_buildings"],
        )
    except DomainError as err:
        form.add_error(None, err.message)
        upload.refresh_from_db()
        context = _upload_context(request, upload, confirm_form=form)
        return render(request, "customers/roster_import_status.html", context, status=err.status)
    return redirect("console:customer_import_status", token=token)


@login_required
@require_POST
def customer_import_check(request, token):
    upload = get_or_404(selectors.roster_upload_get, request.user, token)
    try:
        roster_uploads.roster_upload_recheck(actor=request.user, upload=upload)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("console:customer_import_status", token=token)
