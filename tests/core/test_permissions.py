"""The permission matrix: every role × every action × own office / other office.

The expected table is written out here by hand, from the service manual's division of work, so
that a change to ``core.permissions`` that widens or narrows a role shows up as a failing test.
"""

import pytest

from propdesk.core.permissions import ACTIONS, allowed
from propdesk.org.models import Role
from propdesk.tickets.models import Ticket
from tests import factories as f

ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin"]

# action: roles allowed on their own office's record (company roles: on any office's record)
EXPECTED = {
    "ticket.view": set(ROLES),
    "ticket.create": {"agent", "director", "followup", "quality", "admin"},
    "ticket.confirm": {"agent", "director", "admin"},
    "ticket.answer": {"agent", "director", "followup", "quality", "admin"},
    "ticket.decline": {"agent", "director", "admin"},
    "ticket.quote": {"agent", "director", "admin"},
    "ticket.record_acceptance": {"agent", "director", "admin"},
    "ticket.dispatch": {"agent", "director", "admin"},
    "ticket.transfer": {"agent", "director", "admin"},
    "ticket.hand_back": {"agent", "technician", "director", "admin"},
    "ticket.work": {"technician", "director", "admin"},
    "ticket.extend": {"agent", "technician", "director", "admin"},
    "ticket.complete": {"technician", "director", "admin"},
    "ticket.record_satisfaction": {"agent", "director", "followup", "quality", "admin"},
    "ticket.cancel": {"agent", "director", "admin"},
    "contact.record": set(ROLES),
    "rework.open": {"agent", "director", "followup", "quality", "admin"},
    # M24 revenue report: as the board's revenue figure, all but technicians.
    "revenue.view": set(ROLES) - {"technician"},
    "followup.view": {"agent", "director", "followup", "quality", "leadership", "admin"},
    "followup.record": {"followup", "admin"},
    "defect.view": set(ROLES),
    "defect.inspect": {"agent", "technician", "director", "admin"},
    "defect.assign": {"director", "admin"},
    "defect.close": {"director", "admin"},
    "notice.view": set(ROLES),
    "notice.edit": {"agent", "director", "quality", "admin"},
    "notice.publish": {"director", "quality", "admin"},
    "guide.view": set(ROLES),
    "guide.publish": {"director", "admin"},
    "complaint.view": set(ROLES) - {"technician"},
    "complaint.file": set(ROLES) - {"technician"},
    "complaint.handle": {"agent", "director", "quality", "leadership", "admin"},
    "complaint.escalate": {"agent", "director", "quality", "admin"},
    "complaint.reclassify": {"quality", "leadership", "admin"},
    "complaint.plan": {"quality", "leadership", "admin"},
    "complaint.report": {"agent", "director", "admin"},
    "complaint.answer": set(ROLES) - {"technician"},
    "measure.done": set(ROLES),
    "report.view": set(ROLES),
    "report.edit": {"agent", "director", "quality", "leadership", "admin"},
    "report.approve": {"quality", "admin"},
    "activity.view": set(ROLES),
    "activity.edit": {"agent", "director", "admin"},
    "activity.publish": {"director", "admin"},
    "activity.register": {"agent", "director", "admin"},
    "activity.feedback": {"agent", "director", "followup", "admin"},
    "customer.view": set(ROLES),
    "customer.edit": {"agent", "director", "admin"},
    "customer.import": {"director", "admin"},
    # the technician: only on his own open work order (test_permission_matrix_phones.py)
    "customer.see_phone": {"agent", "technician", "director", "followup", "quality", "admin"},
    "catalog.view": set(ROLES),
    "catalog.edit": {"director", "admin"},
    "call.log": {"agent", "director", "admin"},
    "roster.edit": {"director", "admin"},
    "staff.unlock": {"admin"},
    "staff.revoke": {"admin"},
    "portal_account.unlock": {"agent", "director", "admin"},
    # M16 surveys: the company (Quality) runs them, offices hand out, collect and follow up.
    "survey.view": {"admin", "agent", "director", "followup", "leadership", "quality"},
    "survey.manage": {"admin", "quality"},
    "survey.remind": {"admin", "director", "quality"},
    "survey.enter": {"admin", "agent", "director", "followup", "quality"},
    "survey.analyse": {"admin", "director", "quality"},
    "survey.reply": {"admin", "director", "quality"},
    "survey.followup": {"admin", "agent", "director", "followup", "quality"},
    # M21 forum: the desk routes and answers; Quality keeps the word list.
    "forum.view": {"admin", "agent", "director", "followup", "leadership", "quality", "technician"},
    "forum.route": {"admin", "agent", "director", "followup", "quality"},
    "forum.answer": {"admin", "agent", "director", "followup", "leadership", "quality"},
    "forum.moderate": {"admin", "director", "quality"},
    "forum.convert": {"admin", "agent", "director", "followup", "quality"},
    "forum.words": {"admin", "quality"},
    "forum.measure": {"admin", "director", "followup", "leadership", "quality"},
    # M22 owners' committees: the office keeps them; the director decides opinions.
    "committee.view": {
        "admin",
        "agent",
        "director",
        "followup",
        "leadership",
        "quality",
        "technician",
    },
    "committee.edit": {"admin", "agent", "director"},
    "meeting.record": {"admin", "agent", "director"},
    "meeting.cancel": {"admin", "director"},
    "item.decide": {"admin", "director"},
    "action.update": {"admin", "agent", "director", "technician"},
    "action.verify": {"admin", "director", "quality"},
    # M25 compliance board: all but technicians; the company's board for company roles.
    "board.view": {"admin", "agent", "director", "followup", "leadership", "quality"},
    "board.view_company": {"admin", "followup", "leadership", "quality"},
    "board.set_target": {"admin", "quality"},
    "board.reports": {"admin", "director", "followup", "leadership", "quality"},
    "board.report_regenerate": {"admin", "quality"},
}
COMPANY = {"followup", "quality", "leadership", "admin"}


@pytest.fixture
def people(db, office, other_office):
    def person(role):
        r = Role.LEADERSHIP if role == "leadership" else Role(role)
        return f.UserFactory(
            role=r, office=None if role in COMPANY else office, is_superuser=role == "admin"
        )

    return {role: person(role) for role in ROLES}


def test_the_matrix_names_every_action():
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(people, office, other_office, action):
    for role, user in people.items():
        own = Ticket(
            office=office, assignee=user
        )  # assigned to him: the technician's own work order
        other = Ticket(office=other_office, assignee=user)
        expected_own = role in EXPECTED[action]
        expected_other = expected_own and role in COMPANY
        assert allowed(user, action, own) is expected_own, (role, action, "own office")
        assert allowed(user, action, other) is expected_other, (role, action, "other office")


@pytest.mark.parametrize(
    "action", ["ticket.work", "ticket.complete", "ticket.hand_back", "ticket.extend"]
)
def test_technician_acts_only_on_his_own_work_orders(people, office, technician2, action):
    tech = people["technician"]
    assert allowed(tech, action, Ticket(office=office, assignee=tech))
    assert not allowed(tech, action, Ticket(office=office, assignee=technician2))
    assert not allowed(tech, action, Ticket(office=office, assignee=None))


def test_inactive_or_anonymous_users_may_do_nothing(people, office):
    from django.contrib.auth.models import AnonymousUser

    user = people["admin"]
    user.is_active = False
    assert not allowed(user, "ticket.view", Ticket(office=office))
    assert not allowed(AnonymousUser(), "ticket.view", Ticket(office=office))


def test_rules_backend_answers_the_same(people, office):
    assert people["agent"].has_perm("propdesk.ticket.dispatch", Ticket(office=office))
    assert not people["technician"].has_perm("propdesk.ticket.dispatch", Ticket(office=office))
