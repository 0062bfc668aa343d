"""What other parts of propdesk may react to, inside the same transaction as the change.

The request loop knows nothing of follow-ups or defect watches; the after-service app listens
here instead (``aftercare.apps``). Receivers run synchronously, so what they write commits or
rolls back with the change that caused it.
"""

from django.dispatch import Signal

# A work order was completed: ``ticket``, ``actor``, ``now``.
ticket_completed = Signal()

# A rework order was opened on a customer's complaint that a defect remains (M15): ``original``,
# ``rework``, ``source`` (a ReworkSource value), ``complained_at``, ``actor``, ``now``.
rework_opened = Signal()
