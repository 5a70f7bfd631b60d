"""Load the evaluation criteria from surveys/data/criteria.json (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from motcua.surveys.criteria import load_criteria

    load_criteria(apps.get_model("surveys", "RatingCriterion"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
