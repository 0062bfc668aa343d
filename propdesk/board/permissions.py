"""The board's part of the permission table (``core.permissions.ACTIONS``), registered in
``BoardConfig.ready()``."""

ACTIONS: dict = {}
