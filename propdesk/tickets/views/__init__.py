"""Console pages for requests, the technician's work order, and the customer's quote link.

Thin views: selector → form → service → redirect (PRG), or re-render with the service's message
and its status (400, 403, 404, 409) when the service refuses.

- ``listing``: the request list, which is also "my work".
- ``new``: a new request, from finding the customer to receiving it.
- ``actions``: the actions on a request, one form each, and the ``commands`` function each runs.
- ``detail``: one request's page and an action posted from it or from the work order.
- ``workorder``: the technician's work order on a phone, and a step ticked on it in place.
- ``quote_link``: the customer's one-time quote link (no login).
- ``revenue``: the revenue report of paid and special services (M24) and its spreadsheet.
"""

from .actions import ACTIONS, NOT_IN_PANEL, WORKORDER_ACTIONS, Action, available_actions
from .detail import PAGE_TEMPLATES, ticket_action, ticket_detail
from .listing import ticket_list
from .new import CUSTOMER_SEARCH_LIMIT, ticket_customer_search, ticket_new
from .quote_link import quote_public
from .revenue import revenue_export, revenue_page
from .workorder import workorder, workorder_tick

__all__ = [
    "ACTIONS",
    "CUSTOMER_SEARCH_LIMIT",
    "NOT_IN_PANEL",
    "PAGE_TEMPLATES",
    "WORKORDER_ACTIONS",
    "Action",
    "available_actions",
    "quote_public",
    "revenue_export",
    "revenue_page",
    "ticket_action",
    "ticket_customer_search",
    "ticket_detail",
    "ticket_list",
    "ticket_new",
    "workorder",
    "workorder_tick",
]
