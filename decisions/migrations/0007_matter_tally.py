import django.db.models.deletion
from django.db import migrations, models


# One row per village, moved by the matters' own writes (same transaction, no batch). The column
# to move is the matter's state (a fixed set of names, quoted with %I).
TRIGGERS = """
CREATE FUNCTION decisions_matter_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('UPDATE decisions_mattertally SET %I = %I - 1, total = total - 1 WHERE village_id = $1',
                       OLD.state, OLD.state) USING OLD.village_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO decisions_mattertally (village_id) VALUES (NEW.village_id) ON CONFLICT DO NOTHING;
        EXECUTE format('UPDATE decisions_mattertally SET %I = %I + 1, total = total + 1 WHERE village_id = $1',
                       NEW.state, NEW.state) USING NEW.village_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER matter_tally_insert AFTER INSERT ON decisions_matter
    FOR EACH ROW EXECUTE FUNCTION decisions_matter_tally();
CREATE TRIGGER matter_tally_delete AFTER DELETE ON decisions_matter
    FOR EACH ROW EXECUTE FUNCTION decisions_matter_tally();
CREATE TRIGGER matter_tally_update AFTER UPDATE OF state, village_id ON decisions_matter
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.village_id IS DISTINCT FROM NEW.village_id)
    EXECUTE FUNCTION decisions_matter_tally();
"""

# The rows for the matters already recorded (also the check a test runs: tally = recount).
RECOUNT = """
INSERT INTO decisions_mattertally (village_id, total, new, proposed, consulted, reviewed, resolved,
                                   disclosed, completed, rejected)
SELECT village_id, COUNT(*), COUNT(*) FILTER (WHERE state = 'new'), COUNT(*) FILTER (WHERE state = 'proposed'),
       COUNT(*) FILTER (WHERE state = 'consulted'), COUNT(*) FILTER (WHERE state = 'reviewed'),
       COUNT(*) FILTER (WHERE state = 'resolved'), COUNT(*) FILTER (WHERE state = 'disclosed'),
       COUNT(*) FILTER (WHERE state = 'completed'), COUNT(*) FILTER (WHERE state = 'rejected')
FROM decisions_matter GROUP BY village_id
"""

DROP = """
DROP TRIGGER IF EXISTS matter_tally_insert ON decisions_matter;
DROP TRIGGER IF EXISTS matter_tally_delete ON decisions_matter;
DROP TRIGGER IF EXISTS matter_tally_update ON decisions_matter;
DROP FUNCTION IF EXISTS decisions_matter_tally();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('decisions', '0006_matter_disclose_by'),
        ('villages', '0002_branch_register'),
    ]

    operations = [
        migrations.CreateModel(
            name='MatterTally',
            fields=[
                ('village', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='matter_tally', serialize=False, to='villages.village')),
                ('total', models.IntegerField(default=0, db_default=0)),
                ('new', models.IntegerField(default=0, db_default=0)),
                ('proposed', models.IntegerField(default=0, db_default=0)),
                ('consulted', models.IntegerField(default=0, db_default=0)),
                ('reviewed', models.IntegerField(default=0, db_default=0)),
                ('resolved', models.IntegerField(default=0, db_default=0)),
                ('disclosed', models.IntegerField(default=0, db_default=0)),
                ('completed', models.IntegerField(default=0, db_default=0)),
                ('rejected', models.IntegerField(default=0, db_default=0)),
            ],
            options={
                'verbose_name': '事项计数',
                'verbose_name_plural': '事项计数',
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP),
        migrations.RunSQL(RECOUNT, migrations.RunSQL.noop),
    ]
