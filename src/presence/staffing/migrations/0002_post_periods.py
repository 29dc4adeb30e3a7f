"""Posts' dated states stored as periods (staffing.periods), computed for the posts already recorded."""

import django.db.models.deletion
from django.db import migrations, models


def fill_periods(apps, schema_editor):
    from presence.staffing.periods import rebuild_all_periods

    rebuild_all_periods(
        post_model=apps.get_model("staffing", "Post"),
        action_model=apps.get_model("staffing", "PostAction"),
        period_model=apps.get_model("staffing", "PostPeriod"),
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0004_region_office_priority_name_translations'),
        ('staffing', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='PostPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid until (exclusive)')),
                ('grade', models.CharField(choices=[('G1', 'G1'), ('G2', 'G2'), ('G3', 'G3'), ('G4', 'G4'), ('G5', 'G5'), ('G6', 'G6'), ('G7', 'G7'), ('NO-A', 'NO-A'), ('NO-B', 'NO-B'), ('NO-C', 'NO-C'), ('NO-D', 'NO-D'), ('NO-E', 'NO-E'), ('P1', 'P1'), ('P2', 'P2'), ('P3', 'P3'), ('P4', 'P4'), ('P5', 'P5'), ('D1', 'D1'), ('D2', 'D2')], max_length=4, verbose_name='grade')),
                ('filled', models.BooleanField(verbose_name='filled')),
                ('sector', models.CharField(choices=[('BDT', 'BDT (development)'), ('TSB', 'TSB (standardization)'), ('BR', 'BR (radiocommunication)'), ('GS', 'General Secretariat')], max_length=3, verbose_name='sector')),
                ('category', models.CharField(choices=[('GS', 'General Service'), ('NO', 'National Professional Officer'), ('P', 'Professional'), ('D', 'Director')], max_length=2, verbose_name='category')),
                ('funding', models.CharField(choices=[('regular', 'Regular budget'), ('extra_budgetary', 'Extra-budgetary'), ('project', 'Project')], max_length=20, verbose_name='funding')),
                ('frozen', models.BooleanField(verbose_name='frozen')),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.office', verbose_name='office')),
                ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='periods', to='staffing.post', verbose_name='post')),
            ],
            options={
                'verbose_name': 'post period',
                'verbose_name_plural': 'post periods',
                'indexes': [models.Index(fields=['valid_from', 'valid_to'], name='staffing_period_dates'), models.Index(fields=['office', 'valid_from', 'valid_to'], name='staffing_period_office')],
                'constraints': [models.UniqueConstraint(fields=('post', 'valid_from'), name='staffing_period_once')],
            },
        ),
        migrations.RunPython(fill_periods, migrations.RunPython.noop),
    ]
