from rest_framework import serializers  # noqa: TID251 (the floor is bare DRF on purpose)
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Request

KINDS = ["repair", "complaint", "consultation", "cleaning"]
CHANNELS = ["hotline", "walk_in", "portal", "wechat"]


class RequestSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(KINDS)
    channel = serializers.ChoiceField(CHANNELS)
    customer = serializers.IntegerField(source="customer_id", min_value=1)
    household = serializers.IntegerField(source="household_id", min_value=1, required=False)
    item = serializers.IntegerField(source="item_id", min_value=1, required=False)

    class Meta:
        model = Request
        fields = [
            "id",
            "number",
            "created_at",
            "status",
            "priority",
            "kind",
            "channel",
            "customer",
            "household",
            "item",
            "description",
        ]
        read_only_fields = ["id", "number", "created_at", "status", "priority"]


class RequestCreate(APIView):
    """``POST /api/v1/tickets/``: validate, insert one row, answer 201 with it."""

    def post(self, request):
        serializer = RequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(created_by_id=request.user.pk)
        return Response(serializer.data, status=201)
