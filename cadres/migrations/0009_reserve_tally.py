import django.db.models.deletion
from django.db import migrations, models


# One row per village and plan year, recounted by the writes that can change it (same transaction,
# no batch): a reserve cadre added, removed, moved, withdrawn or given another person, and a person's
# background tags changed.
TRIGGERS = """
CREATE FUNCTION cadres_reserve_recount(v bigint, y integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO cadres_reservetally (village_id, plan_year, reserves, backgrounds)
    SELECT v, y, COUNT(*), COUNT(*) FILTER (WHERE p.is_returning_migrant OR p.is_wealth_expert)
    FROM cadres_reservecadre r JOIN cadres_person p ON p.id = r.person_id
    WHERE r.village_id = v AND r.plan_year = y AND r.outcome <> 'withdrawn'
    ON CONFLICT (plan_year, village_id)
    DO UPDATE SET reserves = EXCLUDED.reserves, backgrounds = EXCLUDED.backgrounds;
$$;
CREATE FUNCTION cadres_reserve_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cadres_reserve_recount(OLD.village_id, OLD.plan_year);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM cadres_reserve_recount(NEW.village_id, NEW.plan_year);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION cadres_person_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cadres_reserve_recount(r.village_id, r.plan_year)
    FROM (SELECT DISTINCT village_id, plan_year FROM cadres_reservecadre WHERE person_id = NEW.id) r;
    RETURN NULL;
END
$$;
CREATE TRIGGER reserve_tally_insert AFTER INSERT ON cadres_reservecadre
    FOR EACH ROW EXECUTE FUNCTION cadres_reserve_tally();
CREATE TRIGGER reserve_tally_delete AFTER DELETE ON cadres_reservecadre
    FOR EACH ROW EXECUTE FUNCTION cadres_reserve_tally();
CREATE TRIGGER reserve_tally_update AFTER UPDATE OF village_id, plan_year, outcome, person_id
    ON cadres_reservecadre FOR EACH ROW
    WHEN (OLD.village_id IS DISTINCT FROM NEW.village_id OR OLD.plan_year IS DISTINCT FROM NEW.plan_year
          OR OLD.outcome IS DISTINCT FROM NEW.outcome OR OLD.person_id IS DISTINCT FROM NEW.person_id)
    EXECUTE FUNCTION cadres_reserve_tally();
CREATE TRIGGER person_reserve_tally AFTER UPDATE OF is_returning_migrant, is_wealth_expert
    ON cadres_person FOR EACH ROW
    WHEN (OLD.is_returning_migrant IS DISTINCT FROM NEW.is_returning_migrant
          OR OLD.is_wealth_expert IS DISTINCT FROM NEW.is_wealth_expert)
    EXECUTE FUNCTION cadres_person_tally();
"""

# The rows for the reserve cadres already recorded (also the check a test runs: tally = recount).
RECOUNT = """
INSERT INTO cadres_reservetally (village_id, plan_year, reserves, backgrounds)
SELECT r.village_id, r.plan_year, COUNT(*) FILTER (WHERE r.outcome <> 'withdrawn'),
       COUNT(*) FILTER (WHERE r.outcome <> 'withdrawn' AND (p.is_returning_migrant OR p.is_wealth_expert))
FROM cadres_reservecadre r JOIN cadres_person p ON p.id = r.person_id
GROUP BY r.village_id, r.plan_year
"""

DROP = """
DROP TRIGGER IF EXISTS reserve_tally_insert ON cadres_reservecadre;
DROP TRIGGER IF EXISTS reserve_tally_delete ON cadres_reservecadre;
DROP TRIGGER IF EXISTS reserve_tally_update ON cadres_reservecadre;
DROP TRIGGER IF EXISTS person_reserve_tally ON cadres_person;
DROP FUNCTION IF EXISTS cadres_person_tally();
DROP FUNCTION IF EXISTS cadres_reserve_tally();
DROP FUNCTION IF EXISTS cadres_reserve_recount(bigint, integer);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0008_remove_reserve_training'),
        ('villages', '0002_branch_register'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReserveTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('plan_year', models.PositiveSmallIntegerField(verbose_name='计划年度')),
                ('reserves', models.IntegerField(default=0, db_default=0)),
                ('backgrounds', models.IntegerField(default=0, db_default=0)),
                ('village', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reserve_tallies', to='villages.village', verbose_name='村（社区）')),
            ],
            options={
                'verbose_name': '后备干部计数',
                'verbose_name_plural': '后备干部计数',
                'constraints': [models.UniqueConstraint(fields=('plan_year', 'village'), name='one_reserve_tally')],
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP),
        migrations.RunSQL(RECOUNT, migrations.RunSQL.noop),
    ]
