"""Every change to a request goes through one of these functions.

Each is atomic, checks the actor's permission and the lifecycle table, locks the request row,
refuses a change made against an older version (409), saves with ``update_fields``, and writes
its timeline event; django-simple-history keeps the audit row. Views, the API, tasks and
commands all call these; none re-implements them.

- ``_common``: what they share: the checks on what was entered, money, the locked row and its
  version, the lifecycle check, the move with its timeline event, the contacts-log entry.
- ``intake``: receiving a request, by staff on any channel or by the customer in the portal;
  the request behind a complaint, hidden from the staff it is about and moved with it.
- ``triage``: before service (M08): confirmed with the customer, answered, or declined.
- ``quotes``: fees (M10): the quote and the customer's answer, by link, portal or staff.
- ``dispatch``: the work order sent to a technician, transferred, or handed back.
- ``work``: the work (M11): started, its steps ticked off, completed with the final charge.
- ``deadlines``: deadlines (M09): extended with the customer's agreement, or proposed to them.
- ``closing``: the customer's confirmation, rework (M15, also asked for by the customer in the
  portal), and cancelling.
- ``contacts``: the contacts log (M01, M04).
"""

from ._common import MAX_AMOUNT, MAX_QUANTITY, MONEY
from .closing import (
    PORTAL_REWORK_DAYS,
    REWORK_DUE_HOURS,
    customer_may_rework,
    rework_open,
    rework_open_by_customer,
    ticket_cancel,
    ticket_customer_confirm,
)
from .contacts import contact_log, contact_record
from .deadlines import extension_answer_by_customer, extension_propose, ticket_extend
from .dispatch import ticket_dispatch, ticket_hand_back, ticket_transfer
from .intake import (
    DEFAULT_DUE_HOURS,
    MAX_PHOTOS,
    attach_photos,
    checked_photos,
    ticket_create,
    ticket_create_by_customer,
    ticket_follow_complaint,
    ticket_receive_complaint,
    ticket_recuse,
)
from .quotes import (
    QUOTE_VALID_HOURS,
    quote_answer_by_customer,
    quote_answer_by_link,
    quote_create,
    quote_record_answer,
    token_hash,
)
from .triage import ticket_answer, ticket_confirm, ticket_decline
from .work import checklist_tick, ticket_complete, ticket_start

__all__ = [
    "DEFAULT_DUE_HOURS",
    "MAX_AMOUNT",
    "MAX_PHOTOS",
    "MAX_QUANTITY",
    "MONEY",
    "PORTAL_REWORK_DAYS",
    "QUOTE_VALID_HOURS",
    "REWORK_DUE_HOURS",
    "attach_photos",
    "checked_photos",
    "checklist_tick",
    "contact_log",
    "contact_record",
    "customer_may_rework",
    "extension_answer_by_customer",
    "extension_propose",
    "quote_answer_by_customer",
    "quote_answer_by_link",
    "quote_create",
    "quote_record_answer",
    "rework_open",
    "rework_open_by_customer",
    "ticket_answer",
    "ticket_cancel",
    "ticket_complete",
    "ticket_confirm",
    "ticket_create",
    "ticket_create_by_customer",
    "ticket_customer_confirm",
    "ticket_decline",
    "ticket_dispatch",
    "ticket_extend",
    "ticket_follow_complaint",
    "ticket_hand_back",
    "ticket_receive_complaint",
    "ticket_recuse",
    "ticket_start",
    "ticket_transfer",
    "token_hash",
]
