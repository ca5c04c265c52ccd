"""Stateless servers ([10/10] item 5): two gunicorn servers over one PostgreSQL serve the same users.

Two gunicorn processes with the production settings and the same environment (same secrets, same
DATABASE_URL, same MEDIA_ROOT), on two loopback ports, over one throw-away PostgreSQL migrated and
seeded once for the module: what one server writes or remembers, the other one sees, because
sessions, one-time submission claims, login failures and uploads all live in PostgreSQL or in the
shared storage, never in a process.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ops.load import PASSWORD, _period_key, prepare
from ops.pgtools import ThrowawayPostgres, connect
from ops.runtime import BASE_DIR, Client, Gunicorn, hidden_fields

pytestmark = pytest.mark.xdist_group("ops")

# A 1x1 PNG (as ops/prod_smoke.py uploads).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5270de40000000049454e44ae426082"
)
# Wrong passwords that lock a username (settings LOGIN_FAILURE_LIMIT), kept small for speed.
FAILURE_LIMIT = 3


class Servers:
    def __init__(self, a: Gunicorn, b: Gunicorn, pg: ThrowawayPostgres, accounts: dict, media: Path):
        self.a, self.b, self.pg, self.accounts, self.media = a, b, pg, accounts, media

    def clerk(self) -> tuple[str, list[str]]:
        username, villages = next(iter(self.accounts["clerks"].items()))
        return username, villages

    def query(self, sql: str, params=()) -> list[tuple]:
        conn = connect(self.pg.settings, "portal")
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def servers():
    with tempfile.TemporaryDirectory(prefix="portal-two-") as tmp, ThrowawayPostgres() as pg:
        workdir = Path(tmp)
        env, accounts = prepare(pg, workdir, clerks=2, officials=1)
        env["LOGIN_FAILURE_LIMIT"] = str(FAILURE_LIMIT)
        # The same environment for both: one SECRET_KEY (sessions, CSRF), one database, one MEDIA_ROOT.
        with (
            Gunicorn(env, log_path=workdir / "a.log", workers=1, threads=2) as a,
            Gunicorn(env, log_path=workdir / "b.log", workers=1, threads=2) as b,
        ):
            assert a.port != b.port
            yield Servers(a, b, pg, accounts, workdir / "media")


def _on(server: Gunicorn, client: Client) -> Client:
    """The same browser (its cookies) talking to another server."""
    return Client(server.port, cookies=client.cookies)


def test_a_login_on_one_server_is_a_session_on_the_other(servers):
    username, _ = servers.clerk()
    on_a = Client(servers.a.port)
    assert on_a.log_in(username, PASSWORD).status == 302
    on_b = _on(servers.b, on_a)
    home = on_b.get("/")
    assert home.status == 200
    assert f"{username} · " in home.text, "server B shows the page as the user logged in on A"
    # Logging out on B ends the session on A too.
    logout = on_b.post("/accounts/logout/", hidden_fields(on_b.get("/").text, "csrfmiddlewaretoken"))
    assert logout.status == 302
    assert Client(servers.a.port, cookies=on_b.cookies).get("/").status == 302  # to the login page


def test_a_report_saved_on_one_server_is_seen_on_the_other_and_a_resend_is_not_saved_twice(servers):
    username, villages = servers.clerk()
    on_a = Client(servers.a.port)
    assert on_a.log_in(username, PASSWORD).status == 302
    on_b = _on(servers.b, on_a)
    village, period = villages[0], _period_key()
    form = on_b.get(f"/supervision/new/?village={village}&period={period}")
    assert form.status == 200
    data = {**hidden_fields(form.text, "summary"), "village": village, "period": period}
    data.update(summary="两台服务器测试：在B上保存", action="save")
    saved = on_b.post("/supervision/new/", data)
    assert saved.status == 302, saved.text[:500]
    report = saved.location
    page = _on(servers.a, on_b).get(report)
    assert page.status == 200 and "两台服务器测试：在B上保存" in page.text
    # The same form sent again, to the other server (a resend after a timeout): claimed once, in
    # PostgreSQL, so A sends the user where B did and nothing is written twice.
    again = _on(servers.a, on_b).post("/supervision/new/", data)
    assert again.status == 302 and again.location == report
    counts = servers.query(
        "SELECT count(*) FROM supervision_report r JOIN villages_village v ON v.id = r.village_id "
        "WHERE v.code = %s",
        [village],
    )
    assert counts == [(1,)]


def test_a_file_uploaded_on_one_server_downloads_from_the_other(servers):
    username, _ = servers.clerk()
    on_a = Client(servers.a.port)
    assert on_a.log_in(username, PASSWORD).status == 302
    form = on_a.get("/decisions/new/")
    village = re.search(r'<option value="(\d{12})"', form.text).group(1)
    created = on_a.post(
        "/decisions/new/",
        {
            **hidden_fields(form.text, "title"),
            "village": village,
            "title": "两台服务器测试事项",
            "category": "collective_income",
            "amount": "1200",
            "description": "在A上上传附件，在B上下载。",
            "planned_completion": "2099-01-31",
        },
    )
    assert created.status == 302, created.text[:500]
    matter = created.location
    page = on_a.get(matter)
    uploaded = on_a.post_multipart(
        matter + "attachments/",
        {**hidden_fields(page.text, "upload"), "title": "公示照片"},
        {"upload": ("notice.png", PNG, "image/png")},
    )
    assert uploaded.status == 302, uploaded.text[:500]
    on_b = _on(servers.b, on_a)
    link = re.search(rf'href="({re.escape(matter)}attachments/[0-9a-f-]+/)"', on_b.get(matter).text)
    assert link, "server B's page of the matter links the attachment"
    download = on_b.get(link.group(1))
    assert download.status == 200
    assert hashlib.sha256(download.body).hexdigest() == hashlib.sha256(PNG).hexdigest()
    assert [p.read_bytes() for p in servers.media.rglob("*.png")] == [PNG], "one file, in MEDIA_ROOT"


def test_wrong_passwords_count_across_servers(servers):
    """Login failures are rows in PostgreSQL (django-axes' database handler): FAILURE_LIMIT - 1 on
    A and one on B lock the username on both, and the right password is then refused."""
    username = list(servers.accounts["clerks"])[-1]
    for server in [servers.a] * (FAILURE_LIMIT - 1):
        assert Client(server.port).log_in(username, "wrong-password").status == 200  # the form again
    assert Client(servers.a.port).log_in(username, PASSWORD).status == 302, "below the limit: in"
    # A success resets the count (AXES_RESET_ON_SUCCESS): fail FAILURE_LIMIT times, split over both.
    for server in [servers.a] * (FAILURE_LIMIT - 1) + [servers.b]:
        Client(server.port).log_in(username, "wrong-password")
    for server in (servers.a, servers.b):
        refused = Client(server.port).log_in(username, PASSWORD)
        assert refused.status == 429, (server.port, refused.status)


# ---------------------------------------------------------------- uploads' storage from the environment


def _production_storages(**env) -> subprocess.CompletedProcess:
    """Load the production settings in a fresh interpreter with ``env``; prints STORAGES["default"]."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_", "AWS_", "DJANGO_"))}
    clean.update(
        DJANGO_SETTINGS_MODULE="governance.settings.production",
        SECRET_KEY="k" * 30 + "-random-enough-production-secret-value",
        DATABASE_URL="postgres://u:p@127.0.0.1:1/db",
        ALLOWED_HOSTS="portal.example.org",
        ID_NUMBER_ENCRYPTION_KEY="x" * 44,
        ID_NUMBER_HASH_KEY="y" * 64,
        **env,
    )
    code = "import json, django; django.setup(); from django.conf import settings; "
    code += "print(json.dumps(settings.STORAGES['default']))"
    return subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, cwd=BASE_DIR
    )


def _storage(**env) -> dict:
    result = _production_storages(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_uploads_go_to_media_root_unless_the_environment_says_otherwise():
    assert _storage() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_compatible_store_is_configured_from_the_environment_alone():
    # The backend is swapped for one that is installed here: what is checked is the options.
    storage = _storage(
        STORAGE_BACKEND="s3",
        STORAGE_DEFAULT_BACKEND="django.core.files.storage.InMemoryStorage",
        AWS_STORAGE_BUCKET_NAME="portal-uploads",
        AWS_S3_ENDPOINT_URL="https://minio.example.org:9000",
        STORAGE_DEFAULT_OPTIONS='{"location": "county-513322"}',
    )
    assert storage == {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {
            "bucket_name": "portal-uploads",
            "endpoint_url": "https://minio.example.org:9000",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": "county-513322",
        },
    }


def test_s3_without_django_storages_or_a_bucket_is_refused_at_start_up():
    missing = _production_storages(STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="portal-uploads")
    assert missing.returncode != 0 and "uv add 'django-storages[s3]'" in missing.stderr
    no_bucket = _production_storages(STORAGE_BACKEND="s3")
    assert no_bucket.returncode != 0 and "AWS_STORAGE_BUCKET_NAME must be set" in no_bucket.stderr
    unknown = _production_storages(STORAGE_BACKEND="ftp")
    assert unknown.returncode != 0 and "STORAGE_BACKEND must be filesystem or s3" in unknown.stderr
    bad_json = _production_storages(STORAGE_DEFAULT_OPTIONS="[1, 2]")
    assert bad_json.returncode != 0 and "STORAGE_DEFAULT_OPTIONS must be a JSON object" in bad_json.stderr
