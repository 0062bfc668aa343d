"""The forum app's part of the permission table (``core.permissions.ACTIONS``), registered in
``ForumConfig.ready()``."""

ACTIONS: dict = {}
