"""The 3512 reserve cadres' training records (``cadres.ReserveTraining``) become classes and
attendances: one kind of training record.

One ``TrainingClass`` per distinct (county of the reserve's village, course, date, hours): title =
course, start = end = the date, hours from the row, audience 后备干部, organised by the township of
the reserves' villages (by the county when the rows of one class come from several townships), place
"未记录" (the old records had none). One ``Attendance`` (参训) per reserve cadre's person and class.
Nothing is lost: every old row is an attendance of a class with its date, course and hours
(tests/training/test_migration.py). Backwards, the attendances of these classes become rows again.
"""

from django.db import migrations
from django.utils import timezone

MIGRATED_PLACE = "未记录"
REASON = "迁移自后备干部培训记录"


def _history(apps, model_name, rows, now):
    history = apps.get_model("training", f"Historical{model_name}")
    fields = [f.attname for f in apps.get_model("training", model_name)._meta.concrete_fields]
    history.objects.bulk_create(
        history(
            **{name: getattr(row, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason=REASON,
        )
        for row in rows
    )


def forward(apps, schema_editor):
    ReserveTraining = apps.get_model("cadres", "ReserveTraining")
    TrainingClass = apps.get_model("training", "TrainingClass")
    Attendance = apps.get_model("training", "Attendance")
    groups: dict[tuple, dict] = {}
    rows = ReserveTraining.objects.select_related("reserve__village__township").order_by("trained_on", "pk")
    for row in rows.iterator():
        township = row.reserve.village.township
        key = (township.county_id, row.course, row.trained_on, row.hours)
        group = groups.setdefault(key, {"townships": set(), "people": []})
        group["townships"].add(township.pk)
        if row.reserve.person_id not in group["people"]:
            group["people"].append(row.reserve.person_id)
    now = timezone.now()
    classes, attendances = [], []
    for (county_id, course, day, hours), group in groups.items():
        townships = group["townships"]
        training_class = TrainingClass.objects.create(
            county_id=county_id,
            township_id=next(iter(townships)) if len(townships) == 1 else None,
            title=course,
            start_date=day,
            end_date=day,
            place=MIGRATED_PLACE,
            hours=hours,
            audience=["reserve"],
        )
        classes.append(training_class)
        attendances += [
            Attendance(training_class=training_class, person_id=person_id, status="attended")
            for person_id in group["people"]
        ]
    attendances = Attendance.objects.bulk_create(attendances)
    _history(apps, "TrainingClass", classes, now)
    _history(apps, "Attendance", attendances, now)


def backward(apps, schema_editor):
    ReserveTraining = apps.get_model("cadres", "ReserveTraining")
    ReserveCadre = apps.get_model("cadres", "ReserveCadre")
    TrainingClass = apps.get_model("training", "TrainingClass")
    Attendance = apps.get_model("training", "Attendance")
    migrated = TrainingClass.objects.filter(place=MIGRATED_PLACE, audience=["reserve"], created_by__isnull=True)
    for attendance in Attendance.objects.filter(training_class__in=migrated).select_related("training_class"):
        training_class = attendance.training_class
        reserve = (
            ReserveCadre.objects.filter(
                person_id=attendance.person_id, village__township__county_id=training_class.county_id
            )
            .order_by("-plan_year")
            .first()
        )
        if reserve is not None:
            ReserveTraining.objects.create(
                reserve=reserve,
                trained_on=training_class.start_date,
                course=training_class.title,
                hours=training_class.hours,
            )
    history = apps.get_model("training", "HistoricalAttendance")
    history.objects.filter(training_class_id__in=migrated.values("pk")).delete()
    Attendance.objects.filter(training_class__in=migrated).delete()
    apps.get_model("training", "HistoricalTrainingClass").objects.filter(id__in=migrated.values("pk")).delete()
    migrated.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("cadres", "0007_stationing"),
    ]

    operations = [migrations.RunPython(forward, backward)]
