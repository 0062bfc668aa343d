"""Console pages of notices (M05): the list, a notice with its history and actions, the forms,
the poster PDF and the read rate. Thin: selector → form → service → render.

A notice's page offers what ``lifecycle.NOTICES.actions_for`` says this person may do now. Every
form carries the notice's version it was rendered with; a change someone made meanwhile is
refused (409) on the page, and nothing is changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.views import get_or_404

from . import pdf, selectors, services
from .forms import (
    AttachmentForm,
    NoticeFilterForm,
    NoticeForm,
    ReviseForm,
    ScheduleForm,
    VersionForm,
)
from .lifecycle import LOCKED, NOTICES

PAGE_SIZE = 50


@login_required
@require_GET
def notice_list(request):
    form = NoticeFilterForm(request.GET or None, user=request.user)
    notices = selectors.notices_for_user(request.user, form.filters())
    page = CappedPaginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/list.html",
        {
            "form": form,
            "page": page,
            "can_create": allowed(request.user, "notice.edit"),
        },
    )


def _seen(notice) -> dict:
    """A form's initial version: the notice's as the page shows it."""
    return {"version": notice.version}


def _detail_context(user, notice, **extra) -> dict:
    """The notice's page: what it is, and the actions this person may take on it now, whose
    forms carry the version shown."""
    return {
        "notice": notice,
        "buildings": notice.buildings.select_related("community"),
        "revisions": notice.revisions.select_related("created_by"),
        "attachments": notice.attachments.all(),
        "actions": NOTICES.actions_for(user, notice),
        "schedule_form": ScheduleForm(initial=_seen(notice)),
        "attachment_form": AttachmentForm(initial=_seen(notice)),
        "rate": selectors.read_rate(notice) if notice.published_at else None,
        **extra,
    }


@login_required
@require_GET
def notice_detail(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    return render(request, "notices/detail.html", _detail_context(request.user, notice))


@login_required
@require_http_methods(["GET", "POST"])
def notice_create(request):
    if not allowed(request.user, "notice.edit"):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, user=request.user, initial=NoticeForm.initial_for(None))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                notice = services.notice_create(actor=request.user, **form.notice_fields())
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Notice saved as a draft."))
                return redirect("console:notice", pk=notice.pk)
    return render(request, "notices/form.html", {"form": form, "notice": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    if not services.can(request.user, "notice.edit", notice):
        raise PermissionDenied
    if notice.is_locked and request.method == "GET":
        messages.error(request, LOCKED)
        return redirect("console:notice", pk=notice.pk)
    # The version rendered stays with the form: after a refusal, the person reloads the notice
    # to see what someone else changed before saving over it.
    form = NoticeForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial=NoticeForm.initial_for(notice),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.notice_update(
                    actor=request.user,
                    notice=notice,
                    expected_version=form.cleaned_data["version"],
                    **form.notice_fields(),
                )
            except DomainError as err:
                if err.code == "notice_locked":
                    messages.error(request, err.message)
                    return render(
                        request,
                        "notices/detail.html",
                        _detail_context(request.user, notice),
                        status=err.status,
                    )
                status = show_error(form, err)
            else:
                messages.success(request, _("Notice saved."))
                return redirect("console:notice", pk=notice.pk)
    return render(request, "notices/form.html", {"form": form, "notice": notice}, status=status)


def _refused(request, notice, message, status):
    """The notice's page as it is now, with why nothing was done."""
    messages.error(request, message)
    return render(
        request,
        "notices/detail.html",
        _detail_context(request.user, selectors.notice_get(request.user, notice.pk)),
        status=status,
    )


def _refused_on_form(request, notice, err, *, form, name: str):
    """A refusal of the input ``form`` shows (a time, a file) goes on the form, on the notice's
    page; any other (the notice changed meanwhile, or its state) on the page as it is now."""
    if err.field not in form.fields or form[err.field].is_hidden:
        return _refused(request, notice, err.message, err.status)
    status = show_error(form, err)
    context = _detail_context(request.user, notice, **{name: form})
    return render(request, "notices/detail.html", context, status=status)


def _act(request, notice, action, **kwargs):
    """Run one service on the notice, against the version the form was rendered with; its
    refusal is shown on the notice's page."""
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _refused(request, notice, " ".join(form.errors["version"]), 400)
    try:
        action(
            actor=request.user,
            notice=notice,
            expected_version=form.cleaned_data["version"],
            **kwargs,
        )
    except DomainError as err:
        return _refused(request, notice, err.message, err.status)
    return None


@login_required
@require_POST
def notice_schedule(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request.user, notice, schedule_form=form)
        return render(request, "notices/detail.html", context, status=400)
    try:
        services.notice_schedule(
            actor=request.user,
            notice=notice,
            publish_at=form.cleaned_data["publish_at"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as err:
        return _refused_on_form(request, notice, err, form=form, name="schedule_form")
    messages.success(request, _("Notice scheduled."))
    return redirect("console:notice", pk=notice.pk)


@login_required
@require_POST
def notice_unschedule(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    refused = _act(request, notice, services.notice_unschedule)
    return refused or redirect("console:notice", pk=notice.pk)


@login_required
@require_http_methods(["GET", "POST"])
def notice_publish(request, pk):
    """GET asks for confirmation; POST publishes."""
    notice = get_or_404(selectors.notice_get, request.user, pk)
    if not services.can(request.user, "notice.publish", notice):
        raise PermissionDenied
    if request.method == "POST":
        refused = _act(request, notice, services.notice_publish)
        if refused:
            return refused
        messages.success(request, _("Notice published."))
        return redirect("console:notice", pk=notice.pk)
    audience = selectors.audience_customers(notice).count() if notice.by_notification else None
    context = {"notice": notice, "audience": audience, "form": VersionForm(initial=_seen(notice))}
    return render(request, "notices/confirm_publish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice_archive(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    if not services.can(request.user, "notice.publish", notice):
        raise PermissionDenied
    if request.method == "POST":
        refused = _act(request, notice, services.notice_archive)
        if refused:
            return refused
        messages.success(request, _("Notice archived."))
        return redirect("console:notice", pk=notice.pk)
    context = {"notice": notice, "form": VersionForm(initial=_seen(notice))}
    return render(request, "notices/confirm_archive.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice_revise(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    if not services.can(request.user, "notice.publish", notice):
        raise PermissionDenied
    # As on the edit form, the version rendered stays with it until the notice is reloaded.
    form = ReviseForm(
        request.POST or None,
        initial={"title": notice.title, "body": notice.body, **_seen(notice)},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.notice_revise(
                    actor=request.user,
                    notice=notice,
                    expected_version=data.pop("version"),
                    **data,
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Correction published."))
                return redirect("console:notice", pk=notice.pk)
    return render(request, "notices/revise.html", {"form": form, "notice": notice}, status=status)


@login_required
@require_POST
def notice_attach(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _detail_context(request.user, notice, attachment_form=form)
        return render(request, "notices/detail.html", context, status=400)
    try:
        services.notice_attach(
            actor=request.user,
            notice=notice,
            upload=form.cleaned_data["file"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as err:
        return _refused_on_form(request, notice, err, form=form, name="attachment_form")
    messages.success(request, _("File attached."))
    return redirect("console:notice", pk=notice.pk)


@login_required
@require_GET
def notice_file(request, pk, file_pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    attachment = notice.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    return serve_file(attachment.file.name)


@login_required
@require_GET
def notice_pdf(request, pk):
    """The notice-board poster (A4)."""
    notice = get_or_404(selectors.notice_get, request.user, pk)
    response = HttpResponse(pdf.notice_poster(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


@login_required
@require_GET
def notice_reads(request, pk):
    notice = get_or_404(selectors.notice_get, request.user, pk)
    return render(
        request,
        "notices/reads.html",
        {
            "notice": notice,
            "rate": selectors.read_rate(notice),
            "rows": selectors.read_rate_by_building(notice),
        },
    )
