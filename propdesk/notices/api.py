"""The notices' REST API (M05): staff endpoints under /api/v1/notices/, and the customer's
read endpoints under /api/v1/portal/notices/. Thin: selectors and services do the work.

A notice carries its ``version`` (also its ETag) and its ``allowed_actions``. Every change accepts
the version the client last read, in the body (``version``) or as ``If-Match``; a change made
against an older version is refused with 409.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from propdesk.core.api import IF_MATCH, expected_version, validated
from propdesk.core.errors import NotFound
from propdesk.core.serializers import ErrorSerializer
from propdesk.portal.api import CustomerView

from . import pdf, selectors, services
from . import serializers as s
from .models import Notice

ERROR = ErrorSerializer  # the API's one error shape
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def change_schema(request, **kwargs):
    """The schema of a change to one notice: its input, If-Match, the notice back."""
    return extend_schema(
        request=request,
        parameters=[IF_MATCH],
        responses={200: s.NoticeSerializer, **ACTION_ERRORS},
        **kwargs,
    )


@method_decorator(name="list", decorator=extend_schema(parameters=[s.NoticeFilterSerializer]))
class NoticeViewSet(viewsets.GenericViewSet):
    serializer_class = s.NoticeSerializer
    queryset = Notice.objects.none()  # for the schema only; reads go through selectors

    def _notice(self, pk) -> Notice:
        return selectors.notice_get(self.request.user, pk)

    def _answer(self, pk, code=status.HTTP_200_OK) -> Response:
        notice = selectors.notice_get(self.request.user, pk)
        data = s.NoticeSerializer(notice, context={"request": self.request}).data
        # The version doubles as an ETag, so clients can send it back as If-Match.
        return Response(data, status=code, headers={"ETag": f'"{notice.version}"'})

    def _input(self, serializer_class, pk, *, partial: bool = False):
        """The notice (404 before 400: nothing said about another office's), the input without
        its version, and the version the client acted on (body or If-Match)."""
        notice = self._notice(pk)
        data = validated(serializer_class, self.request.data, request=self.request, partial=partial)
        version = expected_version(self.request, data)
        data.pop("version", None)
        return notice, data, version

    def _change(self, serializer_class, pk, service, *, partial: bool = False) -> Response:
        """Run one service on the notice with the client's input and version; the notice back."""
        notice, data, version = self._input(serializer_class, pk, partial=partial)
        service(actor=self.request.user, notice=notice, expected_version=version, **data)
        return self._answer(pk)

    @extend_schema(responses=s.NoticeListSerializer(many=True))
    def list(self, request):
        params = validated(s.NoticeFilterSerializer, request.query_params.dict(), request=request)
        notices = selectors.notices_for_user(request.user, selectors.NoticeFilters(**params))
        page = self.paginate_queryset(notices)
        return self.get_paginated_response(s.NoticeListSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.NoticeCreateSerializer, responses={201: s.NoticeSerializer, **ACTION_ERRORS}
    )
    def create(self, request):
        data = validated(s.NoticeCreateSerializer, request.data, request=request)
        notice = services.notice_create(actor=request.user, **data)
        return self._answer(notice.pk, status.HTTP_201_CREATED)

    @change_schema(
        s.NoticeUpdateSerializer,
        description="Change a draft or scheduled notice. A published one answers 409: "
        "publish a correction (``revise``) instead.",
    )
    def partial_update(self, request, pk=None):
        return self._change(s.NoticeUpdateSerializer, pk, services.notice_update, partial=True)

    @change_schema(s.NoticeScheduleSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        return self._change(s.NoticeScheduleSerializer, pk, services.notice_schedule)

    @change_schema(s.NoticeVersionSerializer)
    @action(detail=True, methods=["post"])
    def unschedule(self, request, pk=None):
        return self._change(s.NoticeVersionSerializer, pk, services.notice_unschedule)

    @change_schema(
        s.NoticeVersionSerializer,
        description="Publish now. Notifications to the customers in scope are written "
        "afterwards by a background task.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._change(s.NoticeVersionSerializer, pk, services.notice_publish)

    @change_schema(s.NoticeReviseSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        return self._change(s.NoticeReviseSerializer, pk, services.notice_revise)

    @change_schema(s.NoticeVersionSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._change(s.NoticeVersionSerializer, pk, services.notice_archive)

    @extend_schema(
        request={"multipart/form-data": s.NoticeAttachmentUploadSerializer},
        parameters=[IF_MATCH],
        responses={201: s.NoticeAttachmentSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        notice, data, version = self._input(s.NoticeAttachmentUploadSerializer, pk)
        attachment = services.notice_attach(
            actor=request.user, notice=notice, upload=data["file"], expected_version=version
        )
        return Response(
            s.NoticeAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[IF_MATCH, OpenApiParameter("file_pk", int, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, **ACTION_ERRORS},
        description="Remove an attachment from a draft or scheduled notice (a published "
        "notice's attachments are locked: 409).",
    )
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<file_pk>[0-9]+)")
    def remove_attachment(self, request, pk=None, file_pk=None):
        notice, data, version = self._input(s.NoticeVersionSerializer, pk)
        attachment = notice.attachments.filter(pk=file_pk).first()
        if attachment is None:
            raise NotFound(field="file")
        services.notice_detach(actor=request.user, attachment=attachment, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ERROR},
        description="The notice-board poster: an A4 PDF with the notice in Chinese.",
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def poster(self, request, pk=None):
        notice = self._notice(pk)
        response = HttpResponse(pdf.notice_poster(notice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
        return response

    @extend_schema(request=None, responses={200: s.ReadRateSerializer, 404: ERROR})
    @action(detail=True, methods=["get"], url_path="read-rate", pagination_class=None)
    def read_rate(self, request, pk=None):
        notice = self._notice(pk)
        rate = selectors.read_rate(notice)
        rows = selectors.read_rate_by_building(notice)
        return Response(
            {
                "audience": rate.audience,
                "read": rate.read,
                "percent": rate.percent,
                "buildings": [
                    {
                        "building": row["building"],
                        "audience": row["rate"].audience,
                        "read": row["rate"].read,
                        "percent": row["rate"].percent,
                    }
                    for row in rows
                ],
            }
        )


@extend_schema(tags=["customer"])
class CustomerNoticeViewSet(CustomerView, viewsets.GenericViewSet):
    """The notices for the signed-in customer's homes; opening one records that they read it."""

    serializer_class = s.CustomerNoticeSerializer
    queryset = Notice.objects.none()  # for the schema only
    parser_classes = [JSONParser]

    @extend_schema(responses={200: s.CustomerNoticeListSerializer(many=True), 401: ERROR})
    def list(self, request):
        customer = self.account.customer
        page = self.paginate_queryset(selectors.notices_for_customer(customer))
        read = selectors.read_ids(customer, page)
        data = s.CustomerNoticeListSerializer(page, many=True, context={"read_ids": read}).data
        return self.get_paginated_response(data)

    @extend_schema(responses={200: s.CustomerNoticeSerializer, 401: ERROR, 404: ERROR})
    def retrieve(self, request, pk=None):
        customer = self.account.customer
        notice = selectors.notice_for_customer(customer, pk)
        services.notice_mark_read(notice=notice, customer=customer, now=timezone.now())
        return Response(s.CustomerNoticeSerializer(notice).data)
