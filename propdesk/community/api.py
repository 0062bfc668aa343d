"""Placeholder: the API is being written."""

from rest_framework import viewsets

from .models import Activity


class ActivityViewSet(viewsets.GenericViewSet):
    queryset = Activity.objects.none()


class CustomerActivityViewSet(viewsets.GenericViewSet):
    queryset = Activity.objects.none()
