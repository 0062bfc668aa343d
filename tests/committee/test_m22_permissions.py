"""M22 permission matrix: role × action × whose committee (own office, another office)."""

import pytest

from propdesk.core.permissions import allowed
from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin"]
# action → the roles that may take it on their own office's committee.
MATRIX = {
    "committee.view": set(ROLES),
    "committee.edit": {"agent", "director", "admin"},
    "meeting.record": {"agent", "director", "admin"},
    "meeting.cancel": {"director", "admin"},
    "item.decide": {"director", "admin"},
    "action.update": {"agent", "technician", "director", "admin"},
    "action.verify": {"director", "quality", "admin"},
}
COMPANY = {"followup", "quality", "leadership", "admin"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_m22_permission_matrix(role, action, committee, other_committee, office):
    user = f.UserFactory(role=role, office=None if role in COMPANY else office)
    own = role in MATRIX[action]
    assert allowed(user, action, committee) is own
    # Another office's committee: only company roles reach it.
    assert allowed(user, action, other_committee) is (own and role in COMPANY)
