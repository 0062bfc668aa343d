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
    # The monthly PDF reports: a director reads his office's, the company's roles every one.
    "board.reports": {
        Role.DIRECTOR,
        Role.FOLLOWUP,
        Role.QUALITY,
        Role.LEADERSHIP,
        Role.ADMIN,
    },
    # Making a past month's report again, from the figures as they stand now.
    "board.report_regenerate": {Role.QUALITY, Role.ADMIN},
}
