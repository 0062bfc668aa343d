"""API shapes for requests: one input serializer per operation, read serializers for the output.

Input serializers check types only (ints, decimals, ISO datetimes, booleans, choices, records the
caller may see); the business rules and their messages live in ``services``. Text that a rule
requires (an explanation, a reason…) is therefore optional here, so the service's own message
answers the client exactly as it answers the console.

- ``refs``: the small references to a request, a record or a member of staff, and the primary key
  of a record the requesting user may see.
- ``listing``: the request list, its filters and its rows.
- ``detail``: one request in full.
- ``quote_link``: what the customer's one-time quote link shows and takes.
- ``technicians``: the technicians a request may be dispatched to.
- ``inputs``: what staff send, a new request and one shape per action.
- ``revenue``: the revenue report of paid and special services (M24) and its filters.
"""

from .detail import (
    AssignmentSerializer,
    ChecklistStepSerializer,
    ExtensionProposalSerializer,
    ExtensionSerializer,
    QuoteCreatedSerializer,
    QuoteLineSerializer,
    QuoteSerializer,
    TicketContactSerializer,
    TicketDetailSerializer,
    TicketEventSerializer,
)
from .inputs import (
    REQUEST_KINDS,
    ChecklistTickSerializer,
    QuoteAnswerSerializer,
    QuoteCreateSerializer,
    QuoteLineInputSerializer,
    RequestKindField,
    TicketAnswerSerializer,
    TicketCompleteSerializer,
    TicketConfirmSerializer,
    TicketContactCreateSerializer,
    TicketCreateSerializer,
    TicketCustomerConfirmSerializer,
    TicketDeclineSerializer,
    TicketDispatchSerializer,
    TicketExtendSerializer,
    TicketProposeExtensionSerializer,
    TicketReasonSerializer,
    TicketReworkSerializer,
    TicketTransferSerializer,
    TicketVersionSerializer,
)
from .listing import StatusListField, TicketFilterSerializer, TicketListSerializer
from .quote_link import (
    PublicQuoteAnswerSerializer,
    PublicQuoteLineSerializer,
    PublicQuoteSerializer,
)
from .refs import (
    TicketNamedRefSerializer,
    TicketRefSerializer,
    TicketStaffRefSerializer,
    VisiblePrimaryKeyField,
)
from .revenue import RevenueFilterSerializer, RevenueReportSerializer
from .technicians import TechnicianFilterSerializer, TechnicianSerializer

__all__ = [
    "REQUEST_KINDS",
    "AssignmentSerializer",
    "ChecklistStepSerializer",
    "ChecklistTickSerializer",
    "ExtensionProposalSerializer",
    "ExtensionSerializer",
    "PublicQuoteAnswerSerializer",
    "PublicQuoteLineSerializer",
    "PublicQuoteSerializer",
    "QuoteAnswerSerializer",
    "QuoteCreateSerializer",
    "QuoteCreatedSerializer",
    "QuoteLineInputSerializer",
    "QuoteLineSerializer",
    "QuoteSerializer",
    "RequestKindField",
    "RevenueFilterSerializer",
    "RevenueReportSerializer",
    "StatusListField",
    "TechnicianFilterSerializer",
    "TechnicianSerializer",
    "TicketAnswerSerializer",
    "TicketCompleteSerializer",
    "TicketConfirmSerializer",
    "TicketContactCreateSerializer",
    "TicketContactSerializer",
    "TicketCreateSerializer",
    "TicketCustomerConfirmSerializer",
    "TicketDeclineSerializer",
    "TicketDetailSerializer",
    "TicketDispatchSerializer",
    "TicketEventSerializer",
    "TicketExtendSerializer",
    "TicketFilterSerializer",
    "TicketListSerializer",
    "TicketNamedRefSerializer",
    "TicketProposeExtensionSerializer",
    "TicketReasonSerializer",
    "TicketRefSerializer",
    "TicketReworkSerializer",
    "TicketStaffRefSerializer",
    "TicketTransferSerializer",
    "TicketVersionSerializer",
    "VisiblePrimaryKeyField",
]
