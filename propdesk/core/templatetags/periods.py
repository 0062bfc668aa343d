"""Weeks and months for people: "30 Nov – 6 Dec 2026" (2026年11月30日–12月6日) rather than
"2026-W49", and "December 2026" rather than "2026-12". The URLs and the API keep the keys; the
pages show these labels. Each format is translatable, so each language orders day, month and
year its own way.

``{% load periods %}`` gives the filters ``week_label`` (a week's Monday, or any day in the week)
and ``period_label`` (a ``core.measures.Period``); Python code calls ``week_label`` and
``period_label`` directly. ``parse_day`` reads what a date input sends, or an ISO week key.
"""

import datetime as dt
import re

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized
from django.utils.translation import pgettext

register = template.Library()

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)  # 2026-W49


def _monday(day: dt.date | dt.datetime) -> dt.date:
    if isinstance(day, dt.datetime):
        day = day.date()
    return day - dt.timedelta(days=day.weekday())


def range_label(first: dt.date, last: dt.date) -> str:
    """Two days as one range: "30 Nov – 6 Dec 2026", "28 Dec 2026 – 3 Jan 2027"."""
    if first.year == last.year:
        # Translators: Django date format of a range's first day when both days are in one
        # year (Chinese: "Y年n月j日"). See https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date
        start = date_format(first, pgettext("date range", "j M"))
        # Translators: Django date format of a range's last day when both days are in one year
        # (Chinese: "n月j日").
        end = date_format(last, pgettext("date range", "j M Y"))
    else:
        # Translators: Django date format of each end of a range that spans two years
        # (Chinese: "Y年n月j日").
        full = pgettext("date range across years", "j M Y")
        start, end = date_format(first, full), date_format(last, full)
    # Translators: a range of two days (Chinese, without spaces: "%(start)s–%(end)s").
    return pgettext("date range", "%(start)s – %(end)s") % {"start": start, "end": end}


@register.filter
def week_label(day) -> str:
    """The week (Monday to Sunday) a day falls in, as its dates; "" for nothing."""
    if not day:
        return ""
    monday = _monday(day)
    return range_label(monday, monday + dt.timedelta(days=6))


@register.filter
def month_label(day) -> str:
    """The month a day falls in: "December 2026", "2026年12月"."""
    if not day:
        return ""
    return localized(day, "YEAR_MONTH_FORMAT")


@register.filter
def period_label(period) -> str:
    """A board's period (``core.measures.Period``): a week's dates or a month's name."""
    if not period:
        return ""
    if period.kind == "month":
        return month_label(period.start)
    return week_label(period.start)


@register.filter
def week_key_label(key) -> str:
    """An ISO week key kept in the data ("2026-W49") as its dates; the key itself if it is
    not one."""
    day = parse_day(key)
    return week_label(day) if day else (key or "")


def parse_day(value) -> dt.date | None:
    """What a date input sends (``2026-12-01``) or an ISO week (``2026-W49``, its Monday) →
    a date; None when it is neither (``2026-13-45``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    try:
        if m := _ISO_WEEK.match(text):
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
