"""The forum's REST API (M21): staff's under /api/v1/forum/ (the desk, a post's routing, official
reply, moderation and conversion, the response measures, the word list), the customer's under
/api/v1/portal/forum/. Thin: selectors read, services change; a ``DomainError`` becomes the one
JSON error shape. Changes to a post staff share send the version they read (428 without, 409
when stale)."""

import datetime as dt

from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from propdesk.catalog.models import ServiceItem
from propdesk.core.api import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    expected_version,
    idempotent_create,
    validated,
)
from propdesk.core.errors import NotFound
from propdesk.core.media import serve_file
from propdesk.core.permissions import require
from propdesk.core.serializers import ErrorSerializer
from propdesk.org.models import Department, Office
from propdesk.portal.api import CustomerView
from propdesk.tickets.models import Ticket

from . import selectors, services
from . import serializers as s
from .models import Post, SensitiveWord

ERROR = ErrorSerializer
ACTION_ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR, 428: ERROR}
CUSTOMER_READ_ERRORS = {401: ERROR, 404: ERROR}
CUSTOMER_ACTION_ERRORS = {400: ERROR, **CUSTOMER_READ_ERRORS, 409: ERROR, 429: ERROR}
REPLY_PK = OpenApiParameter("reply_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
REPORT_PK = OpenApiParameter("report_pk", OpenApiTypes.INT, OpenApiParameter.PATH)
PHOTO_PK = OpenApiParameter("photo_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


def _office(pk) -> Office:
    office = Office.objects.filter(pk=pk).first()
    if office is None:
        raise NotFound(field="office")
    return office


def _department(pk) -> Department | None:
    if pk is None:
        return None
    department = Department.objects.filter(pk=pk).first()
    if department is None:
        raise NotFound(field="department")
    return department


# --- staff --------------------------------------------------------------------------------------


@method_decorator(name="list", decorator=extend_schema(parameters=[s.PostFilterSerializer]))
class ForumPostViewSet(viewsets.GenericViewSet):
    """The forum desk: posts with the offices you may see."""

    serializer_class = s.PostSerializer
    queryset = Post.objects.none()  # for the schema only; reads go through selectors

    def _post(self, pk) -> Post:
        return selectors.post_get(self.request.user, pk)

    def _answer(self, pk, code=status.HTTP_200_OK, *, routed: bool = False) -> Response:
        try:
            post = self._post(pk)
        except NotFound:
            if not routed:
                raise
            # Routed to an office the user does not see: the change is done, the post is theirs.
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = s.PostSerializer(post, context={"request": self.request}).data
        return Response(data, status=code, headers={"ETag": f'"{post.version}"'})

    def _input(self, serializer_class, pk):
        post = self._post(pk)
        data = validated(serializer_class, self.request.data, request=self.request)
        version = expected_version(self.request, data)
        data.pop("version", None)
        return post, data, version

    @extend_schema(responses={200: s.PostListSerializer(many=True), 400: ERROR})
    def list(self, request):
        params = validated(s.PostFilterSerializer, request.query_params.dict(), request=request)
        if params.get("view") == "all":
            params.pop("view")
        posts = selectors.posts_for_user(request.user, selectors.PostFilters(**params))
        page = self.paginate_queryset(posts)
        return self.get_paginated_response(s.PostListSerializer(page, many=True).data)

    @extend_schema(
        responses={200: s.PostSerializer, 404: ERROR},
        description="One post with its replies (official ones marked), its routes, its "
        "``version`` (also its ``ETag``) and the ``allowed_actions`` you may take now.",
    )
    def retrieve(self, request, pk=None):
        return self._answer(pk)

    @extend_schema(
        request=s.RouteInputSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PostSerializer, 204: None, **ACTION_ERRORS},
        description="Route (the first time: triage) or re-route the post to an office and, "
        "where one is concerned, a department; every route is kept. Routed to an office you do "
        "not see, the answer is 204.",
    )
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        post, data, version = self._input(s.RouteInputSerializer, pk)
        services.post_route(
            actor=request.user,
            post=post,
            office=_office(data["office"]),
            department=_department(data.get("department")),
            note=data.get("note", ""),
            expected_version=version,
        )
        return self._answer(pk, routed=True)

    @extend_schema(
        request=s.AnswerSerializer,
        responses={201: s.PostSerializer, **ACTION_ERRORS},
        description="Post an official reply; the first one stops the response clock.",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        post = self._post(pk)
        data = validated(s.AnswerSerializer, request.data, request=request)
        services.post_answer(actor=request.user, post=post, text=data["text"])
        return self._answer(pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PostSerializer, **ACTION_ERRORS},
        description="Approve a post held for review: it goes out in public.",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        post, _data, version = self._input(s.VersionSerializer, pk)
        services.post_approve(actor=request.user, post=post, expected_version=version)
        return self._answer(pk)

    @extend_schema(
        request=s.HideSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PostSerializer, **ACTION_ERRORS},
        description="Hide the post with a reason its author is told.",
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        post, data, version = self._input(s.HideSerializer, pk)
        services.post_hide(
            actor=request.user, post=post, reason=data["reason"], expected_version=version
        )
        return self._answer(pk)

    @extend_schema(
        request=s.VersionSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PostSerializer, **ACTION_ERRORS},
        description="Show a hidden post again.",
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        post, _data, version = self._input(s.VersionSerializer, pk)
        services.post_restore(actor=request.user, post=post, expected_version=version)
        return self._answer(pk)

    @extend_schema(
        request=s.ConvertSerializer,
        parameters=[IF_MATCH],
        responses={200: s.PostSerializer, **ACTION_ERRORS},
        description="Turn the post into a request (``kind``) or a complaint (``category``): "
        "``ticket`` names it, and its timeline names the post. Twice: 409 "
        "``already_converted``.",
    )
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        post, data, version = self._input(s.ConvertSerializer, pk)
        services.post_convert(actor=request.user, post=post, expected_version=version, **data)
        return self._answer(pk)

    @extend_schema(
        request=None,
        parameters=[REPLY_PK],
        responses={200: s.PostSerializer, **ACTION_ERRORS},
        description="Approve a reply held for review.",
    )
    @action(detail=True, methods=["post"], url_path=r"replies/(?P<reply_pk>[0-9]+)/approve")
    def reply_approve(self, request, pk=None, reply_pk=None):
        reply = selectors.reply_get(self._post(pk), reply_pk)
        services.reply_approve(actor=request.user, reply=reply)
        return self._answer(pk)

    @extend_schema(
        request=s.ReplyHideSerializer,
        parameters=[REPLY_PK],
        responses={200: s.PostSerializer, **ACTION_ERRORS},
        description="Hide a reply with a reason its author is told.",
    )
    @action(detail=True, methods=["post"], url_path=r"replies/(?P<reply_pk>[0-9]+)/hide")
    def reply_hide(self, request, pk=None, reply_pk=None):
        reply = selectors.reply_get(self._post(pk), reply_pk)
        data = validated(s.ReplyHideSerializer, request.data, request=request)
        services.reply_hide(actor=request.user, reply=reply, reason=data["reason"])
        return self._answer(pk)

    @extend_schema(
        request=s.ReportDismissSerializer,
        parameters=[REPORT_PK],
        responses={200: s.PostSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        description="Dismiss an open abuse report of the post or one of its replies: the "
        "moderator finds nothing to act on, so the post stays as it is; ``note`` (optional) says "
        "why, on the post's timeline. A report settled already: 409 ``already_settled``.",
    )
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<report_pk>[0-9]+)/dismiss")
    def report_dismiss(self, request, pk=None, report_pk=None):
        report = selectors.report_get(self._post(pk), report_pk)
        data = validated(s.ReportDismissSerializer, request.data, request=request)
        services.report_dismiss(actor=request.user, report=report, note=data["note"])
        return self._answer(pk)

    @extend_schema(
        parameters=[s.MeasureFilterSerializer],
        responses={200: s.MeasuresSerializer, 400: ERROR, 403: ERROR},
        description="Time to triage and to the first official reply for the posts published "
        "between ``since`` and ``until`` (local days, both included): median hours and share on "
        "time, for the company, per office and per department.",
    )
    @action(detail=False, methods=["get"])
    def measures(self, request):
        require(request.user, "forum.measure")
        params = validated(s.MeasureFilterSerializer, request.query_params.dict(), request=request)
        start = timezone.make_aware(dt.datetime.combine(params["since"], dt.time.min))
        end = timezone.make_aware(
            dt.datetime.combine(params["until"] + dt.timedelta(days=1), dt.time.min)
        )
        data = selectors.response_measures(request.user, since=start, until=end)
        data["target_hours"] = services.response_hours()
        return Response(s.MeasuresSerializer(data).data)


class SensitiveWordViewSet(viewsets.GenericViewSet):
    """The sensitive-word list (Quality's): a post or reply with one is held for review."""

    serializer_class = s.WordSerializer
    queryset = SensitiveWord.objects.none()

    @extend_schema(responses={200: s.WordSerializer(many=True), 403: ERROR})
    def list(self, request):
        require(request.user, "forum.words")
        page = self.paginate_queryset(selectors.words())
        return self.get_paginated_response(s.WordSerializer(page, many=True).data)

    @extend_schema(
        request=s.WordInputSerializer,
        responses={201: s.WordSerializer, 400: ERROR, 403: ERROR, 409: ERROR},
        description="Add a word; one already on the list answers 409 ``duplicate``.",
    )
    def create(self, request):
        data = validated(s.WordInputSerializer, request.data, request=request)
        word = services.word_add(actor=request.user, word=data["word"])
        return Response(s.WordSerializer(word).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 403: ERROR, 404: ERROR})
    def destroy(self, request, pk=None):
        require(request.user, "forum.words")
        word = selectors.words().filter(pk=pk).first() if str(pk).isdigit() else None
        if word is None:
            raise NotFound()
        services.word_remove(actor=request.user, word=word)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the customer's -----------------------------------------------------------------------------


@extend_schema(tags=["customer"])
class CustomerForumViewSet(CustomerView, viewsets.GenericViewSet):
    """The forums of the signed-in customer's communities and the company-wide one."""

    serializer_class = s.CustomerPostSerializer
    queryset = Post.objects.none()  # for the schema only
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @property
    def customer(self):
        return self.account.customer

    def _context(self) -> dict:
        return {"customer": self.customer, "request": self.request}

    def _detail(self, pk, code=status.HTTP_200_OK) -> Response:
        post = selectors.post_for_customer(self.customer, pk)
        return Response(s.CustomerPostSerializer(post, context=self._context()).data, status=code)

    def _community(self, pk):
        if pk in (None, "", "company"):
            return None
        return selectors.community_for_customer(self.customer, pk)

    @extend_schema(
        parameters=[s.CustomerForumFilterSerializer],
        responses={
            200: s.CustomerPostListSerializer(many=True),
            400: ERROR,
            **CUSTOMER_READ_ERRORS,
        },
        description="One forum, newest first: a community you live in (``forum``: its id) or "
        "the company-wide one (``forum=company``, also without ``forum``).",
    )
    def list(self, request):
        params = validated(
            s.CustomerForumFilterSerializer, request.query_params.dict(), request=request
        )
        community = self._community(params.get("forum"))
        posts = selectors.posts_for_customer(
            self.customer, community=community, topic=params.get("topic", "")
        )
        page = self.paginate_queryset(posts)
        data = s.CustomerPostListSerializer(page, many=True, context=self._context()).data
        return self.get_paginated_response(data)

    @extend_schema(
        responses={200: s.CustomerPostSerializer, **CUSTOMER_READ_ERRORS},
        description="A post with its replies; official replies have ``official`` true.",
    )
    def retrieve(self, request, pk=None):
        return self._detail(pk)

    @extend_schema(
        request={"multipart/form-data": s.CustomerPostCreateSerializer},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: s.CustomerPostSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Post, with up to 5 photos (multipart/form-data; repeat ``photos``). A "
        "post with a word of the sensitive-word list waits for review (``state`` ``held``). "
        "More than 5 posts an hour: 429; the same post again within minutes: 409.",
    )
    def create(self, request):
        data = validated(s.CustomerPostCreateSerializer, request.data, request=request)
        community = self._community(data.get("community"))
        return idempotent_create(
            request,
            owner=f"customer:{self.customer.pk}",
            data={k: v for k, v in data.items() if k != "photos"},
            create=lambda: services.post_create(
                customer=self.customer,
                community=community,
                topic=data["topic"],
                title=data["title"],
                text=data["text"],
                photos=data["photos"],
            ),
            answer=self._detail,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=s.CustomerReplyCreateSerializer,
        responses={201: s.CustomerPostSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Reply to a post; a hidden or held post answers 409 ``post_not_visible``.",
    )
    @action(detail=True, methods=["post"])
    def replies(self, request, pk=None):
        post = selectors.post_for_customer(self.customer, pk)
        data = validated(s.CustomerReplyCreateSerializer, request.data, request=request)
        services.reply_create(customer=self.customer, post=post, text=data["text"])
        return self._detail(pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.CustomerReportSerializer,
        responses={202: None, **CUSTOMER_ACTION_ERRORS},
        description="Report the post (or one of its replies, ``reply``) as abusive.",
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        post = selectors.post_for_customer(self.customer, pk)
        data = validated(s.CustomerReportSerializer, request.data, request=request)
        reply = selectors.reply_get(post, data["reply"]) if data.get("reply") else None
        services.report_abuse(customer=self.customer, post=post, reply=reply, reason=data["reason"])
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=s.CustomerReviewSerializer,
        responses={201: s.CustomerPostSerializer, **CUSTOMER_ACTION_ERRORS},
        description="Review a service in public: a ``rating`` of 1 to 5 with a ``comment`` on "
        "a catalogue ``item`` or on your own completed request (``ticket``).",
    )
    @action(detail=False, methods=["post"])
    def reviews(self, request):
        data = validated(s.CustomerReviewSerializer, request.data, request=request)
        item = ticket = None
        if data.get("item"):
            item = ServiceItem.objects.filter(pk=data["item"]).first()
            if item is None:
                raise NotFound(field="item")
        if data.get("ticket"):
            ticket = Ticket.objects.filter(pk=data["ticket"], customer=self.customer).first()
            if ticket is None:
                raise NotFound(field="ticket")
        post = services.review_create(
            customer=self.customer,
            rating=data["rating"],
            comment=data["comment"],
            title=data.get("title", ""),
            item=item,
            ticket=ticket,
        )
        return self._detail(post.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        parameters=[PHOTO_PK],
        responses={(200, "image/*"): OpenApiTypes.BINARY, **CUSTOMER_READ_ERRORS},
        description="A photo of a post you may read (see ``photos``).",
    )
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>[0-9]+)")
    def photo(self, request, pk=None, photo_pk=None):
        post = selectors.post_for_customer(self.customer, pk)
        photo = post.photos.filter(pk=photo_pk).first()
        if photo is None:
            raise NotFound()
        return serve_file(photo.image.name)
