"""Checking and importing a workbook: all rows or none.

``batch_upload`` reads and checks an upload and, only when every row is valid, keeps the file as a
pending ``ImportBatch`` (nothing else is saved); ``batch_import`` (the confirmation step) reads the
stored file again and re-checks every row inside one transaction before creating the records, so a
person registered meanwhile by a colleague is caught, never half-imported. Re-importing the same
file creates nothing: rows already registered with the same details count as unchanged.

Kinds: people (checked in bulk through ``PersonForm``, created with ``bulk_create_with_history``),
posts and monthly reports (each row through its page's form and the real service, in a savepoint;
the upload's check is a rolled-back dry run, the confirmation keeps them).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from cadres import idnumbers
from cadres.models import Education, Person, Position, Sex
from cadres.selectors import people_visible_to
from cadres.services import ID_DUPLICATE_HIDDEN
from governance.integrity import CONFLICT
from governance.preview import dry_run
from governance.roles import can_edit_records, may_write_for
from imports import people, posts, reports
from imports.models import ImportBatch
from imports.workbook import FileRefused, Sheet, build_template, choices_map, read_sheet
from villages.selectors import villages_visible_to

ROW_ERROR = gettext_lazy("第 %(row)s 行 %(column)s：%(message)s")
ROW_ERROR_NO_COLUMN = gettext_lazy("第 %(row)s 行：%(message)s")
IMPORT_DENIED = gettext_lazy("只有乡镇工作人员可以导入本乡镇的记录。")
ALREADY_IMPORTED = gettext_lazy("这个文件已经导入过了。")
BATCH_SIZE = 1000


@dataclass
class RowError:
    row: int
    column: str
    message: str
    whole: bool = False  # ``message`` already names the row and column (a formula)

    def __str__(self) -> str:
        if self.whole:
            return self.message
        if self.column:
            return str(ROW_ERROR) % {"row": self.row, "column": self.column, "message": self.message}
        return str(ROW_ERROR_NO_COLUMN) % {"row": self.row, "message": self.message}


@dataclass
class Outcome:
    """What importing a sheet would do: the rows to create (cleaned form data), how many change nothing, and
    every row's errors (the import goes ahead only without errors)."""

    rows: int = 0
    to_create: list = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    """One kind of workbook: its sheet title (the file format, Chinese whatever the page language)
    and the module holding its columns, example row and notes (``imports.people``, ...)."""

    slug: str
    title: str
    module: object
    label: object = None  # the kind's name on the pages, in the reader's language

    @property
    def name(self) -> str:
        return str(self.label or self.title)

    @property
    def headers(self) -> list[str]:
        return self.module.HEADERS

    def template(self, user):
        names = [village.name for village in _own_villages(user)]
        # The file format is Chinese (headers, dropdown values, notes) whatever the page language.
        with translation.override("zh-hans"):
            return build_template(
                title=self.title,
                columns=self.module.columns(names),
                example=self.module.example_row(names),
                notes=[str(note) for note in self.module.NOTES],
            )


def own_villages_by_key(user) -> dict:
    """The user's own current villages by name and by code (the only ones a row may name)."""
    found = {}
    for village in _own_villages(user):
        found.setdefault(village.name, village)
        found[village.code] = village
    return found


PEOPLE = Kind(slug="people", title="人员花名册", module=people, label=gettext_lazy("人员花名册"))
POSTS = Kind(slug="posts", title="两委任职", module=posts, label=gettext_lazy("两委任职"))
REPORTS = Kind(slug="reports", title="月度监督报告", module=reports, label=gettext_lazy("月度监督报告"))
KINDS = {PEOPLE.slug: PEOPLE, POSTS.slug: POSTS, REPORTS.slug: REPORTS}


def _own_villages(user):
    return list(
        villages_visible_to(user)
        .filter(township_id=user.township_id, valid_to__isnull=True)
        .order_by("code")
        .only("pk", "code", "name", "township_id")
    )


def _outcome_of(sheet: Sheet) -> Outcome:
    """An outcome holding the sheet's own errors (formulas, whole-file problems) before the rows'."""
    outcome = Outcome(rows=len(sheet.rows) + len({row for row, _c, _m in sheet.errors}))
    outcome.errors = [RowError(row, column, message, whole=True) for row, column, message in sheet.errors]
    return outcome


def _add_row_errors(outcome: Outcome, row: int, errors: dict, form, *, header_of: dict) -> None:
    """One row's errors (ours, then the form's), each under its column's header, in column order."""
    for name, messages in form.errors.items():
        errors.setdefault(name, " ".join(messages))
    for name in [*header_of, "__all__"]:
        if name in errors:
            outcome.errors.append(RowError(row, header_of.get(name, ""), errors[name]))


def check_people(*, user, sheet: Sheet) -> Outcome:
    """Every row through ``PersonRowForm`` (the person form's rules), then, in two queries for the
    whole file, against the people already registered: a number seen before in the file or
    registered elsewhere is an error; one registered here with the same details is unchanged."""
    outcome = _outcome_of(sheet)
    form_class = people.row_form_class(villages=own_villages_by_key(user), township=user.township.name)
    lookups = {"sexes": choices_map(Sex), "educations": choices_map(Education)}
    first_row_of: dict[str, int] = {}
    valid = []
    for row, values in sheet.rows:
        data, errors = people.form_data(values, **lookups)
        form = form_class(data)
        if not form.is_valid() or errors:
            _add_row_errors(outcome, row, errors, form, header_of=people.HEADER_OF)
            continue
        cleaned = form.cleaned_data
        digest = idnumbers.keyed_hash(cleaned["id_number"])
        if digest in first_row_of:
            message = str(people.DUPLICATE_IN_FILE) % {"row": first_row_of[digest]}
            outcome.errors.append(RowError(row, people.ID_NUMBER, message))
            continue
        first_row_of[digest] = row
        valid.append((row, cleaned, digest))
    registered = {
        person.id_number_hash: person
        for person in Person.objects.filter(
            id_number_hash__in=[digest for _r, _c, digest in valid]
        ).select_related("home_village")
    }
    visible = set()
    if registered:
        ids = [person.pk for person in registered.values()]
        visible = set(people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for row, cleaned, digest in valid:
        person = registered.get(digest)
        if person is None:
            outcome.to_create.append(cleaned)
        elif person.pk not in visible:
            outcome.errors.append(RowError(row, people.ID_NUMBER, str(ID_DUPLICATE_HIDDEN)))
        elif changed := people.differences(person, cleaned):
            message = str(people.REGISTERED_DIFFERENT) % {
                "name": person.name,
                "village": person.home_village.name,
                "fields": "、".join(changed),
            }
            outcome.errors.append(RowError(row, people.ID_NUMBER, message))
        else:
            outcome.unchanged += 1
    outcome.errors.sort(key=lambda error: error.row)
    return outcome


def _new_person(cleaned: dict) -> Person:
    fields = {name: cleaned[name] for name in people.FIELD_OF.values() if name != "id_number"}
    person = Person(**fields)
    person.set_id_number(cleaned["id_number"])
    return person


def check_posts(*, user, sheet: Sheet) -> Outcome:
    """Every row through ``PostForm`` and then the real ``post_create``, each in a savepoint so
    that later rows see earlier ones (two secretaries of one village in one file clash). The
    caller decides whether the posts stay: ``batch_upload`` runs this in a rolled-back dry run,
    ``batch_import`` inside its transaction, rolled back as a whole on any error."""
    from cadres.forms import PostForm
    from cadres.models import Post
    from cadres.services import post_create
    from governance.forms import apply_errors

    outcome = _outcome_of(sheet)
    hashes = set()
    for _row, values in sheet.rows:
        number = values.get(posts.ID_NUMBER)
        if isinstance(number, str) and number.strip():
            hashes.add(idnumbers.keyed_hash(number))
    by_hash = {p.id_number_hash: p for p in people_visible_to(user).filter(id_number_hash__in=hashes)}
    existing = set(
        Post.objects.filter(person__in=list(by_hash.values())).values_list(
            "person_id", "village_id", "position", "start_date"
        )
    )
    lookups = {
        "people": by_hash,
        "villages": own_villages_by_key(user),
        "positions": choices_map(Position),
        "township": user.township.name,
    }
    first_row_of: dict[tuple, int] = {}
    for row, values in sheet.rows:
        data, errors = posts.form_data(values, **lookups)
        form = PostForm(data, user=user)
        if form.is_valid() and not errors:
            cleaned = form.cleaned_data
            key = (cleaned["person"].pk, cleaned["village"].pk, cleaned["position"], cleaned["start_date"])
            if key in first_row_of:
                errors["person"] = str(posts.DUPLICATE_IN_FILE) % {"row": first_row_of[key]}
            elif key in existing:
                first_row_of[key] = row
                outcome.unchanged += 1
                continue
            else:
                first_row_of[key] = row
                try:
                    with transaction.atomic():
                        outcome.to_create.append(post_create(**cleaned))
                except ValidationError as exc:
                    apply_errors(form, exc)
        _add_row_errors(outcome, row, errors, form, header_of=posts.HEADER_OF)
    outcome.errors.sort(key=lambda error: error.row)
    return outcome


def check_reports(*, user, sheet: Sheet) -> Outcome:
    """Every row through ``ReportCreateForm`` (with the rule that a report says something) and the
    real ``report_create`` as a draft, each in a savepoint. A report already there for the village
    and month with the same texts is unchanged; with other texts it is the form's "already exists"."""
    from supervision.forms import ReportCreateForm
    from supervision.models import Kind as PeriodKind
    from supervision.models import Report
    from supervision.services import report_create

    outcome = _outcome_of(sheet)
    villages = own_villages_by_key(user)
    candidates = villages_visible_to(user).filter(township_id=user.township_id, valid_to__isnull=True)
    texts = list(reports.TEXTS.values())
    existing = {
        (report.village_id, report.period.year, report.period.number): report
        for report in Report.objects.filter(
            village__in=candidates, period__kind=PeriodKind.MONTHLY
        ).select_related("period")
    }
    first_row_of: dict[tuple, int] = {}
    for row, values in sheet.rows:
        data, errors = reports.form_data(values, villages=villages, township=user.township.name)
        village = villages.get(data["village"])
        key = None
        if village is not None and data["period"]:
            year, month = data["period"].split("-")
            key = (village.pk, int(year), int(month))
        if not errors and key in first_row_of:
            message = str(reports.DUPLICATE_IN_FILE) % {"row": first_row_of[key]}
            outcome.errors.append(RowError(row, reports.VILLAGE, message))
            continue
        if not errors and key in existing and all(getattr(existing[key], f) == data[f] for f in texts):
            first_row_of[key] = row
            outcome.unchanged += 1
            continue
        form = ReportCreateForm(data, villages=candidates, submitting=True)
        if form.is_valid() and not errors:
            first_row_of[key] = row
            kind, year, number = form.cleaned_data["period"]
            try:
                with transaction.atomic():
                    report = report_create(
                        village=form.cleaned_data["village"],
                        kind=kind,
                        year=year,
                        number=number,
                        user=user,
                        data=form.cleaned_data,
                    )
                outcome.to_create.append(report)
            except ValidationError as exc:
                errors["__all__"] = " ".join(exc.messages)
        _add_row_errors(outcome, row, errors, form, header_of=reports.HEADER_OF)
    outcome.errors.sort(key=lambda error: error.row)
    return outcome


CHECKS = {PEOPLE.slug: check_people, POSTS.slug: check_posts, REPORTS.slug: check_reports}


def _require_importer(user) -> None:
    if not (can_edit_records(user) and may_write_for(user, user.township_id)):
        raise PermissionDenied(IMPORT_DENIED)


def check_upload(*, kind: Kind, user, upload) -> tuple[Outcome, bytes]:
    """The outcome of importing ``upload`` (nothing saved). Raises ``FileRefused``."""
    _require_importer(user)
    sheet = read_sheet(upload, title=kind.title, headers=kind.headers)
    upload.seek(0)
    # A check that runs the real services (posts) leaves nothing behind: it is rolled back.
    return dry_run(lambda: CHECKS[kind.slug](user=user, sheet=sheet)), upload.read()


def batch_upload(*, kind: Kind, user, upload) -> tuple[Outcome, ImportBatch | None]:
    """Check ``upload``; with no row errors keep it as a pending batch of ``user`` (the same file
    uploaded again reuses its pending batch). With errors nothing is kept."""
    outcome, content = check_upload(kind=kind, user=user, upload=upload)
    if outcome.errors:
        return outcome, None
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch.objects.filter(
        user=user, kind=kind.slug, sha256=digest, state=ImportBatch.State.PENDING
    ).first()
    if batch is None:
        batch = ImportBatch(
            kind=kind.slug,
            user=user,
            township_id=user.township_id,
            sha256=digest,
            original_name=(getattr(upload, "name", "") or "")[:120],
        )
        batch.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(content), save=False)
    batch.rows = outcome.rows
    batch.created = len(outcome.to_create)
    batch.unchanged = outcome.unchanged
    batch.save()
    return outcome, batch


@transaction.atomic
def batch_import(*, batch: ImportBatch, user) -> ImportBatch:
    """Create every record of a pending batch, or none: the stored file is read and checked again
    inside the transaction. Raises ValidationError with every row's error."""
    _require_importer(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.user_id != user.pk or batch.township_id != user.township_id:
        raise PermissionDenied(IMPORT_DENIED)
    if batch.state == ImportBatch.State.IMPORTED:
        raise ValidationError(str(ALREADY_IMPORTED), code="imported")
    with batch.file.open("rb") as stored:
        content = ContentFile(stored.read())
    try:
        sheet = read_sheet(content, title=KINDS[batch.kind].title, headers=KINDS[batch.kind].headers)
    except FileRefused as exc:
        raise ValidationError(exc.message, code="file") from exc
    outcome = CHECKS[batch.kind](user=user, sheet=sheet)
    if outcome.errors:
        raise ValidationError([str(error) for error in outcome.errors], code="rows")
    if batch.kind == PEOPLE.slug:
        try:
            with transaction.atomic():
                bulk_create_with_history(
                    [_new_person(cleaned) for cleaned in outcome.to_create],
                    Person,
                    batch_size=BATCH_SIZE,
                    default_user=user,
                    default_change_reason=_("Excel导入"),
                )
        except IntegrityError as exc:
            # A colleague registered one of these numbers between the check and the insert.
            raise ValidationError(str(CONFLICT), code="conflict") from exc
    # Posts were created by post_create during the check, inside this transaction.
    batch.state = ImportBatch.State.IMPORTED
    batch.rows = outcome.rows
    batch.created = len(outcome.to_create)
    batch.unchanged = outcome.unchanged
    batch.imported_at = timezone.now()
    batch.save()
    return batch
