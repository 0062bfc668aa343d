"""The board's one change of state: a measure's target, set by the Quality Management
Department (M25). Its earlier values stay in the audit history (django-simple-history)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from propdesk.core.errors import DomainError, NotFound
from propdesk.core.lifecycle import check_version
from propdesk.core.measures import PERCENT
from propdesk.core.measures import measure as find_measure
from propdesk.core.permissions import require

from .models import Target

LIMIT = Decimal("1000000000")  # well above any yuan target, below the column's size


def _clean(measure, value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter a number."), code="invalid", field="value") from None
    if not value.is_finite() or abs(value) >= LIMIT:
        raise DomainError(_("Enter a number."), code="invalid", field="value")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("Use at most two decimal places."), code="too_precise", field="value")
    if measure.unit == PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise DomainError(
            _("A percentage lies between 0 and 100."), code="out_of_range", field="value"
        )
    return value


@transaction.atomic
def target_set(
    *,
    actor,
    measure: str,
    value,
    reason: str = "",
    version: int | None = None,
    now: dt.datetime,
) -> Target:
    """Set the company's target for ``measure`` (empty: no target, shown without colour).
    ``version`` is the one the person saw (the first change of a manual default sends none or
    0); a target changed meanwhile is refused."""
    require(actor, "board.set_target")
    found = find_measure(measure)
    if found is None:
        raise NotFound(_("There is no such measure."), code="unknown_measure", field="measure")
    value = _clean(found, value)
    reason = (reason or "").strip()[:300]
    target = Target.objects.select_for_update().filter(measure=measure).first()
    if target is None:
        if version:
            check_version(Target(version=0), version)
        target = Target(
            measure=measure, value=value, reason=reason, changed_by=actor, changed_at=now
        )
        target._history_user = actor
        try:
            with transaction.atomic():  # someone setting the same first target at once wins
                target.save()
        except IntegrityError:
            check_version(Target(version=1), 0)
        return target
    check_version(target, version)
    target.value, target.reason = value, reason
    target.changed_by, target.changed_at = actor, now
    target.version += 1
    target._history_user = actor
    target.save(update_fields=["value", "reason", "changed_by", "changed_at", "version"])
    return target
