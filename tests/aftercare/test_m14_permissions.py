"""M14: who may do what to a defect watch, role by role, through the API (the services decide).

Recording: the designated person, or the office's director or the administrator. Reassigning
and closing early: the director and the administrator. Reading: everyone who sees the office.
"""

import pytest

from propdesk.aftercare.services import defects
from propdesk.org.models import Role
from tests import factories as f

from . import test_m14_services as shared

# The shared fixtures: a watched repair of a major defect.
leak_item = shared.leak_item
repaired = shared.repaired
watch = shared.watch


URL = "/api/v1/defect-watches/"

# role → (may read, may record while not designated, may reassign, may close)
MATRIX = {
    "agent": (True, False, False, False),
    "technician": (True, False, False, False),
    "director": (True, True, True, True),
    "followup": (True, False, False, False),
    "quality": (True, False, False, False),
    "leadership": (True, False, False, False),
    "admin_user": (True, True, True, True),
    "other_director": (False, False, False, False),  # another office: not found at all
}


@pytest.fixture
def other_director(other_office):
    return f.UserFactory(username="other_director", role=Role.DIRECTOR, office=other_office)


@pytest.fixture
def designated(watch, director, technician2):
    """The watch handed to someone else, so that the roles above are not designated."""
    defects.watch_reassign(actor=director, watch=watch, watcher=technician2)
    return watch


@pytest.mark.parametrize("who", list(MATRIX))
def test_m14_permission_matrix(api, request, designated, technician2, who):
    may_read, may_record, may_reassign, may_close = MATRIX[who]
    user = request.getfixturevalue(who)
    api.force_authenticate(user)
    watch = designated
    hidden = 404

    assert api.get(f"{URL}{watch.pk}/").status_code == (200 if may_read else hidden)

    response = api.post(
        f"{URL}{watch.pk}/reassign/",
        {"watcher": technician2.pk, "interval_days": 20},
        format="json",
    )
    assert response.status_code == (200 if may_reassign else 403 if may_read else hidden)

    response = api.post(
        f"{URL}{watch.pk}/inspections/1/record/",
        {"findings": "无渗漏", "result": "clean"},
        format="json",
    )
    assert response.status_code == (200 if may_record else 403 if may_read else hidden)

    response = api.post(f"{URL}{watch.pk}/close/", {"reason": "业主要求"}, format="json")
    assert response.status_code == (200 if may_close else 403 if may_read else hidden)


def test_m14_the_designated_technician_may_record_but_not_reassign_or_close(
    api, designated, technician2
):
    api.force_authenticate(technician2)
    watch = designated
    response = api.post(
        f"{URL}{watch.pk}/inspections/1/record/",
        {"findings": "无渗漏", "result": "clean"},
        format="json",
    )
    assert response.status_code == 200
    response = api.post(f"{URL}{watch.pk}/reassign/", {"watcher": technician2.pk}, format="json")
    assert response.status_code == 403
    assert api.post(f"{URL}{watch.pk}/close/", {"reason": "x"}, format="json").status_code == 403
