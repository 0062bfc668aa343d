"""A test client that reads before it writes, as the API asks of every change to a shared
record (docs/api.md, "Versions"): a change sent without a version goes with the record's current
version as If-Match, the one a client that had just read the record would send. A version sent
explicitly (``version`` in the body, or If-Match) is left alone, so the tests of 428 and of stale
versions use a plain ``APIClient`` or send their own."""

import re

from rest_framework.test import APIClient


def _records():
    # Imported when first used: the apps are loaded by then.
    from propdesk.aftercare.models import DefectWatch, FollowupCall
    from propdesk.catalog.models import ServiceItem
    from propdesk.complaints.models import Complaint, CorrectiveActionReport, PreventiveMeasure

    return [
        (r"/api/v1/complaints/(\d+)/report/submit/$", CorrectiveActionReport, "complaint_id"),
        (r"/api/v1/complaints/(\d+)/.+", Complaint, "pk"),
        (r"/api/v1/complaint-measures/(\d+)/", PreventiveMeasure, "pk"),
        (r"/api/v1/reports/(\d+)/", CorrectiveActionReport, "pk"),
        (r"/api/v1/followup-calls/(\d+)/", FollowupCall, "pk"),
        (r"/api/v1/defect-watches/(\d+)/", DefectWatch, "pk"),
        (r"/api/v1/catalog/items/(\d+)/", ServiceItem, "pk"),
    ]


class ReadingClient(APIClient):
    def _read_first(self, path, data, extra) -> dict:
        if "HTTP_IF_MATCH" in extra or (isinstance(data, dict) and "version" in data):
            return extra
        for pattern, model, key in _records():
            match = re.match(pattern, path)
            if match:
                row = model.objects.filter(**{key: match[1]}).values("version").first()
                if row is not None:
                    return {**extra, "HTTP_IF_MATCH": f'"{row["version"]}"'}
                break
        return extra

    def post(self, path, data=None, format=None, **extra):
        return super().post(path, data, format, **self._read_first(path, data, extra))

    def put(self, path, data=None, format=None, **extra):
        return super().put(path, data, format, **self._read_first(path, data, extra))

    def patch(self, path, data=None, format=None, **extra):
        return super().patch(path, data, format, **self._read_first(path, data, extra))
