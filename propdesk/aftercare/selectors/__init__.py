"""Every read of the after-service app, office-scoped, one module per part: ``followups`` (M13),
``defects`` (M14), ``rework`` (M15), ``measures`` (the weekly numbers). The services import what
they read from here; nothing here writes."""

from .followups import specialists_by_workload

__all__ = ["specialists_by_workload"]
