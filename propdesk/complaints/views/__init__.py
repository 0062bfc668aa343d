"""Console pages of complaints (M17–M20, M23): the complaint desk (an office's, and the company's
for Quality and leadership), intake, a complaint with one small form per action the person may
take now, the corrective action reports and their register, and one's own preventive measures.

Thin: selector → form → service → redirect with a message; when the service refuses, the page
again with its message and its status (400, 403, 409), nothing changed.

- ``_common``: what the pages share: the page size, the page that says no, whether the person
  still sees a complaint, a service's refusal on a form, and where to go after a change.
- ``clocks``: a complaint's first-response and resolution clocks (M19, M23).
- ``desk``: the complaint desk, with its tabs and the filters it opens on.
- ``numbers``: how the complaints received in a period went (M19, M23).
- ``intake``: filing a complaint for a customer (M17).
- ``actions``: the actions on a complaint, one small form each, and the service each runs.
- ``detail``: a complaint's page, the views its forms post to, and closing it.
- ``measures``: one's own preventive measures, and marking one done (M20).
- ``reports``: corrective action reports, their approval, and the register (M20).
"""

from ._common import PAGE_SIZE
from .actions import ACTIONS, URL_NAMES, Action, Situation
from .clocks import Clock
from .desk import DESK_OWNER, TABS, complaint_list
from .detail import (
    complaint_answer,
    complaint_cause,
    complaint_close,
    complaint_detail,
    complaint_escalate,
    complaint_measure,
    complaint_plan,
    complaint_reclassify,
    complaint_resolve,
    complaint_respond,
    plan_accept,
    plan_report,
    plan_return,
)
from .intake import CUSTOMER_SEARCH_LIMIT, complaint_new
from .measures import measure_done, measure_list
from .numbers import complaint_numbers
from .reports import (
    complaint_report,
    report_approve,
    report_detail,
    report_register,
    report_return,
    report_submit,
)

__all__ = [
    "ACTIONS",
    "CUSTOMER_SEARCH_LIMIT",
    "DESK_OWNER",
    "PAGE_SIZE",
    "TABS",
    "URL_NAMES",
    "Action",
    "Clock",
    "Situation",
    "complaint_answer",
    "complaint_cause",
    "complaint_close",
    "complaint_detail",
    "complaint_escalate",
    "complaint_list",
    "complaint_measure",
    "complaint_new",
    "complaint_numbers",
    "complaint_plan",
    "complaint_reclassify",
    "complaint_report",
    "complaint_resolve",
    "complaint_respond",
    "measure_done",
    "measure_list",
    "plan_accept",
    "plan_report",
    "plan_return",
    "report_approve",
    "report_detail",
    "report_register",
    "report_return",
    "report_submit",
]
