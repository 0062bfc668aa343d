"""Console pages for after service: defects."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
