"""Load the methodologies shipped in indices/methodologies/ (YAML or JSON; idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from motcua.indices.methodology import methodologies_load

    methodologies_load(
        methodology_model=apps.get_model("indices", "Methodology"),
        node_model=apps.get_model("indices", "Node"),
    )


class Migration(migrations.Migration):
    dependencies = [("indices", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
