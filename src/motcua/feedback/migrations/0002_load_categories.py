"""Load the petition categories (the Open311 services) from data/categories.json."""

from django.db import migrations


def load(apps, schema_editor):
    from motcua.feedback.categories import load_categories

    load_categories(apps.get_model("feedback", "Category"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
