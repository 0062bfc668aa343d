"""The catalogue's REST API: thin views over the same selectors and services as the console."""

from django.db import transaction
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.serializers import ErrorSerializer

from . import selectors, services
from .models import ServiceCategory, ServiceItem
from .serializers import (
    ProcedureStepSerializer,
    ProcedureStepsWriteSerializer,
    ServiceCategorySerializer,
    ServiceCategoryUpdateSerializer,
    ServiceCategoryWriteSerializer,
    ServiceItemCreateSerializer,
    ServiceItemFilterSerializer,
    ServiceItemSerializer,
    ServiceItemUpdateSerializer,
    ServiceItemVersionSerializer,
)


def _mark_item(user, item, mark) -> None:
    """M14: the major-defect mark has its own service; called only when given and changed (in
    the transaction whose first step checked the client's version)."""
    if mark is not None and mark != item.is_major_defect:
        services.item_mark_major_defect(actor=user, item=item, is_major_defect=mark)


VERSION_ERRORS = {409: ErrorSerializer, 428: ErrorSerializer}


def _mark_category(user, category, mark) -> None:
    if mark is not None and mark != category.is_major_defect:
        services.category_mark_major_defect(actor=user, category=category, is_major_defect=mark)


class CategoryViewSet(viewsets.GenericViewSet):
    serializer_class = ServiceCategorySerializer
    queryset = ServiceCategory.objects.none()  # for the schema only; reads go through selectors

    def list(self, request):
        # Categories are company-wide: every member of staff reads all of them.
        page = self.paginate_queryset(selectors.categories())
        return self.get_paginated_response(ServiceCategorySerializer(page, many=True).data)

    @extend_schema(
        request=ServiceCategoryWriteSerializer, responses={201: ServiceCategorySerializer}
    )
    def create(self, request):
        data = validated(ServiceCategoryWriteSerializer, request.data, request=request)
        mark = data.pop("is_major_defect", None)
        with transaction.atomic():  # the category and its mark, or neither
            category = services.category_create(actor=request.user, **data)
            _mark_category(request.user, category, mark)
        category.refresh_from_db()
        return Response(ServiceCategorySerializer(category).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ServiceCategoryUpdateSerializer, responses=ServiceCategorySerializer)
    def partial_update(self, request, pk=None):
        return self._update(pk, ServiceCategoryUpdateSerializer)

    @extend_schema(request=ServiceCategoryWriteSerializer, responses=ServiceCategorySerializer)
    def update(self, request, pk=None):
        return self._update(pk, ServiceCategoryWriteSerializer)

    def _update(self, pk, serializer_class):
        category = selectors.category_get(pk)
        data = validated(serializer_class, self.request.data, request=self.request)
        mark = data.pop("is_major_defect", None)
        with transaction.atomic():
            category = services.category_update(actor=self.request.user, category=category, **data)
            _mark_category(self.request.user, category, mark)
        category.refresh_from_db()
        return Response(ServiceCategorySerializer(category).data)


@method_decorator(name="list", decorator=extend_schema(parameters=[ServiceItemFilterSerializer]))
class ItemViewSet(viewsets.GenericViewSet):
    serializer_class = ServiceItemSerializer
    queryset = ServiceItem.objects.none()  # for the schema only; reads go through selectors

    def _item(self, pk):
        return selectors.item_get(self.request.user, pk)

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        item = self._item(pk)
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(
            ServiceItemSerializer(item).data, status=code, headers={"ETag": f'"{item.version}"'}
        )

    def _input(self, serializer_class, pk):
        """The item (404 before 400), the input without its version, and the version the client
        acted on (``version`` in the body, else If-Match; 428 without)."""
        item = self._item(pk)
        data = validated(serializer_class, self.request.data, request=self.request)
        version = expected_version(self.request, data)
        data.pop("version", None)
        return item, data, version

    def list(self, request):
        params = validated(
            ServiceItemFilterSerializer, request.query_params.dict(), request=request
        )
        items = selectors.items_for_user(
            request.user, selectors.ItemFilters(**params)
        ).prefetch_related("steps")
        page = self.paginate_queryset(items)
        return self.get_paginated_response(ServiceItemSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(request=ServiceItemCreateSerializer, responses={201: ServiceItemSerializer})
    def create(self, request):
        data = validated(ServiceItemCreateSerializer, request.data, request=request)
        # Left out, the office is the caller's own (a company role's is none: company-wide).
        office = data.pop("office") if "office" in data else request.user.office
        steps = [dict(s) for s in data.pop("steps", [])]
        mark = data.pop("is_major_defect", None)
        with transaction.atomic():  # the item and its mark, or neither
            item = services.item_create(actor=request.user, office=office, steps=steps, **data)
            _mark_item(request.user, item, mark)
        return self._answer(item.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=ServiceItemUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: ServiceItemSerializer, **VERSION_ERRORS},
    )
    def partial_update(self, request, pk=None):
        item, data, version = self._input(ServiceItemUpdateSerializer, pk)
        steps = [dict(s) for s in data.pop("steps")] if "steps" in data else None
        mark = data.pop("is_major_defect", None)
        with transaction.atomic():
            services.item_update(
                actor=request.user, item=item, steps=steps, expected_version=version, **data
            )
            _mark_item(request.user, item, mark)
        return self._answer(pk)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ProcedureStepSerializer(many=True),
        operation_id="catalog_items_steps_list",
    )
    @extend_schema(
        methods=["PUT"],
        request=ProcedureStepsWriteSerializer,
        parameters=[IF_MATCH],
        responses={200: ProcedureStepSerializer(many=True), **VERSION_ERRORS},
        operation_id="catalog_items_steps_replace",
    )
    @action(detail=True, methods=["get", "put"], pagination_class=None)
    def steps(self, request, pk=None):
        """The item's standard procedure (作业规范, M11), in order; PUT replaces it whole."""
        if request.method == "PUT":
            item, data, version = self._input(ProcedureStepsWriteSerializer, pk)
            services.steps_replace(
                actor=request.user,
                item=item,
                steps=[dict(s) for s in data["steps"]],
                expected_version=version,
            )
        item = self._item(pk)
        return Response(ProcedureStepSerializer(item.steps.all(), many=True).data)

    @extend_schema(
        request=ServiceItemVersionSerializer,
        parameters=[IF_MATCH],
        responses={200: ServiceItemSerializer, **VERSION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Take the item out of the catalogue; requests that name it keep it."""
        item, _data, version = self._input(ServiceItemVersionSerializer, pk)
        services.item_deactivate(actor=request.user, item=item, expected_version=version)
        return self._answer(pk)

    @extend_schema(
        request=ServiceItemVersionSerializer,
        parameters=[IF_MATCH],
        responses={200: ServiceItemSerializer, **VERSION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        item, _data, version = self._input(ServiceItemVersionSerializer, pk)
        services.item_reactivate(actor=request.user, item=item, expected_version=version)
        return self._answer(pk)
