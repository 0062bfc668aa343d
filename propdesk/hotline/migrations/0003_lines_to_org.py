# The lines now belong to org (org 0003); the tables and their data stay where they were.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0002_initial"),
        ("org", "0003_hotline_lines"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="hotlineline",
                    name="office",
                ),
                migrations.AlterField(
                    model_name="historicalcall",
                    name="line",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="org.hotlineline",
                        verbose_name="line",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicaldutyshift",
                    name="line",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="org.hotlineline",
                        verbose_name="line",
                    ),
                ),
                migrations.AlterField(
                    model_name="call",
                    name="line",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="calls",
                        to="org.hotlineline",
                        verbose_name="line",
                    ),
                ),
                migrations.AlterField(
                    model_name="dutyshift",
                    name="line",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shifts",
                        to="org.hotlineline",
                        verbose_name="line",
                    ),
                ),
                migrations.DeleteModel(
                    name="HistoricalHotlineLine",
                ),
                migrations.DeleteModel(
                    name="HotlineLine",
                ),
            ],
            database_operations=[],
        ),
    ]
