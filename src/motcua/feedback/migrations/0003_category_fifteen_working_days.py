"""Petitions are handled within 15 working days, the deadline the national portal scores:
categories still at the deadlines first shipped (5 or 10 days) move to 15; a deadline an
administrator changed is kept."""

from django.db import migrations, models

FIRST_SHIPPED = {
    "HT01": 10,
    "HT02": 10,
    "HT03": 10,
    "HT04": 5,
    "TT01": 10,
    "TT02": 10,
    "MT01": 5,
    "MT02": 10,
    "HC01": 10,
    "HC02": 10,
    "HC03": 10,
    "DV01": 10,
    "DV02": 10,
}


def forward(apps, schema_editor):
    category = apps.get_model("feedback", "Category")
    for code, days in FIRST_SHIPPED.items():
        category.objects.filter(code=code, working_days=days).update(working_days=15)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_load_categories")]

    operations = [
        migrations.AlterField(
            model_name="category",
            name="working_days",
            field=models.PositiveSmallIntegerField(
                default=15, verbose_name="answer within (working days)"
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
