"""The revenue report (M24) in the console: revenue from paid and special services per office,
item and month, with its filters, totals, a chart of the months, and the spreadsheet."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from propdesk.core.errors import DomainError
from propdesk.core.forms import show_error
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed

from .. import exports, forms
from ..revenue import revenue_report, revenue_row

PAGE_SIZE = 50


def _denied(request):
    message = _("Your role may not do this.")
    return render(request, "console/denied.html", {"message": message}, status=403)


def _report(request):
    """The form and the report it asks for (None with the form's errors); the page's status."""
    form = forms.RevenueFilterForm(request.GET or None, user=request.user, now=timezone.now())
    if form.is_bound and not form.is_valid():
        return form, None, 400
    try:
        return form, revenue_report(request.user, form.filters()), 200
    except DomainError as err:
        if err.status == 404:
            raise Http404 from None
        return form, None, show_error(form, err)


def months_chart(report) -> dict:
    """The months' revenue as an Apache ECharts bar chart (``core/partials/chart.html``)."""
    return {
        "animation": False,
        "grid": {"left": 48, "right": 8, "top": 16, "bottom": 24},
        "tooltip": {"trigger": "axis", "confine": True},
        "xAxis": {"type": "category", "data": [m.month.key for m in report.months]},
        "yAxis": {"type": "value", "name": str(_("CNY"))},
        "series": [
            {
                "type": "bar",
                "name": str(_("Revenue")),
                "data": [float(m.totals.amount) for m in report.months],
                "itemStyle": {"color": "#1a73e8"},
            }
        ],
    }


@login_required
@require_GET
def revenue_page(request):
    if not allowed(request.user, "revenue.view"):
        return _denied(request)
    form, report, status = _report(request)
    context = {"form": form, "report": report, "page": None, "rows": []}
    if report is not None:
        page = CappedPaginator(report.rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            page=page,
            rows=[revenue_row(r) for r in page],
            chart=months_chart(report),
            export_query=request.GET.urlencode(),
        )
    return render(request, "tickets/revenue.html", context, status=status)


@login_required
@require_GET
def revenue_export(request):
    if not allowed(request.user, "revenue.view"):
        return _denied(request)
    form, report, status = _report(request)
    if report is None:
        context = {"form": form, "report": None, "page": None, "rows": []}
        return render(request, "tickets/revenue.html", context, status=status)
    return FileResponse(
        exports.revenue_xlsx(report),
        as_attachment=True,
        filename=exports.revenue_filename(report),
        content_type=exports.XLSX,
    )
