"""The complaints' API shapes (M17–M20, M23): one serializer per operation.

Inputs check types only (numbers, dates, choices, ids); the rules and their messages are the
services', so a client hears exactly what the console says, naming the same field.

The OpenAPI schema names an enum after the one component that carries it. A complaint's ``state``
and ``category`` are already enums of the hotline's shapes (``CallComplaintRef``), and ``state``
is used by many models, so here they are plain strings whose values the help text lists; each
other choice set appears under one name only (``severity``, ``owner``, ``cause_category``,
``channel``; a plan's and a report's ``state`` each on its own component).

- ``_common``: the values of the choice sets shown as plain strings, and the fields for free
  text, an amount and an id.
- ``listing``: the staff's complaint list, its filters and the fields every complaint shows.
- ``detail``: one complaint in full, as staff see it.
- ``reports``: the corrective action register and one report in full.
- ``inputs``: what staff send, a filed complaint and one shape per action.
- ``customer``: the customer's own complaints, and filing one.
- ``numbers``: how the complaints received in a period went (M19, M23).
"""

from ._common import CATEGORIES, OWNERS, REPORT_STATES, STATES, PlainChoiceField
from .customer import (
    CustomerComplaintAnswerSerializer,
    CustomerComplaintCreateSerializer,
    CustomerComplaintListSerializer,
    CustomerComplaintSerializer,
)
from .detail import (
    ComplaintAnswerSerializer,
    ComplaintEscalationSerializer,
    ComplaintSerializer,
    CorrectiveActionReportRefSerializer,
    CorrectivePlanSerializer,
    PreventiveMeasureSerializer,
)
from .inputs import (
    ComplaintAnswerInputSerializer,
    ComplaintCauseSerializer,
    ComplaintCreateSerializer,
    ComplaintMeasureAddSerializer,
    ComplaintMeasureDoneSerializer,
    ComplaintPlanReportSerializer,
    ComplaintPlanSerializer,
    ComplaintReasonSerializer,
    ComplaintReclassifySerializer,
    ComplaintReportSaveSerializer,
    ComplaintResolveSerializer,
    ComplaintRespondSerializer,
    ComplaintVersionSerializer,
    RecordVersionSerializer,
    ReportReturnSerializer,
)
from .listing import ComplaintFilterSerializer, ComplaintListSerializer
from .numbers import (
    ComplaintNumbersFilterSerializer,
    ComplaintNumbersRowSerializer,
    ComplaintNumbersSerializer,
)
from .reports import (
    CorrectiveActionReportFilterSerializer,
    CorrectiveActionReportListSerializer,
    CorrectiveActionReportSerializer,
)

__all__ = [
    "CATEGORIES",
    "OWNERS",
    "REPORT_STATES",
    "STATES",
    "ComplaintAnswerInputSerializer",
    "ComplaintAnswerSerializer",
    "ComplaintCauseSerializer",
    "ComplaintCreateSerializer",
    "ComplaintEscalationSerializer",
    "ComplaintFilterSerializer",
    "ComplaintListSerializer",
    "ComplaintMeasureAddSerializer",
    "ComplaintMeasureDoneSerializer",
    "RecordVersionSerializer",
    "ReportReturnSerializer",
    "ComplaintNumbersFilterSerializer",
    "ComplaintNumbersRowSerializer",
    "ComplaintNumbersSerializer",
    "ComplaintPlanReportSerializer",
    "ComplaintPlanSerializer",
    "ComplaintReasonSerializer",
    "ComplaintReclassifySerializer",
    "ComplaintReportSaveSerializer",
    "ComplaintResolveSerializer",
    "ComplaintRespondSerializer",
    "ComplaintVersionSerializer",
    "ComplaintSerializer",
    "CorrectiveActionReportFilterSerializer",
    "CorrectiveActionReportListSerializer",
    "CorrectiveActionReportRefSerializer",
    "CorrectiveActionReportSerializer",
    "CorrectivePlanSerializer",
    "CustomerComplaintAnswerSerializer",
    "CustomerComplaintCreateSerializer",
    "CustomerComplaintListSerializer",
    "CustomerComplaintSerializer",
    "PlainChoiceField",
    "PreventiveMeasureSerializer",
]
