"""Benchmarks and the large-data generator (see docs/benchmarks.md).

Run as ``python -m bench.generate`` and ``python -m bench.run`` from the project root; both use
the database configured by ``DATABASE_URL``, like the ``propdesk`` command. Importing the package
from a script sets Django up; under pytest-django it is set up already.
"""

import os

import django
from django.apps import apps

if not apps.ready:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "propdesk.settings")
    django.setup()
