"""The compliance board's console pages (M25): the office's board, the company's, the cases
behind a figure, and the targets. Thin: the selectors decide who sees what and compute."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from propdesk.core.errors import DomainError, Forbidden, NotFound
from propdesk.core.forms import show_error
from propdesk.core.measures import MONTH, WEEK, period_of
from propdesk.core.pagination import CappedPaginator
from propdesk.core.permissions import allowed
from propdesk.core.templatetags.periods import period_label

from . import selectors, services
from .charts import trend_option
from .forms import TargetForm

PAGE_SIZE = 50


OFFICES_PAGE = 50  # the company board's rows of offices


def _denied(request, message=None):
    message = message or _("Your role may not do this.")
    return render(request, "console/denied.html", {"message": message}, status=403)


def _period(request, now):
    return selectors.choose_period(request.GET.get("period"), request.GET.get("at"), now=now)


def period_query(period, **extra) -> str:
    return urlencode({"period": period.kind, "at": period.key, **extra})


def _bad_period(request, err: DomainError):
    """A period that is not one: said next to the date that was given, with the picker to try
    again; never the current period instead, as if nothing were wrong."""
    kind = request.GET.get("period") or WEEK
    kind = kind if kind in (WEEK, MONTH) else WEEK
    given = request.GET.get("at", "")
    message = err.message
    if err.field == "at":
        message = _("“%(value)s” is not a date. Choose a day in the week or month to show.") % {
            "value": given[:40]
        }
    context = {
        "message": message,
        "picker": {
            "kind": kind,
            "value": given[:40],
            "error": message if err.field == "at" else "",
            "switch": {WEEK: urlencode({"period": WEEK}), MONTH: urlencode({"period": MONTH})},
        },
    }
    return render(request, "board/bad_period.html", context, status=400)


def _render_board(request, board, now):
    user = request.user
    office_id = board.office.pk if board.office else None
    for line in board.lines:
        line.chart = trend_option(line)
        report = line.measure.report_url
        line.report = report(office_id, board.period) if report else ""
    periods = [p.period for p in board.lines[0].trend] if board.lines else []
    # A thousand offices are read a page at a time, the most red first.
    offices = Paginator(board.offices, OFFICES_PAGE).get_page(request.GET.get("page"))
    context = {
        "board": board,
        "offices": offices,
        "now": now,
        "periods": periods,
        "query": period_query(board.period),
        "office_query": f"&office={board.office.pk}" if board.office else "",
        "picker": _picker(board.period, now),
        "can_see_company": allowed(user, "board.view_company"),
        "can_set_targets": allowed(user, "board.set_target"),
    }
    return render(request, "board/board.html", context)


def _next(period):
    return period_of(period.kind, period.end)


def _picker(period, now) -> dict:
    """The board's period controls: weeks or months, the previous and next period by their
    dates, and a date input (any day: the week or month it falls in)."""
    later = _next(period) if period.end <= timezone.localdate(now) else None
    earlier = period.previous()
    return {
        "kind": period.kind,
        "value": period.start.isoformat(),
        "label": period_label(period),
        "switch": {WEEK: urlencode({"period": WEEK}), MONTH: urlencode({"period": MONTH})},
        "previous": period_query(earlier),
        "previous_label": period_label(earlier),
        "next": period_query(later) if later else "",
        "next_label": period_label(later) if later else "",
    }


@login_required
@require_GET
def board_home(request):
    """Where "the board" goes: the company's for company roles, one's office's for its staff."""
    user = request.user
    if allowed(user, "board.view_company"):
        return redirect("console:board_company")
    if allowed(user, "board.view") and user.office_id:
        return redirect("console:board_office", pk=user.office_id)
    return _denied(request)


@login_required
@require_GET
def board_company(request):
    now = timezone.now()
    try:
        period = _period(request, now)
        board = selectors.company_board(request.user, period=period, now=now)
    except Forbidden as err:
        return _denied(request, err.message)
    except DomainError as err:
        return _bad_period(request, err)
    return _render_board(request, board, now)


@login_required
@require_GET
def board_office(request, pk):
    now = timezone.now()
    try:
        period = _period(request, now)
        board = selectors.office_board(request.user, pk, period=period, now=now)
    except NotFound:
        raise Http404 from None
    except Forbidden as err:
        return _denied(request, err.message)
    except DomainError as err:
        return _bad_period(request, err)
    return _render_board(request, board, now)


@login_required
@require_GET
def board_cases(request, key):
    """The records behind one figure: an office's (``office``) or the company's, in one period;
    for a rate, those that failed the rule unless ``all`` is asked."""
    now = timezone.now()
    office = request.GET.get("office") or None
    try:
        office_id = int(office) if office is not None else None
    except ValueError:
        raise Http404 from None
    show_all = request.GET.get("all") == "1"
    try:
        period = _period(request, now)
        found = selectors.cases(
            request.user, key, office_id=office_id, period=period, missed=not show_all, now=now
        )
    except NotFound:
        raise Http404 from None
    except Forbidden as err:
        return _denied(request, err.message)
    except DomainError as err:
        return _bad_period(request, err)
    records = found.records
    paginator_class = CappedPaginator if isinstance(records, QuerySet) else Paginator
    page = paginator_class(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [found.measure.case(record) for record in page]
    base = {"period": period.kind, "at": period.key}
    if office_id:
        base["office"] = office_id
    back = (
        reverse("console:board_office", args=[office_id])
        if office_id
        else reverse("console:board_company")
    )
    context = {
        "found": found,
        "page": page,
        "rows": rows,
        "back": f"{back}?{urlencode({'period': period.kind, 'at': period.key})}",
        "missed_query": urlencode(base),
        "all_query": urlencode({**base, "all": "1"}),
        "show_all": show_all,
    }
    return render(request, "board/cases.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def board_targets(request):
    """Every measure's target: the manual's, or the company's where it was changed; the Quality
    Management Department changes them here, each change kept with who, when and why."""
    user = request.user
    if not allowed(user, "board.view_company"):
        return _denied(request)
    can_set = allowed(user, "board.set_target")
    form, status = None, 200
    if request.method == "POST":
        if not can_set:
            return _denied(request)
        form = TargetForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.target_set(
                    actor=user,
                    measure=data["measure"],
                    value=data["value"],
                    reason=data["reason"],
                    version=data["version"],
                    now=timezone.now(),
                )
            except DomainError as err:
                status = show_error(form, err)
            else:
                messages.success(request, _("Target saved."))
                return redirect("console:board_targets")
        else:
            status = 400
    rows = selectors.target_rows()
    return render(
        request,
        "board/targets.html",
        {
            "rows": rows,
            "history": selectors.target_history(),
            "can_set": can_set,
            "form": form,
        },
        status=status,
    )
