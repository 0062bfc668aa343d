"""A complaint is not handled in the Django admin: its state, level and clocks change only
through the complaint services, which write its timeline, tell the people concerned and keep
the recusal of the staff it names. The complaints app has no admin, and nothing posted there
changes a complaint."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from propdesk.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_a_complaints_state_cannot_be_changed_through_the_admin(client, admin_user, file):
    complaint = file()
    before = Complaint.objects.filter(pk=complaint.pk).values().get()
    client.force_login(admin_user)

    response = client.post(
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        {
            "state": Complaint.State.CLOSED,
            "owner": Complaint.Owner.LEADERSHIP,
            "severity": "general",
            "first_response_due_at_0": "2030-01-01",
            "first_response_due_at_1": "08:00:00",
            "_save": "Save",
        },
    )

    assert response.status_code in (403, 404)
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == before


def test_no_complaint_record_is_editable_in_the_admin(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model in apps.get_app_config("complaints").get_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
