"""One chain per agency instead of one for the province.

The events already written keep their hashes: they become the closed chain `legacy`, numbered
in the order they were appended (id order, as the single chain was verified), and the single
head row becomes its head. New events start the per-agency chains, so an existing
installation keeps verifying without re-hashing anything."""

from django.db import migrations, models

NUMBER_SQL = (
    "UPDATE audit_event SET seq = r.rn FROM "
    "(SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM audit_event) AS r "
    "WHERE audit_event.id = r.id"
)


def number_legacy_events(apps, schema_editor):
    connection = schema_editor.connection
    Event = apps.get_model("audit", "Event")
    # UPDATE … FROM: PostgreSQL, and SQLite from 3.33 on; one statement for millions of rows.
    sqlite_ok = connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (
        3,
        33,
    )
    if connection.vendor == "postgresql" or sqlite_ok:
        with connection.cursor() as cursor:
            cursor.execute(NUMBER_SQL)
        return
    seq = 0
    batch = []
    for event in Event.objects.order_by("id").only("id").iterator(chunk_size=5000):
        seq += 1
        event.seq = seq
        batch.append(event)
        if len(batch) == 5000:
            Event.objects.bulk_update(batch, ["seq"])
            batch = []
    Event.objects.bulk_update(batch, ["seq"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="chainhead",
            name="chain",
            field=models.CharField(
                default="legacy", max_length=40, unique=True, verbose_name="chain"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="chain",
            field=models.CharField(default="legacy", max_length=40, verbose_name="chain"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="seq",
            field=models.PositiveBigIntegerField(
                default=0, verbose_name="position in its chain"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(number_legacy_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_event_chain_seq"
            ),
        ),
        migrations.CreateModel(
            name="Anchor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(unique=True)),
                ("at", models.DateTimeField(verbose_name="time")),
                ("heads", models.JSONField(default=dict)),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64, unique=True)),
            ],
            options={
                "verbose_name": "chain anchor",
                "verbose_name_plural": "chain anchors",
                "ordering": ["seq"],
            },
        ),
    ]
