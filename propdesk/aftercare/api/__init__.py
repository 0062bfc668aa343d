"""After service's REST API (M13–M15), one module per part, each with its own routes, which
``api_urls`` gathers: ``followups`` (the weekly follow-up sample and its calls, M13),
``defects`` (the major-defect watch, M14), ``rework`` (the rework board, M15, and the weekly
measures). Thin: reads through ``selectors``, every write one service call."""

from .defects import DefectWatchViewSet
from .followups import FollowupBatchViewSet, FollowupCallViewSet
from .rework import ReworkBoardList, WeeklyMeasureList

__all__ = [
    "DefectWatchViewSet",
    "FollowupBatchViewSet",
    "FollowupCallViewSet",
    "ReworkBoardList",
    "WeeklyMeasureList",
]
