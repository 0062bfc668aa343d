"""What after service writes on a request's timeline (registered with ``tickets.events``)."""

from django.utils.translation import gettext_lazy as _

# M14: the watch of a major-defect repair (internal: staff read these).
KINDS = {
    "defect_watch_opened": _("Major defect: result watched with periodic inspections"),
    "inspection_done": _("Defect inspection recorded"),
    "defect_watch_changed": _("Defect watch: designated person or plan changed"),
    "defect_watch_closed": _("Defect watch closed"),
}
