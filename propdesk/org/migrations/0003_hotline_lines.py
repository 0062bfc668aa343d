# The office's hotline lines move here from the hotline app. Their tables stay as they are
# (hotline_hotlineline and its history): only Django's idea of which app holds them changes.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_company_complaint_line"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalHotlineLine",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                blank=True, editable=False, verbose_name="created at"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("complaint", "Complaints"),
                                    ("service", "Service"),
                                    ("duty", "24-hour duty"),
                                ],
                                max_length=10,
                                verbose_name="line",
                            ),
                        ),
                        (
                            "number",
                            models.CharField(db_index=True, max_length=20, verbose_name="number"),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "office",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="org.office",
                                verbose_name="office",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical hotline line",
                        "verbose_name_plural": "historical hotline lines",
                        "db_table": "hotline_historicalhotlineline",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HotlineLine",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated at"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("complaint", "Complaints"),
                                    ("service", "Service"),
                                    ("duty", "24-hour duty"),
                                ],
                                max_length=10,
                                verbose_name="line",
                            ),
                        ),
                        (
                            "number",
                            models.CharField(max_length=20, unique=True, verbose_name="number"),
                        ),
                        (
                            "office",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="lines",
                                to="org.office",
                                verbose_name="office",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "hotline line",
                        "verbose_name_plural": "hotline lines",
                        "db_table": "hotline_hotlineline",
                        "ordering": ["office", "kind"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("office", "kind"), name="line_one_per_kind"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
