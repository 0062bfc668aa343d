"""Pages whose count stops at a cap, so that a list of millions never counts them all.

An exact ``COUNT(*)`` reads every matching row; past ``PROPDESK_COUNT_CAP`` rows nobody pages
through a list anyway, they narrow it. So the count stops there and the page says "more than".
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


def count_cap() -> int:
    return settings.PROPDESK_COUNT_CAP


class CappedPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        # COUNT(*) over a LIMITed subquery: the database stops after cap + 1 rows. Without the
        # list's order, which a count does not need: kept, it makes PostgreSQL walk the order's
        # index to find the first cap + 1 matches of a rare filter (a room, an address).
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
        return rows[: count_cap() + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > count_cap()

    @property
    def cap(self) -> int:
        return count_cap()

    @property
    def num_pages_label(self) -> str:
        return f"{self.num_pages}+" if self.capped else str(self.num_pages)


class CappedPageNumberPagination(PageNumberPagination):
    """DRF pages with the same cap: ``count`` stops at cap + 1 and ``count_capped`` says so."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": paginator.capped,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when there are more rows than `count` says (it stops at a cap).",
        }
        return response
