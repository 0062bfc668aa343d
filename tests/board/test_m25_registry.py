"""M25: the measures' registry — every app's measures, in rule order, each computed for every
office in a fixed number of queries whatever the data."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from propdesk.core import measures as registry
from propdesk.core.measures import MONTH, WEEK, Period, last_periods, parse_period, period_of

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))


def test_m25_measures_come_in_rule_order_from_every_app():
    rules = [m.rule for m in registry.measures()]
    assert rules == sorted(rules, key=lambda r: int(r[1:]))
    assert {
        "M02",
        "M09",
        "M13",
        "M14",
        "M15",
        "M16",
        "M19",
        "M20",
        "M21",
        "M22",
        "M23",
        "M24",
    } <= set(rules)


def test_m25_a_measure_is_registered_once():
    first = registry.measures()[0]
    with pytest.raises(ImproperlyConfigured):
        registry.register_measures([first])


def test_m25_periods_are_local_weeks_and_months():
    # 2026-06-01 00:30 in Shanghai is still 31 May in UTC: it belongs to June's first week.
    moment = timezone.make_aware(dt.datetime(2026, 6, 1, 0, 30))
    week = period_of(WEEK, moment)
    assert (week.key, week.start, week.end) == (
        "2026-W23",
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 8),
    )
    month = period_of(MONTH, moment)
    assert (month.key, month.end) == ("2026-06", dt.date(2026, 7, 1))
    assert Period(MONTH, dt.date(2026, 12, 1)).end == dt.date(2027, 1, 1)
    assert week.bounds()[0].utcoffset() == dt.timedelta(hours=8)
    assert parse_period(WEEK, "2026-W23") == week and parse_period(MONTH, "2026-06") == month
    assert parse_period(WEEK, "2026-W60") is None and parse_period(MONTH, "june") is None
    trend = last_periods(MONTH, NOW)
    assert len(trend) == 12 and trend[-1].key == "2026-06" and trend[0].key == "2025-07"


def test_m25_every_measure_computes_on_an_empty_company(office):
    for measure in registry.measures():
        figures = measure.compute(last_periods(WEEK, NOW), now=NOW, office_ids=[office.pk])
        assert set(figures) <= {office.pk}, measure.key
