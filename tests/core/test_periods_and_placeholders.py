"""Weeks for people and choices without Django's "---------": the week's dates instead of its
ISO key, a date input that stands for its week (old ISO-week links still work, a bad date is
said, never read as this week), a human placeholder in every choice, and list numbers typed
into a step taken off."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from propdesk.core.forms import BoundedInput, WeekField, placeholder
from propdesk.core.templatetags.periods import parse_day, week_key_label, week_label
from propdesk.core.templatetags.steps import strip_number


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_week_reads_as_its_dates():
    assert week_label(dt.date(2026, 12, 2)) == "30 Nov – 6 Dec 2026"  # any day: its week
    assert week_label(dt.date(2026, 11, 30)) == "30 Nov – 6 Dec 2026"
    assert week_label(dt.date(2026, 12, 30)) == "28 Dec 2026 – 3 Jan 2027"  # across years
    assert week_key_label("2026-W49") == "30 Nov – 6 Dec 2026"
    assert week_key_label("not a week") == "not a week"


def test_a_day_or_an_iso_week_is_read_and_anything_else_is_not():
    assert parse_day("2026-12-02") == dt.date(2026, 12, 2)
    assert parse_day("2026-W49") == dt.date(2026, 11, 30)  # old links carry ISO weeks
    for bad in ("2026-13-45", "2026-W60", "last week", "", None, "20261202"):
        assert parse_day(bad) is None


class _WeekForm(BoundedInput, forms.Form):
    week = WeekField(label="Week of", required=False)


def test_the_week_field_is_a_date_input_that_picks_the_week_of_its_day():
    html = str(_WeekForm()["week"])
    assert 'type="date"' in html and 'type="week"' not in html
    form = _WeekForm({"week": "2026-12-03"})
    assert form.is_valid() and form.cleaned_data["week"] == dt.date(2026, 11, 30)
    old_link = _WeekForm({"week": "2026-W49"})
    assert old_link.is_valid() and old_link.cleaned_data["week"] == dt.date(2026, 11, 30)
    assert 'value="2026-11-30"' in str(old_link["week"])  # shown as a date the input can hold


def test_a_bad_date_is_said_next_to_the_field_not_read_as_this_week():
    form = _WeekForm({"week": "2026-13-45"})
    assert not form.is_valid()
    assert form.errors["week"] == ["“2026-13-45” is not a date. Pick any day of the week you want."]
    assert not _WeekForm({"week": "1850-06-01"}).is_valid()  # out of the years served


class _ChoiceForm(BoundedInput, forms.Form):
    plain = forms.ModelChoiceField(queryset=None)
    named = forms.ModelChoiceField(queryset=None, required=False, empty_label="All offices")
    blank = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])


def test_no_choice_reads_dashes():
    form = _ChoiceForm()
    assert form.fields["plain"].empty_label == "Choose…"
    assert form.fields["named"].empty_label == "All offices"  # a form's own words stay
    assert form.fields["blank"].choices[0] == ("", "Choose…")
    placeholder(form.fields["plain"], "Choose a building…")
    placeholder(form.fields["blank"], "Any")
    assert form.fields["plain"].empty_label == "Choose a building…"
    assert form.fields["blank"].choices == [("", "Any"), ("a", "A")]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("1. 上门查看", "上门查看"),
        ("2、断水断电", "断水断电"),
        ("（3）检修更换", "检修更换"),
        ("第4步：试水试电", "试水试电"),
        ("① 清理", "清理"),
        ("Step 2: check", "check"),
        ("1.5米管更换", "1.5米管更换"),  # a measure, not a number
        ("第一次上门", "第一次上门"),
        ("3M胶带", "3M胶带"),
    ],
)
def test_a_number_typed_in_front_of_a_step_is_taken_off(typed, kept):
    assert strip_number(typed) == kept
