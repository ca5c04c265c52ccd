"""Hardening of [5/10]: exports are data, HEAD and CSP everywhere, a lost database is a plain 503,
oversized bodies are refused, races are form errors, no existence leak, logins write no history."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import threading
import time
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError, connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cadres import services as cadre_services
from cadres.models import Person
from governance.embedded_db import _repair_state_file
from governance.models import User
from tests.cadres.factories import PersonFactory
from tests.decisions.factories import MatterFactory
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", '=HYPERLINK("http://example.org","x")', "\t=1+1"]


# ---------------------------------------------------------------- exports


def _export(client, fmt):
    return client.get(reverse("decisions:index"), {"export": fmt})


def test_a_csv_export_shows_formulas_as_text(staff_client, village, staff):
    for title in FORMULAS:
        MatterFactory(village=village, created_by=staff, title=title)
    body = b"".join(_export(staff_client, "csv").streaming_content).decode("utf-8-sig")
    titles = {row[2] for row in list(csv.reader(io.StringIO(body)))[1:]}
    # OWASP: a leading apostrophe, which spreadsheets read as "text follows" and do not show.
    assert titles == {"'" + title for title in FORMULAS}


def test_an_xlsx_export_stores_formulas_as_text_cells(staff_client, village, staff):
    for title in [*FORMULAS, "普通事项"]:
        MatterFactory(village=village, created_by=staff, title=title)
    sheet = load_workbook(io.BytesIO(_export(staff_client, "xlsx").getvalue())).active
    cells = {row[2].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {*FORMULAS, "普通事项"}  # the text exactly as typed
    for title in FORMULAS:
        assert cells[title].data_type == "s", title  # a string, never "f" (a formula)
        assert cells[title].quotePrefix, title  # and stays text when edited in Excel
    assert not cells["普通事项"].quotePrefix


# ---------------------------------------------------------------- HEAD and CSP


def test_pages_answer_head_like_get(staff_client, village):
    for url in [
        reverse("home"),
        reverse("dashboard"),
        reverse("villages:village_list"),
        reverse("villages:village_detail", args=[village.code]),
        reverse("cadres:index"),
        reverse("cadres:person_create"),
        reverse("decisions:index"),
        reverse("decisions:matter_create"),
        reverse("supervision:index"),
        reverse("public:index"),
        reverse("healthz"),
    ]:
        response = staff_client.head(url)
        assert response.status_code == 200, url
        assert response.content == b"", url


def test_every_kind_of_response_carries_a_strict_content_security_policy(staff_client, client, village):
    responses = [
        staff_client.get(reverse("home")),
        staff_client.get("/no-such-page/"),
        staff_client.get(reverse("decisions:index"), {"export": "csv"}),
        client.get(reverse("login")),
        client.get(reverse("healthz")),
        client.get(reverse("home")),  # the redirect to the login page
    ]
    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE = re.compile(
    r"<style\b|\sstyle=|<script>|<script\s(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")|\son[a-z]+="
)
BLOCK = re.compile(r"{%\s*block\s+(\w+)\s*%}")


def _inline_code(text: str) -> list[str]:
    return [match.group(0).strip() for match in INLINE.finditer(text)]


def _without_blocks(text: str, names: set[str]) -> str:
    """The template text without the named blocks (those a child template replaces)."""
    for name in names:
        text = re.sub(
            r"{%\s*block\s+" + name + r"\s*%}.*?{%\s*endblock(?:\s+" + name + r")?\s*%}", "", text, flags=re.S
        )
    return text


def test_no_template_has_inline_script_or_style():
    """The policy forbids them; a template that adds one would break in the browser.

    Every template the loaders can find is read: the project's, every app's (the admin,
    django-filter, simple_history, auth), as the engine resolves each name: a template the project
    overrides is not rendered, unless the override extends it (``{% extends "admin/change_list.html" %}``
    from templates/admin/change_list.html), then every block the override does not replace is."""
    from pathlib import Path

    from django.template import engines

    engine = engines["django"].engine
    directories = []
    for loader in engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            directories += [Path(d) for d in inner.get_dirs() if Path(d).is_dir()]
    # The app directories are read too: the admin's and the third-party apps'.
    assert any("contrib/admin" in str(d) for d in directories) and len(directories) >= 4, directories

    found, read = [], 0
    for index, directory in enumerate(directories):
        for path in directory.rglob("*.html"):
            name = path.relative_to(directory).as_posix()
            text = path.read_text()
            read += 1
            overrides = [d / name for d in directories[:index] if (d / name).is_file()]
            if overrides:
                child = overrides[-1].read_text()  # the nearest one in front of it extends this one
                if not re.search(r"{%\s*extends\s+[\"']" + re.escape(name) + r"[\"']", child):
                    continue  # replaced outright: never rendered
                text = _without_blocks(text, set(BLOCK.findall(child)))
            if inline := _inline_code(text):
                found.append(f"{path}: {inline}")
    assert read > 100, read
    assert found == [], "\n".join(found)


def test_the_admin_pages_the_project_overrides_render_without_inline_style(
    admin_client_, admin_user, monkeypatch
):
    """templates/admin/change_list.html and templates/simple_history/object_history_list.html: the
    change list (also without action bars, where Django writes its inline style) and a user's
    history answer 200 with no inline style, the moved rules coming from static/css/admin.css."""
    from django.contrib.admin import site

    from governance.models import User

    change_list = admin_client_.get(reverse("admin:governance_user_changelist"))
    assert change_list.status_code == 200 and 'id="changelist"' in change_list.content.decode()
    model_admin = site._registry[User]
    monkeypatch.setattr(model_admin, "actions_on_top", False)
    monkeypatch.setattr(model_admin, "actions_on_bottom", False)
    bare = admin_client_.get(reverse("admin:governance_user_changelist")).content.decode()
    assert "css/admin.css" in bare
    history = admin_client_.get(reverse("admin:governance_user_history", args=[admin_user.pk]))
    assert history.status_code == 200
    history_html = history.content.decode()
    assert 'id="change-history"' in history_html and "history-paginator" in history_html
    for html in (change_list.content.decode(), bare, history_html):
        assert _inline_code(html) == [], _inline_code(html)


def test_the_inline_code_scan_finds_what_the_policy_blocks():
    for text in (
        "<style>a{}</style>",
        '<p style="x">',
        "<script>x()</script>",
        '<a onclick="x">',
        "<script defer>",
    ):
        assert _inline_code(text), text
    for text in (
        '<script src="/s.js"></script>',
        '<script type="application/json" id="d">',
        "<p class=style>",
    ):
        assert not _inline_code(text), text
    parent = "{% block a %}<style>{% endblock %}{% block b %}ok{% endblock b %}"
    assert _without_blocks(parent, {"a"}) == "{% block b %}ok{% endblock b %}"


# ---------------------------------------------------------------- the database going away


def test_pages_answer_a_plain_503_while_the_database_is_unreachable(staff_client):
    lost = OperationalError("could not connect to server: Connection refused")
    with mock.patch("governance.views.overview_units", side_effect=lost):
        response = staff_client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert "暂时无法访问，请稍后再试" in response.content.decode()
    assert staff_client.get(reverse("home")).status_code == 200  # and recovers by itself


def test_a_constraint_no_service_caught_answers_409_not_500(staff_client):
    """The safety net behind governance.integrity.save_checked."""
    clash = IntegrityError('duplicate key value violates unique constraint "x"')
    with mock.patch("governance.views.overview_units", side_effect=clash):
        response = staff_client.get(reverse("home"))
    assert response.status_code == 409
    assert "提交冲突，没有保存" in response.content.decode()


def test_the_server_error_handler_also_answers_503_for_a_lost_database(rf):
    from governance.views import server_error

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500


def test_connections_are_not_kept_per_thread_under_the_development_server(settings):
    from governance.embedded_db import embedded_database_settings
    from governance.settings.base import DATA_DIR

    config = embedded_database_settings(DATA_DIR)
    assert config["CONN_MAX_AGE"] == 0 and config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("content", ["", "{", "[1, 2", "null", "{}"])
def test_a_broken_embedded_server_state_file_is_removed_before_starting(tmp_path, content):
    state = tmp_path / ".handle_pids.json"
    state.write_text(content)
    _repair_state_file(tmp_path)
    assert not state.exists()


def test_a_valid_state_file_is_kept(tmp_path):
    state = tmp_path / ".handle_pids.json"
    state.write_text(json.dumps([123]))
    _repair_state_file(tmp_path)
    assert json.loads(state.read_text()) == [123]


# ---------------------------------------------------------------- bodies and logins


def test_an_oversized_body_is_refused_before_it_is_read(staff_client, settings):
    settings.MAX_REQUEST_BYTES = 1000
    response = staff_client.generic(
        "POST",
        reverse("decisions:matter_create"),
        b"x" * 1001,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_login_writes_no_history_row_of_the_user(client, staff):
    before = User.history.filter(id=staff.pk).count()
    response = client.post(reverse("login"), {"username": "staff", "password": TEST_PASSWORD})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.last_login is not None
    assert User.history.filter(id=staff.pk).count() == before
    staff.first_name = "改"
    staff.save()
    assert User.history.filter(id=staff.pk).count() == before + 1  # a real change is still recorded


# ---------------------------------------------------------------- no existence leak, no 500 on a race


def _register(client, village, number, **changes):
    data = {
        "name": "王五",
        "sex": "male",
        "ethnicity": "藏族",
        "birth_date": "1980-01-01",
        "id_number": number,
        "education": "senior",
        "phone": "13800001111",
        "home_village": village.code,
    }
    return client.post(reverse("cadres:person_create"), {**data, **changes})


def test_registering_a_number_held_in_another_township_does_not_say_where(
    staff_client, village, other_village
):
    held = PersonFactory(home_village=other_village, birth_date=dt.date(1980, 1, 1))
    response = _register(staff_client, village, held.reveal_id_number())
    page = response.content.decode()
    assert response.status_code == 400
    assert "该身份证号码不能在本乡镇登记" in page
    assert "其他乡镇" not in page and held.name not in page and other_village.name not in page
    assert Person.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_registrations_of_one_number_save_one_and_tell_the_other(village, monkeypatch):
    """Both pass the duplicate check before either has saved; the database refuses the second, which
    gets the duplicate message instead of a server error."""
    staff = UserFactory(username="clerk1", township=village.township)
    colleague = UserFactory(username="clerk2", township=village.township)
    # Weighted sum of the first 17 digits = 168, 168 mod 11 = 3 → check character 9 (DESIGN §4).
    number = "513301198001010019"  # born 1980-01-01, sequence 001 (odd: male)
    both_checked = threading.Barrier(2, timeout=10)
    real_check = cadre_services._check_duplicate_id
    calls = {"n": 0}

    def racing_check(**kwargs):
        real_check(**kwargs)
        calls["n"] += 1
        if calls["n"] <= 2:  # the first check of each request: wait until both have passed it
            both_checked.wait()
            time.sleep(0.1)

    monkeypatch.setattr(cadre_services, "_check_duplicate_id", racing_check)
    responses = []

    def register(user):
        client = Client()
        client.force_login(user)
        try:
            responses.append(_register(client, village, number))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in (staff, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400)
    assert "该身份证号码已登记" in refused.content.decode()
    assert Person.objects.count() == 1
