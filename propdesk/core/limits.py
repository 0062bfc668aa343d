"""How long free text may be and which dates are believable: one set of numbers for the API's
serializers (``core.serializers``), the console's and the portal's forms (``core.forms``) and
the services that check a date themselves. docs/decisions.md says why these numbers."""

import datetime

# Free text, by kind.
TEXT_LINE = 200  # a title, a name, a one-line subject
TEXT_NOTE = 2000  # a note, a reason, an answer, a confirmation: the default
TEXT_DESCRIPTION = 4000  # what a customer reports, what a complaint is about, an analysis
TEXT_DOCUMENT = 20000  # a notice's body, a Service Guide's section, a report's part

# No date the service center records is before it existed or far in the future; outside this,
# a date is a typing error (year 612, 20260) and is refused rather than stored.
DATE_FLOOR = datetime.date(2000, 1, 1)
DATE_CEILING = datetime.date(2100, 12, 31)
