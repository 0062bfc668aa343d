"""ISO weeks in local time (Asia/Shanghai): after service counts everything by week (M13, M25)."""

import datetime as dt
import re

from django.utils import timezone

WEEK = dt.timedelta(days=7)
WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")  # 2026-W24


def week_key(start: dt.date) -> str:
    year, week, _weekday = start.isocalendar()
    return f"{year}-W{week:02d}"


def week_start_of(moment: dt.datetime) -> dt.date:
    """The Monday of the ISO week ``moment`` falls in, in local time."""
    day = timezone.localdate(moment)
    return day - dt.timedelta(days=day.weekday())


def week_bounds(start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[Monday 00:00, next Monday 00:00) in local time, as aware datetimes."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    following = timezone.make_aware(dt.datetime.combine(start + WEEK, dt.time.min))
    return first, following


def monday_of(key: str) -> dt.date | None:
    """``2026-W24`` → its Monday; None when it is not an ISO week."""
    match = WEEK_KEY.match((key or "").strip())
    if not match:
        return None
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
