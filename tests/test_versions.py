"""No lost update (governance.versioning): two people editing one record, the second is told.

The last tests find every edit page of the project by its URL name (``*_edit``) and every record kind
that inherits ``Versioned``, so an app added later is checked without editing this file.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadres.models import Person
from decisions.models import Matter
from governance.versioning import Versioned
from tests.cadres.factories import PersonFactory
from tests.decisions.factories import MatterFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _matter_data(matter, **changes):
    data = {
        "title": matter.title,
        "category": matter.category,
        "amount": str(matter.amount),
        "description": matter.description,
        "planned_completion": matter.planned_completion.isoformat(),
        "version": matter.version,
    }
    return {**data, **changes}


def test_the_second_of_two_edits_of_a_matter_is_told_and_keeps_its_typed_values(village, staff):
    matter = MatterFactory(village=village, created_by=staff)
    colleague = _client(UserFactory(township=village.township, first_name="李", last_name="四"))
    edit = reverse("decisions:matter_edit", args=[matter.public_id])
    opened = _matter_data(matter)  # both opened the form at version 1

    first = _client(staff).post(edit, {**opened, "title": "甲改的名称"})
    second = colleague.post(edit, {**opened, "title": "乙改的名称"})

    assert first.status_code == 302
    assert second.status_code == 400
    page = second.content.decode()
    assert "在您编辑期间" in page and "您的修改尚未保存" in page
    assert 'value="乙改的名称"' in page  # what the second person typed is still in the form
    assert reverse("decisions:matter_detail", args=[matter.public_id]) in page  # link to the current one
    matter.refresh_from_db()
    assert matter.title == "甲改的名称" and matter.version == 2


def test_after_being_told_a_second_save_is_a_deliberate_overwrite(village, staff):
    matter = MatterFactory(village=village, created_by=staff)
    edit = reverse("decisions:matter_edit", args=[matter.public_id])
    client = _client(staff)
    opened = _matter_data(matter)
    client.post(edit, {**opened, "title": "甲改的名称"})
    told = client.post(edit, {**opened, "title": "乙改的名称"})
    # The form came back carrying the current version: sending it again saves.
    assert re.search(r'name="version" value="2"', told.content.decode())
    again = client.post(edit, {**opened, "title": "乙改的名称", "version": 2})
    assert again.status_code == 302
    matter.refresh_from_db()
    assert matter.title == "乙改的名称" and matter.version == 3


def _person_data(person, **changes):
    data = {
        "name": person.name,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth_date.isoformat(),
        "id_number": "",
        "education": person.education,
        "phone": person.phone,
        "home_village": person.home_village.code,
        "version": person.version,
    }
    return {**data, **changes}


def test_the_second_of_two_edits_of_a_person_is_told_and_the_first_is_kept(village, staff):
    person = PersonFactory(home_village=village)
    edit = reverse("cadres:person_edit", args=[person.public_id])
    opened = _person_data(person)
    colleague = _client(UserFactory(township=village.township))

    assert _client(staff).post(edit, {**opened, "phone": "13911112222"}).status_code == 302
    second = colleague.post(edit, {**opened, "phone": "13733334444"})

    assert second.status_code == 400
    page = second.content.decode()
    assert "在您编辑期间" in page and 'value="13733334444"' in page
    assert "您的修改尚未保存" in page
    assert reverse("cadres:person_detail", args=[person.public_id]) in page  # link to the current one
    person.refresh_from_db()
    assert person.phone == "13911112222" and person.version == 2
    assert person.history.count() == 2  # created, and the first edit; the refused one wrote nothing


# ---------------------------------------------------------------- every app, found automatically


def _edit_patterns():
    """(namespace:name, pattern) of every URL named ``*_edit`` in the project."""
    found = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and entry.name.endswith("_edit"):
                found.append(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_record_edited_through_a_form_is_versioned():
    # The edit pages of today's apps; a new ``*_edit`` page must be of a Versioned record too (below).
    assert {"cadres:person_edit", "decisions:matter_edit", "supervision:report_edit"} <= set(_edit_patterns())
    versioned = {model for model in apps.get_models() if issubclass(model, Versioned)}
    assert {Person, Matter} <= {model for model in versioned}


def test_every_edit_page_carries_the_version_it_was_opened_at(village, staff, official, settings):
    """Open each ``*_edit`` URL for a record of every Versioned kind that has a public id: each edit
    page must be reachable for one of them and carry a hidden ``version``."""
    from django.utils import timezone

    from tests.supervision.factories import PeriodFactory, ReportFactory

    today = timezone.localdate()
    last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    MatterFactory(village=village, created_by=staff)
    PersonFactory(home_village=village)
    # Last month's report: still open for editing (older periods lock).
    ReportFactory(village=village, period=PeriodFactory(year=last_month[0], number=last_month[1]))
    # 六个标准化: a rule of the county, an adoption and a draft review of the village's branch.
    from tests.standards.factories import AdoptionFactory, ReviewFactory

    AdoptionFactory(village=village)
    ReviewFactory(branch=village.branches.get())
    # 人民调解: an open dispute of the village (its edit page).
    from tests.mediation.factories import DisputeFactory

    DisputeFactory(village=village)
    # 五公开: a draft disclosure of the village (only drafts are edited).
    from tests.disclosures.factories import DisclosureFactory

    DisclosureFactory(village=village, state="draft")
    # 培训: a class of the village's township (its staff edit it).
    from tests.training.factories import TrainingClassFactory

    TrainingClassFactory(county=village.township.county, township=village.township)
    # A duty kind of our own: the migration's seeded kinds may have been flushed by a transactional test.
    from cadres.models import DutyKind

    DutyKind.objects.get_or_create(name="测试岗", defaults={"description": "版本检查"})
    # Township staff edit records; county officials edit reference data (duty kinds, rule catalogue).
    clients = [_client(staff), _client(official)]
    records = [
        record
        for model in apps.get_models()
        if issubclass(model, Versioned) and hasattr(model, "public_id")
        for record in model.objects.all()[:1]
    ]
    unchecked = []
    for name in _edit_patterns():
        pages = []
        for record in records:
            try:
                url = reverse(name, args=[record.public_id])
            except Exception:  # noqa: BLE001 - a URL of another kind of record
                continue
            for client in clients:
                response = client.get(url)
                if response.status_code == 200:
                    pages.append(response.content.decode())
        if not any('type="hidden" name="version"' in page for page in pages):
            unchecked.append(name)
    assert unchecked == [], f"edit pages without a version (see governance.versioning): {unchecked}"
