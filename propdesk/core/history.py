"""Audit history as every app declares it: ``history = HistoricalRecords()`` from here.

django-simple-history's own, with one difference: the manager behind ``Model.history`` (which
simple_history also reads each time it writes a history row) is made once per model, not on
every access. simple_history builds it with Django's ``Manager.from_queryset``, which makes a new
class each time by inspecting every method of the queryset: a quarter of a millisecond for every
row of history written, some 2 s of the demo's build (docs/benchmarks.md).
"""

from simple_history.manager import HistoryManager as _HistoryManager
from simple_history.models import HistoricalRecords as _HistoricalRecords

_MANAGER_CLASSES: dict = {}


class HistoryManager(_HistoryManager):
    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        made = _MANAGER_CLASSES.get(key)
        if made is None:
            made = _MANAGER_CLASSES[key] = super().from_queryset(queryset_class, class_name)
        return made


class HistoricalRecords(_HistoricalRecords):
    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
