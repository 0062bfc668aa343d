"""The board's part of the permission table (``core.permissions.ACTIONS``), registered in
``BoardConfig.ready()``."""

from propdesk.org.models import Role

ACTIONS = {
    # M25: the office's own board for its desk and director; every office's and the company's
    # for the company's roles. Technicians work from "my work" and have no board.
    "board.view": {
        Role.AGENT,
        Role.DIRECTOR,
        Role.FOLLOWUP,
        Role.QUALITY,
        Role.LEADERSHIP,
        Role.ADMIN,
    },
    "board.view_company": {Role.FOLLOWUP, Role.QUALITY, Role.LEADERSHIP, Role.ADMIN},
    # The targets are company settings, kept by the Quality Management Department.
    "board.set_target": {Role.QUALITY, Role.ADMIN},
}
