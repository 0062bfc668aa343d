"""Complaints' part of the permission table (``core.permissions.ACTIONS``), registered in
``ComplaintsConfig.ready()``. Not to be confused with ``complaints.rules``, which narrows these
by the level a complaint is at."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)
BUT_TECHNICIANS = EVERYONE - {Role.TECHNICIAN}  # the desk and the company

ACTIONS = {
    # Complaints (M17–M20, M23). The level a complaint is at narrows these further
    # (complaints.rules): the office handles its own, Quality and leadership the company's.
    "complaint.view": BUT_TECHNICIANS,
    "complaint.file": BUT_TECHNICIANS,
    # respond, resolve, cause, measures, close
    "complaint.handle": {Role.AGENT, Role.DIRECTOR, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
    "complaint.escalate": {Role.AGENT, Role.DIRECTOR, Role.QUALITY, Role.ADMIN},
    "complaint.reclassify": {Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
    # issue, accept or return a corrective plan
    "complaint.plan": {Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
    # the office reports the plan carried out
    "complaint.report": {Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "complaint.answer": BUT_TECHNICIANS,
    "measure.done": EVERYONE,  # the measure's owner marks it done
    "report.view": EVERYONE,  # the corrective action register is read company-wide
    "report.edit": {Role.AGENT, Role.DIRECTOR, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
    "report.approve": {Role.QUALITY, Role.ADMIN},  # never one's own
}
