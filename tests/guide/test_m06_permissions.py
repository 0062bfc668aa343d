"""M06: who may see and publish an office's Service Guide, on their own office and another."""

import pytest

from propdesk.core.permissions import allowed

ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin_user"]
PUBLISH = {"director", "admin_user"}
COMPANY = {"followup", "quality", "leadership", "admin_user"}


@pytest.mark.parametrize("persona", ROLES)
def test_m06_permission_matrix(request, persona, office, other_office):
    user = request.getfixturevalue(persona)
    assert allowed(user, "guide.view", office)
    assert allowed(user, "guide.publish", office) == (persona in PUBLISH)
    assert allowed(user, "guide.view", other_office) == (persona in COMPANY)
    assert allowed(user, "guide.publish", other_office) == (persona == "admin_user")
