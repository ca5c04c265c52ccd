from django.conf import settings
from django.db import migrations, models


# Matters resolved before the field existed: the vote's date plus the notice period kept on the
# 决议 step (else the default policy's, else the 7 days of DESIGN §6).
BACKFILL = """
UPDATE decisions_matter m SET disclose_by = m.resolved_on + COALESCE(
    (SELECT s.rule_notice_days FROM decisions_step s WHERE s.matter_id = m.id AND s.kind = 4),
    (SELECT p.notice_period_days FROM decisions_decisionpolicy p
     WHERE p.county_id IS NULL ORDER BY p.effective_from DESC LIMIT 1),
    7)
WHERE m.resolved_on IS NOT NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0005_county_policy'),
        ('villages', '0002_branch_register'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalmatter',
            name='disclose_by',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='决议公示截止日期'),
        ),
        migrations.AddField(
            model_name='matter',
            name='disclose_by',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='决议公示截止日期'),
        ),
        migrations.RunSQL(
            BACKFILL,
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name='matter',
            index=models.Index(fields=['state', 'disclose_by'], name='matter_state_disclose_by'),
        ),
    ]
