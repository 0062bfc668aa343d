"""The technicians a request may be dispatched to, with their open work orders."""

from django.utils.translation import gettext_lazy as _

from propdesk.core import serializers
from propdesk.org.models import User

from .refs import TicketNamedRefSerializer


class TechnicianSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    office = TicketNamedRefSerializer(read_only=True)
    open_jobs = serializers.IntegerField(
        read_only=True, help_text=_("Work orders dispatched to or in progress with them.")
    )

    class Meta:
        model = User
        fields = ["id", "name", "phone", "office", "open_jobs"]


class TechnicianFilterSerializer(serializers.Serializer):
    office = serializers.IntegerField(required=False, min_value=1)
