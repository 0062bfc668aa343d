"""After service's part of the permission table (``core.permissions.ACTIONS``), registered in
``AftercareConfig.ready()``. Rework itself is opened by the request loop (``rework.open``, in
``tickets.permissions``)."""

from propdesk.org.models import Role

EVERYONE = frozenset(Role)
BUT_TECHNICIANS = EVERYONE - {Role.TECHNICIAN}  # the desk and the company

ACTIONS = {
    # After service (M13–M15): follow-up calls, defect watches, rework
    "followup.view": BUT_TECHNICIANS,
    "followup.record": {Role.FOLLOWUP, Role.ADMIN},  # outcomes of the calls assigned to them
    "defect.view": EVERYONE,
    # the watch's designated person records
    "defect.inspect": {Role.TECHNICIAN, Role.AGENT, Role.DIRECTOR, Role.ADMIN},
    "defect.assign": {Role.DIRECTOR, Role.ADMIN},  # choose the designated person, change the plan
    "defect.close": {Role.DIRECTOR, Role.ADMIN},  # close a watch early, with a reason
}
