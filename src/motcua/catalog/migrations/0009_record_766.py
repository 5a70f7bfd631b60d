import importlib

from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import TruncDate

# Adding a column rebuilds catalog_procedure on SQLite and drops its FTS triggers (see 0007).
_restore = importlib.import_module(
    "motcua.catalog.migrations.0007_procedure_conditions_result"
).restore_search_triggers


def mark_existing(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    CatalogEvent = apps.get_model("catalog", "CatalogEvent")
    # The same rule as catalog.services.is_certification, frozen here as migrations must be.
    Procedure.objects.filter(
        Q(name__istartswith="Chứng thực") | Q(field__name__istartswith="Chứng thực")
    ).update(certification=True)
    # Events recorded before the field existed were made public the day they were recorded.
    CatalogEvent.objects.filter(published_on__isnull=True).update(
        published_on=TruncDate("recorded_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_field_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="catalogevent",
            name="published_on",
            field=models.DateField(blank=True, null=True, verbose_name="published on"),
        ),
        migrations.AddField(
            model_name="procedure",
            name="certification",
            field=models.BooleanField(
                default=False,
                help_text="A certification (chứng thực) procedure.",
                verbose_name="certification procedure",
            ),
        ),
        migrations.RunPython(_restore, _restore),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]
