from django.db import models


class Request(models.Model):
    """A row as wide as propdesk's request (``tickets.Ticket``, 33 columns): the same kinds of
    columns, the references as plain numbers (the floor inserts one row and reads nothing else),
    and a few indexes."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    number = models.CharField(max_length=20, blank=True)
    office_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=20)
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=20, default="new")
    priority = models.CharField(max_length=20, default="normal")
    customer_id = models.BigIntegerField()
    household_id = models.BigIntegerField(null=True)
    item_id = models.BigIntegerField(null=True)
    description = models.TextField()
    requested_deadline = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    created_by_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    confirmation = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True)
    answer = models.TextField(blank=True)
    decline_explanation = models.TextField(blank=True)
    work_summary = models.TextField(blank=True)
    final_charge = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    completed_at = models.DateTimeField(null=True)
    closed_at = models.DateTimeField(null=True)
    satisfied = models.BooleanField(null=True)
    stars = models.PositiveSmallIntegerField(null=True)
    satisfaction_reasons = models.JSONField(default=list)
    satisfaction_comment = models.TextField(blank=True)
    rework_of_id = models.BigIntegerField(null=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    idempotency_key = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["office_id", "-created_at"]),
            models.Index(fields=["customer_id", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]
