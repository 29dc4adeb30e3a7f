import secrets

from django.db import migrations, models
from django.utils import timezone

# The domains whose records the cached figures read (presence.core.figures.DOMAINS when written).
DOMAINS = ("org", "portfolio", "results", "staffing", "engagement", "resilience", "mandates", "council")


def domain_versions(apps, schema_editor):
    # The one row there was had its primary key given (1), which PostgreSQL's sequence does not know
    # of: it is replaced, and every row is numbered by the database. Random tokens, so two databases
    # (test databases among them) never share a version.
    model = apps.get_model("core", "DataVersion")
    now = timezone.now()
    model.objects.all().delete()
    for domain in ("all", *DOMAINS):
        model.objects.create(domain=domain, token=secrets.token_hex(16), changed_at=now)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_data_version"),
    ]

    operations = [
        # The one version row there was becomes the version of all records.
        migrations.AddField(
            model_name="dataversion",
            name="domain",
            field=models.CharField(default="all", max_length=40, verbose_name="domain"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="dataversion",
            name="domain",
            field=models.CharField(max_length=40, unique=True, verbose_name="domain"),
        ),
        migrations.RunPython(domain_versions, migrations.RunPython.noop),
    ]
