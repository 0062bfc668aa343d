"""REST API for customers, households, addresses and the roster import.

Thin: selectors read (office-scoped: another office's record is a 404), services write, and a
DomainError becomes the shared JSON error through the global exception handler.
"""

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.errors import DomainError, NotFound

from . import roster_uploads, selectors, services
from .models import Building, Community, Customer, Household, Unit
from .serializers import (
    BuildingSerializer,
    CommunitySerializer,
    CustomerCreateSerializer,
    CustomerHouseholdLinkSerializer,
    CustomerHouseholdSerializer,
    CustomerPhoneCreateSerializer,
    CustomerPhoneSerializer,
    CustomerRosterConfirmSerializer,
    CustomerRosterImportSerializer,
    CustomerRosterUploadSerializer,
    CustomerSerializer,
    CustomerUpdateSerializer,
    HouseholdSerializer,
    UnitSerializer,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS = {
    400: OpenApiResponse(description="Invalid input: code, detail and the field at fault."),
    404: OpenApiResponse(description="No such record, or another office's."),
}
VERSION_ERRORS = {
    409: OpenApiResponse(description="Someone changed the customer since the version sent."),
    428: OpenApiResponse(description="No version sent (`version` or If-Match)."),
}
Q_PARAM = OpenApiParameter(
    "q", str, description="Name prefix, phone number, or building-room (3栋-1001)."
)


def _ref(getter, user, pk, field: str):
    """A record named in the request body: another office's is "not found", naming the field."""
    try:
        return getter(user, pk)
    except NotFound:
        raise NotFound(field=field) from None


def _office(user, office_id):
    if office_id is not None:
        office = selectors.offices_for(user).filter(pk=office_id).first()
        if office is None:
            raise NotFound(field="office")
        return office
    if user.office is None:
        raise DomainError(_("Choose the office."), code="required", field="office")
    return user.office


class CustomerViewSet(viewsets.GenericViewSet):
    queryset = Customer.objects.none()  # for the schema; requests read through the selectors
    serializer_class = CustomerSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.customer_list(self.request.user, self.request.query_params.get("q", ""))

    @extend_schema(parameters=[Q_PARAM], responses=CustomerSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            CustomerSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=CustomerCreateSerializer, responses={201: CustomerSerializer, **ERRORS})
    def create(self, request):
        data = validated(CustomerCreateSerializer, request.data, request=request)
        user = request.user
        office = _office(user, data.pop("office", None))
        household = unit = None
        if "household" in data:
            household = _ref(selectors.household_get, user, data.pop("household"), "household")
        if "unit" in data:
            unit_id = data.pop("unit")
            unit = selectors.units_for(user).filter(pk=unit_id).first()
            if unit is None:
                raise NotFound(field="unit")
        customer = services.customer_create(
            actor=user, office=office, household=household, unit=unit, **data
        )
        customer = selectors.customer_get(user, customer.pk)
        return Response(
            CustomerSerializer(customer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _detail(self, pk) -> Response:
        customer = selectors.customer_get(self.request.user, pk)
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(
            CustomerSerializer(customer, context={"request": self.request}).data,
            headers={"ETag": f'"{customer.version}"'},
        )

    @extend_schema(responses={200: CustomerSerializer, 404: ERRORS[404]})
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request=CustomerUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: CustomerSerializer, **ERRORS, **VERSION_ERRORS},
    )
    def partial_update(self, request, pk=None):
        customer = selectors.customer_get(request.user, pk)
        data = validated(CustomerUpdateSerializer, request.data, request=request, partial=True)
        version = expected_version(request, data)
        data.pop("version", None)
        services.customer_update(
            actor=request.user, customer=customer, expected_version=version, **data
        )
        return self._detail(pk)

    @extend_schema(
        request=CustomerPhoneCreateSerializer, responses={201: CustomerPhoneSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="phones")
    def phones(self, request, pk=None):
        customer = selectors.customer_get(request.user, pk)
        data = validated(CustomerPhoneCreateSerializer, request.data, request=request)
        phone = services.customer_add_phone(actor=request.user, customer=customer, **data)
        return Response(
            CustomerPhoneSerializer(phone, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=None,
        responses={204: None, 404: ERRORS[404], 409: OpenApiResponse(description="Last number.")},
    )
    @action(detail=True, methods=["delete"], url_path=r"phones/(?P<phone_pk>\d+)")
    def remove_phone(self, request, pk=None, phone_pk=None):
        customer = selectors.customer_get(request.user, pk)
        services.customer_remove_phone(actor=request.user, customer=customer, phone_id=phone_pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=CustomerHouseholdLinkSerializer,
        responses={201: CustomerHouseholdSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="households")
    def link_household(self, request, pk=None):
        """Link the customer to another household of the office (an owner of a second unit)."""
        customer = selectors.customer_get(request.user, pk)
        data = validated(CustomerHouseholdLinkSerializer, request.data, request=request)
        try:
            household = selectors.household_get(request.user, data["household"])
        except NotFound:
            raise NotFound(field="household") from None
        residence = services.customer_link_household(
            actor=request.user,
            customer=customer,
            household=household,
            kind=data.get("kind"),
        )
        return Response(CustomerHouseholdSerializer(residence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 404: ERRORS[404]})
    @action(detail=True, methods=["delete"], url_path=r"households/(?P<household_pk>\d+)")
    def unlink_household(self, request, pk=None, household_pk=None):
        customer = selectors.customer_get(request.user, pk)
        try:
            household = selectors.household_get(request.user, household_pk)
        except NotFound:
            raise NotFound(field="household") from None
        services.customer_unlink_household(
            actor=request.user, customer=customer, household=household
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class HouseholdViewSet(viewsets.GenericViewSet):
    queryset = Household.objects.none()
    serializer_class = HouseholdSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.household_list(self.request.user, self.request.query_params.get("q", ""))

    @extend_schema(parameters=[Q_PARAM], responses=HouseholdSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(HouseholdSerializer(page, many=True).data)

    @extend_schema(responses={200: HouseholdSerializer, 404: ERRORS[404]})
    def retrieve(self, request, pk=None):
        return Response(HouseholdSerializer(selectors.household_get(request.user, pk)).data)


class CommunityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Community.objects.none()
    serializer_class = CommunitySerializer

    def get_queryset(self):
        return selectors.communities_for(self.request.user)


class BuildingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Building.objects.none()
    serializer_class = BuildingSerializer

    def get_queryset(self):
        return selectors.buildings_for(
            self.request.user, community=_int_param(self.request, "community")
        )

    @extend_schema(parameters=[OpenApiParameter("community", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Unit.objects.none()
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.units_for(self.request.user, building=_int_param(self.request, "building"))

    @extend_schema(parameters=[OpenApiParameter("building", int)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise DomainError(_("Give a number."), code="invalid", field=name) from None


class RosterImportViewSet(viewsets.GenericViewSet):
    """The roster import in two steps: upload (checked in the background: the preview, nothing
    written), then confirm (imported in the background). Poll the upload for its state."""

    serializer_class = CustomerRosterUploadSerializer
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_-]+"

    def get_parsers(self):
        if getattr(self, "action", None) == "create" or self.request is None:
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    def _answer(self, upload, status_code=status.HTTP_200_OK) -> Response:
        upload = selectors.roster_upload_get(self.request.user, upload.token)
        return Response(
            CustomerRosterUploadSerializer(upload).data,
            status=status_code,
            headers={"Location": f"/api/v1/roster-imports/{upload.token}/"},
        )

    @extend_schema(
        request={"multipart/form-data": CustomerRosterImportSerializer},
        responses={
            202: CustomerRosterUploadSerializer,
            400: OpenApiResponse(
                description="No file, not an .xlsx file, no community chosen, a new community "
                'whose name the office has, or {"code": "roster_invalid", "errors": [{"row", '
                '"column", "message"}]} for a missing header or column: nothing kept.'
            ),
            403: OpenApiResponse(description="The role may not import (customer.import)."),
            404: OpenApiResponse(description="No such community or office, or another office's."),
        },
    )
    def create(self, request):
        """Upload a roster: kept privately and checked; poll it until ``state`` is ``previewed``
        (or ``failed``), then read its ``preview``."""
        data = validated(CustomerRosterImportSerializer, request.data, request=request)
        upload = roster_uploads.roster_upload_create(
            actor=request.user,
            file=data["file"],
            community=data.get("community"),
            new_community=data.get("new_community", ""),
            office=data.get("office"),
        )
        return self._answer(upload, status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: CustomerRosterUploadSerializer, 404: ERRORS[404]})
    def retrieve(self, request, token=None):
        """An upload's state, progress, preview and, once imported, result (the uploader's own)."""
        return self._answer(selectors.roster_upload_get(request.user, token))

    @extend_schema(
        request=CustomerRosterConfirmSerializer,
        responses={
            202: CustomerRosterUploadSerializer,
            200: OpenApiResponse(
                CustomerRosterUploadSerializer,
                description="Confirmed before: nothing more is imported.",
            ),
            400: OpenApiResponse(
                description="create_buildings names a building the preview did not list, or "
                "leaves one of them out (code unknown_buildings)."
            ),
            404: ERRORS[404],
            409: OpenApiResponse(
                description="Still being checked, refused, or the preview has errors."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, token=None):
        """Import what the preview showed, validated again against the roster as it is now."""
        upload = selectors.roster_upload_get(request.user, token)
        data = validated(CustomerRosterConfirmSerializer, request.data, request=request)
        upload, confirmed = roster_uploads.roster_upload_confirm(
            actor=request.user, upload=upload, create_buildings=data["create_buildings"]
        )
        return self._answer(upload, status.HTTP_202_ACCEPTED if confirmed else status.HTTP_200_OK)

    @extend_schema(
        request=None,
        responses={202: CustomerRosterUploadSerializer, 404: ERRORS[404], 409: ERRORS[400]},
    )
    @action(detail=True, methods=["post"])
    def check(self, request, token=None):
        """Check the kept file again (after a refusal, or when the roster changed)."""
        upload = selectors.roster_upload_get(request.user, token)
        upload = roster_uploads.roster_upload_recheck(actor=request.user, upload=upload)
        return self._answer(upload, status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses={
            (200, XLSX): OpenApiResponse(
                OpenApiTypes.BINARY, description="The template, headers in Accept-Language."
            )
        },
    )
    @action(detail=False, methods=["get"])
    def template(self, request):
        """The roster template (.xlsx): the header row in the client's language, an example."""
        response = HttpResponse(roster_uploads.roster_template(get_language()), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
        return response
