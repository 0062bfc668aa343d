"""The board's reports in the console (M25): an office's board and the company's as a spreadsheet
with the cases behind every figure, and the monthly PDF reports — their list, their file, and
Quality making a past one again. Thin: the selectors and ``reports`` decide who sees what."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from propdesk.core.errors import DomainError, Forbidden, NotFound
from propdesk.core.forms import BoundedInput, show_error
from propdesk.core.media import serve_file
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed

from . import exports, reports, selectors

PAGE_SIZE = 50


def _denied(request, message=None):
    message = message or _("Your role may not do this.")
    return render(request, "console/denied.html", {"message": message}, status=403)


def _bad(request, err):
    return render(request, "board/bad_period.html", {"message": err.message}, status=400)


def site_base(request) -> str:
    """The site's address as the request reached it, put before the spreadsheet's links."""
    return request.build_absolute_uri("/").rstrip("/")


def _xlsx(request, board, now):
    out = exports.board_xlsx(request.user, board, now=now, base=site_base(request))
    return FileResponse(
        out, as_attachment=True, filename=exports.file_name(board), content_type=exports.XLSX
    )


def _period(request, now):
    return selectors.choose_period(request.GET.get("period"), request.GET.get("at"), now=now)


@login_required
@require_GET
def board_office_xlsx(request, pk):
    """An office's board in the period of the page, with the cases behind every figure."""
    now = timezone.now()
    try:
        board = selectors.office_board(request.user, pk, period=_period(request, now), now=now)
        return _xlsx(request, board, now)
    except NotFound:
        raise Http404 from None
    except Forbidden as err:
        return _denied(request, err.message)
    except DomainError as err:
        return _bad(request, err)


@login_required
@require_GET
def board_company_xlsx(request):
    """The company's board in the period of the page, each office's figures, and the cases."""
    now = timezone.now()
    try:
        board = selectors.company_board(request.user, period=_period(request, now), now=now)
        return _xlsx(request, board, now)
    except Forbidden as err:
        return _denied(request, err.message)
    except DomainError as err:
        return _bad(request, err)


@login_required
@require_GET
def board_reports(request):
    """The monthly reports: a director his office's, the company's roles every one."""
    user = request.user
    try:
        month = reports.parse_month(request.GET.get("month"))
        found = reports.reports_for(user, month=month)
    except Forbidden as err:
        return _denied(request, err.message)
    except DomainError as err:
        return render(
            request,
            "board/reports.html",
            {"page": None, "error": err.message, "month": request.GET.get("month", "")},
            status=400,
        )
    page = CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "board/reports.html",
        {
            "page": page,
            "month": month.key if month else "",
            "can_regenerate": allowed(user, "board.report_regenerate"),
        },
    )


@login_required
@require_GET
def board_report_file(request, pk):
    """One monthly report's PDF, to those who may read it (another office's: not found)."""
    try:
        report = reports.report_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    except Forbidden as err:
        return _denied(request, err.message)
    response = serve_file(report.file.name)
    response["Content-Disposition"] = f'inline; filename="{report.file.name.rsplit("/", 1)[-1]}"'
    return response


class RegenerateForm(BoundedInput, forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_(
            "Yes, make this report again from the figures as they stand now: the file "
            "replaces the one sent, which nobody is told of again."
        ),
        required=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_report_regenerate(request, pk):
    """Quality makes a past report again, after confirming it."""
    user = request.user
    if not allowed(user, "board.report_regenerate"):
        return _denied(request)
    try:
        report = reports.report_get(user, pk)
    except NotFound:
        raise Http404 from None
    status = 200
    if request.method == "POST":
        form = RegenerateForm(request.POST)
        if form.is_valid():
            try:
                reports.report_regenerate(
                    actor=user,
                    report_id=report.pk,
                    version=form.cleaned_data["version"],
                    now=timezone.now(),
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("The report was made again."))
                return redirect("console:board_reports")
        else:
            status = 400
    else:
        form = RegenerateForm(initial={"version": report.version})
    return render(
        request, "board/report_regenerate.html", {"report": report, "form": form}, status=status
    )
