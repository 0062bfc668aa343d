"""The surveys app's part of the permission table (``core.permissions.ACTIONS``), registered in
``SurveysConfig.ready()``."""

ACTIONS: dict = {}
