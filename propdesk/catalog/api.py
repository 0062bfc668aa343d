"""The catalogue's REST API: thin views over the same selectors and services as the console."""

from django.db import transaction
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from propdesk.core.api import validated

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
)


def _mark_item(user, item, mark) -> None:
    """M14: the major-defect mark has its own service; called only when given and changed."""
    if mark is not None and mark != item.is_major_defect:
        services.item_mark_major_defect(actor=user, item=item, is_major_defect=mark)


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
        return Response(ServiceItemSerializer(self._item(pk)).data)

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
        return Response(
            ServiceItemSerializer(self._item(item.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ServiceItemUpdateSerializer, responses=ServiceItemSerializer)
    def partial_update(self, request, pk=None):
        item = self._item(pk)
        data = validated(ServiceItemUpdateSerializer, request.data, request=request)
        steps = [dict(s) for s in data.pop("steps")] if "steps" in data else None
        mark = data.pop("is_major_defect", None)
        with transaction.atomic():
            services.item_update(actor=request.user, item=item, steps=steps, **data)
            _mark_item(request.user, item, mark)
        return Response(ServiceItemSerializer(self._item(pk)).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ProcedureStepSerializer(many=True),
        operation_id="catalog_items_steps_list",
    )
    @extend_schema(
        methods=["PUT"],
        request=ProcedureStepsWriteSerializer,
        responses=ProcedureStepSerializer(many=True),
        operation_id="catalog_items_steps_replace",
    )
    @action(detail=True, methods=["get", "put"], pagination_class=None)
    def steps(self, request, pk=None):
        """The item's standard procedure (作业规范, M11), in order; PUT replaces it whole."""
        item = self._item(pk)
        if request.method == "PUT":
            data = validated(ProcedureStepsWriteSerializer, request.data, request=request)
            services.steps_replace(
                actor=request.user, item=item, steps=[dict(s) for s in data["steps"]]
            )
            item = self._item(pk)
        return Response(ProcedureStepSerializer(item.steps.all(), many=True).data)

    @extend_schema(request=None, responses=ServiceItemSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Take the item out of the catalogue; requests that name it keep it."""
        services.item_deactivate(actor=request.user, item=self._item(pk))
        return Response(ServiceItemSerializer(self._item(pk)).data)

    @extend_schema(request=None, responses=ServiceItemSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        services.item_reactivate(actor=request.user, item=self._item(pk))
        return Response(ServiceItemSerializer(self._item(pk)).data)
