"""Console pages of the catalogue: the list, an item with its procedure, and the editing forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import rendered_version, show_error
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from . import selectors, services
from .forms import CategoryForm, ItemFilterForm, ItemForm, ItemVersionForm, steps_from_post

PAGE_SIZE = 100


@login_required
@require_GET
def catalog(request):
    form = ItemFilterForm(request.GET or None, user=request.user)
    items = selectors.items_for_user(request.user, form.filters())
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/item_list.html",
        {
            "form": form,
            "page": page,
            "groups": selectors.grouped(page.object_list),
            "can_create": allowed(request.user, "catalog.edit"),
            "can_edit_categories": services.can_edit_categories(request.user),
        },
    )


@login_required
@require_GET
def item_detail(request, pk):
    item = get_or_404(selectors.item_get, request.user, pk)
    return render(
        request,
        "catalog/item_detail.html",
        {"item": item, "can_edit": services.can_edit_item(request.user, item)},
    )


def _mark(user, item, is_major_defect: bool) -> None:
    """M14: the major-defect mark has its own service; call it only when it changes."""
    if bool(is_major_defect) != item.is_major_defect:
        services.item_mark_major_defect(actor=user, item=item, is_major_defect=is_major_defect)


def _mark_category(user, category, is_major_defect: bool) -> None:
    if bool(is_major_defect) != category.is_major_defect:
        services.category_mark_major_defect(
            actor=user, category=category, is_major_defect=is_major_defect
        )


def _steps_rows(steps) -> list[dict]:
    # Always offer one empty row to type a new step into.
    return [*steps, {"title": "", "detail": "", "needs_photo": False}]


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    if not allowed(request.user, "catalog.edit"):
        raise PermissionDenied
    form = ItemForm(request.POST or None, user=request.user, initial=ItemForm.initial_for(None))
    steps = steps_from_post(request.POST) if request.method == "POST" else []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # A director adds to his own office's catalogue; the company chooses (empty: all).
            user = request.user
            office = form.cleaned_data.get("office") if user.is_company_role else user.office
            try:
                with transaction.atomic():  # the item and its major-defect mark, or neither
                    item = services.item_create(
                        actor=request.user, office=office, steps=steps, **form.item_fields()
                    )
                    _mark(request.user, item, form.cleaned_data["is_major_defect"])
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Item “%(name)s” added.") % {"name": item.name})
                return redirect("console:catalog_item", pk=item.pk)
        else:
            status = 400
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "item": None, "steps": _steps_rows(steps)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_or_404(selectors.item_get, request.user, pk)
    if not services.can_edit_item(request.user, item):
        raise PermissionDenied
    form = ItemForm(
        request.POST or None, user=request.user, item=item, initial=ItemForm.initial_for(item)
    )
    if request.method == "POST":
        steps = steps_from_post(request.POST)
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.item_update(
                        actor=request.user,
                        item=item,
                        steps=steps,
                        expected_version=form.cleaned_data["version"],
                        **form.item_fields(),
                    )
                    _mark(request.user, item, form.cleaned_data["is_major_defect"])
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Item saved."))
                return redirect("console:catalog_item", pk=item.pk)
    else:
        steps = [
            {"title": s.title, "detail": s.detail, "needs_photo": s.needs_photo}
            for s in item.steps.all()
        ]
        status = 200
    return render(
        request,
        "catalog/item_form.html",
        {"form": form, "item": item, "steps": _steps_rows(steps)},
        status=status,
    )


@login_required
@require_GET
def step_row(request):
    """One empty row for the steps table (HTMX "add a step")."""
    return render(
        request,
        "catalog/partials/step_row.html",
        {"step": {"title": "", "detail": "", "needs_photo": False}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_deactivate(request, pk):
    """GET asks for confirmation; POST takes the item out of the catalogue."""
    item = get_or_404(selectors.item_get, request.user, pk)
    if not services.can_edit_item(request.user, item):
        raise PermissionDenied
    error, status = None, 200
    # The version shown stays with the page: after a refusal, the person reloads the item.
    form = ItemVersionForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST":
        try:
            services.item_deactivate(
                actor=request.user, item=item, expected_version=rendered_version(form)
            )
        except DomainError as err:
            error, status = err.message, err.status
        else:
            messages.success(request, _("Item “%(name)s” deactivated.") % {"name": item.name})
            return redirect("console:catalog_item", pk=item.pk)
    return render(
        request,
        "catalog/item_confirm_deactivate.html",
        {"item": item, "error": error, "form": form},
        status=status,
    )


@login_required
@require_POST
def item_reactivate(request, pk):
    item = get_or_404(selectors.item_get, request.user, pk)
    try:
        services.item_reactivate(
            actor=request.user,
            item=item,
            expected_version=rendered_version(ItemVersionForm(request.POST)),
        )
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Item “%(name)s” is active again.") % {"name": item.name})
    return redirect("console:catalog_item", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request):
    """The company's categories; the administrator adds and renames them here."""
    can_edit = services.can_edit_categories(request.user)
    form = CategoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    category = services.category_create(
                        actor=request.user, **form.category_fields()
                    )
                    _mark_category(request.user, category, form.cleaned_data["is_major_defect"])
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
                return redirect("console:catalog_categories")
    return render(
        request,
        "catalog/category_list.html",
        {"categories": selectors.categories(), "form": form, "can_edit": can_edit},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request, pk):
    if not services.can_edit_categories(request.user):
        raise PermissionDenied
    category = get_or_404(selectors.category_get, pk)
    initial = {
        "name": category.name,
        "kind": category.kind,
        "position": category.position,
        "is_major_defect": category.is_major_defect,
    }
    form = CategoryForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.category_update(
                        actor=request.user, category=category, **form.category_fields()
                    )
                    _mark_category(request.user, category, form.cleaned_data["is_major_defect"])
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Category saved."))
                return redirect("console:catalog_categories")
    return render(
        request,
        "catalog/category_form.html",
        {"category": category, "form": form},
        status=status,
    )
