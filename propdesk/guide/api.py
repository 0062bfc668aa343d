"""The Service Guide's REST API: staff (editions, diff, publish) and customers (their office's).

Thin, like the console: reads through ``selectors``, publishing through ``services``.
"""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, renderers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from propdesk.core.api import validated
from propdesk.core.errors import NotFound
from propdesk.core.serializers import ErrorSerializer
from propdesk.portal.authentication import IsPortalCustomer, PortalTokenAuthentication

from . import selectors, services
from . import serializers as s
from .views import pdf_response

ERROR = ErrorSerializer
READ_ERRORS = {401: ERROR, 403: ERROR, 404: ERROR}
TAG = "guide"
PDF = {
    (200, "application/pdf"): OpenApiResponse(
        response=OpenApiTypes.BINARY, description=str(_("The printable guide (A4 PDF)."))
    )
}


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors still come as JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


PDF_RENDERERS = [renderers.JSONRenderer, PDFRenderer]


def _office(user, office_id):
    try:
        return selectors.office_get(user, office_id)
    except NotFound:
        raise NotFound(field="office") from None


class StaffEditionMixin:
    def edition(self):
        office = _office(self.request.user, self.kwargs["office_id"])
        return selectors.edition_get(office.pk, self.kwargs["number"])


@extend_schema(tags=[TAG], responses={200: s.GuideEditionSerializer(many=True), **READ_ERRORS})
class EditionList(generics.ListAPIView):
    """An office's published editions, newest first."""

    serializer_class = s.GuideEditionSerializer

    def get_queryset(self):
        return selectors.editions_of(_office(self.request.user, self.kwargs["office_id"]).pk)


@extend_schema(tags=[TAG])
class EditionDetail(StaffEditionMixin, APIView):
    @extend_schema(
        responses={200: s.GuideEditionDetailSerializer, **READ_ERRORS},
        description=str(_("One edition as published: its hotline numbers and entries.")),
    )
    def get(self, request, office_id, number):
        return Response(s.GuideEditionDetailSerializer(self.edition()).data)


@extend_schema(tags=[TAG])
class EditionDiff(StaffEditionMixin, APIView):
    @extend_schema(
        parameters=[s.GuideDiffQuerySerializer],
        responses={200: s.GuideDiffSerializer, 400: ERROR, **READ_ERRORS},
        description=str(
            _(
                "What changed since an older edition (by default the one before): items added, "
                "removed, and changed (price, pricing terms, hours, phone…)."
            )
        ),
    )
    def get(self, request, office_id, number):
        edition = self.edition()
        query = validated(s.GuideDiffQuerySerializer, request.query_params, request=request)
        against = query.get("against")
        if against is None:
            older = selectors.edition_previous(edition)
        else:
            older = selectors.edition_get(edition.office_id, against)
        return Response(s.GuideDiffSerializer(selectors.diff(older, edition)).data)


@extend_schema(tags=[TAG])
class EditionPDF(StaffEditionMixin, APIView):
    renderer_classes = PDF_RENDERERS

    @extend_schema(responses={**PDF, **READ_ERRORS}, description=str(_("The edition as a PDF.")))
    def get(self, request, office_id, number):
        return pdf_response(self.edition())


@extend_schema(tags=[TAG])
class Draft(APIView):
    @extend_schema(
        responses={200: s.GuideDraftSerializer, **READ_ERRORS},
        description=str(_("The guide as it would be published now, from the current catalogue.")),
    )
    def get(self, request, office_id):
        office = _office(request.user, office_id)
        return Response(s.GuideDraftSerializer(selectors.draft_compile(office)).data)


@extend_schema(tags=[TAG])
class Publish(APIView):
    @extend_schema(
        request=None,
        responses={201: s.GuideEditionDetailSerializer, 400: ERROR, **READ_ERRORS, 409: ERROR},
        description=str(
            _(
                "Publish the office's next edition, frozen from the current catalogue; its "
                "customers are told. 409 when nothing changed since the latest edition."
            )
        ),
    )
    def post(self, request, office_id):
        office = _office(request.user, office_id)
        edition = services.edition_publish(actor=request.user, office=office)
        edition = selectors.edition_get(office.pk, edition.number)
        return Response(
            s.GuideEditionDetailSerializer(edition).data, status=status.HTTP_201_CREATED
        )


# --- the customer's own office ------------------------------------------------------------------


class CustomerView:
    authentication_classes = [PortalTokenAuthentication]
    permission_classes = [IsPortalCustomer]

    def edition(self, number=None):
        office_id = self.request.auth.account.customer.office_id
        if number is None:
            edition = selectors.latest_edition(office_id)
            if edition is None:
                raise NotFound(field="edition")
            return edition
        return selectors.edition_get(office_id, number)


CUSTOMER_ERRORS = {401: ERROR, 404: ERROR}


@extend_schema(tags=["customer"])
class PortalLatest(CustomerView, APIView):
    @extend_schema(
        responses={200: s.PortalGuideSerializer, **CUSTOMER_ERRORS},
        description=str(
            _(
                "The latest Service Guide of the customer's office, and what changed since the "
                "edition before it. 404 when the office has published none."
            )
        ),
    )
    def get(self, request):
        edition = self.edition()
        body = {"edition": edition, "changes": selectors.diff_with_previous(edition)}
        return Response(s.PortalGuideSerializer(body).data)


@extend_schema(tags=["customer"])
class PortalPDF(CustomerView, APIView):
    renderer_classes = PDF_RENDERERS

    @extend_schema(
        responses={**PDF, **CUSTOMER_ERRORS},
        description=str(_("An edition of the customer's office's guide as a PDF.")),
        operation_id="portal_guide_edition_pdf",
    )
    def get(self, request, number):
        return pdf_response(self.edition(number))


@extend_schema(tags=["customer"])
class PortalLatestPDF(CustomerView, APIView):
    renderer_classes = PDF_RENDERERS

    @extend_schema(
        responses={**PDF, **CUSTOMER_ERRORS},
        description=str(_("The latest guide of the customer's office as a PDF.")),
        operation_id="portal_guide_latest_pdf",
    )
    def get(self, request):
        return pdf_response(self.edition())
