from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core import serializers
from propdesk.core.params import parse_id

from . import selectors
from .models import Department, Office, User


class OfficeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "name", "code", "address"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "kind", "office"]


class StaffSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "role",
            "role_display",
            "office",
            "department",
            "phone",
        ]


class OfficeList(generics.ListAPIView):
    serializer_class = OfficeSerializer

    def get_queryset(self):
        return selectors.offices_for(self.request.user).order_by("code")


class DepartmentList(generics.ListAPIView):
    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return selectors.departments_for(self.request.user).order_by("kind", "pk")


class StaffList(generics.ListAPIView):
    """Active staff the caller may see; filter with ``?role=technician&office=<id>``."""

    serializer_class = StaffSerializer

    def get_queryset(self):
        params = self.request.query_params
        office = params.get("office")
        return selectors.staff_for(
            self.request.user,
            role=params.get("role") or None,
            office_id=parse_id(office),
        )


class Me(APIView):
    @extend_schema(responses=StaffSerializer, summary="The signed-in staff member")
    def get(self, request):
        return Response(StaffSerializer(request.user).data)
