"""References: the small shapes that name a request, a record or a member of staff inside
another shape, and the primary key of a record the requesting user may see."""

from propdesk.core import serializers

from ..models import Ticket


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key of a record the requesting user may see (through the owning app's selector);
    another office's record answers 400 "does not exist" on the field, like a missing one."""

    def __init__(self, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.visible(self.context["request"].user)


class TicketNamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class TicketStaffRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)


class TicketRefSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "number", "status", "status_display"]
