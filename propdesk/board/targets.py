"""Targets and the one decision of red or green (M25).

A measure's target is the company's (``Target``) where the Quality Management Department set
one, else the manual's value its app registered (``core.measures``)."""

from decimal import Decimal

from propdesk.core.measures import Measure, measures

from .models import Target

GREEN, RED, NONE = "green", "red", "none"


def targets() -> dict[str, Decimal | None]:
    """Every registered measure's target now, in one query."""
    table = {m.key: m.target for m in measures()}
    for key, value in Target.objects.filter(measure__in=table).values_list("measure", "value"):
        table[key] = value
    return table


def judge(measure: Measure, value: Decimal | None, target: Decimal | None) -> str:
    """Red or green: the figure against its target, in the measure's direction. Nothing to
    judge (no cases in the period) or no target set: neither."""
    if value is None or target is None:
        return NONE
    met = value >= target if measure.higher_is_better else value <= target
    return GREEN if met else RED
