"""A minimal Django project around django-helpdesk, for ``bench.intake --helpdesk VENV``: its
settings, URLs and setup. django-helpdesk itself is never part of this repository; it is
installed into a separate virtualenv (see ``bench/intake.py``)."""
