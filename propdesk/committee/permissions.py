"""The committee app's part of the permission table (``core.permissions.ACTIONS``), registered in
``CommitteeConfig.ready()``."""

ACTIONS: dict = {}
