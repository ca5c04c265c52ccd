"""`make backup` / `make restore`: the seeded demo database and its uploads come back whole.

The commands run as an operator runs them (``manage.py`` in a subprocess with DATABASE_URL and
MEDIA_ROOT), on databases of their own names on the test server: the development database and
other test runs are never touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ops.pgtools import connect, create_database, database_url, drop_database

pytestmark = pytest.mark.xdist_group("ops")

BASE_DIR = Path(settings.BASE_DIR)
DEMO_PASSWORD = "backup-test-demo-pw"
# Tables every app's records live in; each must exist and hold rows after the demo is seeded.
CORE_TABLES = [
    "governance_user",
    "villages_village",
    "villages_partybranch",
    "cadres_person",
    "supervision_report",
    "supervision_historicalreport",
    "decisions_matter",
    "decisions_attachment",
]


def _server() -> dict:
    return settings.DATABASES["default"]


def _manage(*args: str, database: str, media: Path, data: Path) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "governance.settings.dev",
        "DATABASE_URL": database_url(_server(), database),
        "MEDIA_ROOT": str(media),
        # Keys and the demo password in a folder of this test, not the checkout's .data/.
        "GOVERNANCE_DATA_DIR": str(data),
        "DEMO_PASSWORD": DEMO_PASSWORD,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _fingerprints(database: str) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table: equal digests mean equal contents."""
    conn = connect(_server(), database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            tables = [row[0] for row in cur.fetchall()]
            result = {}
            for table in tables:
                rows = "coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')"
                cur.execute(f'SELECT count(*), md5({rows}) FROM "{table}" t')
                result[table] = cur.fetchone()
            return result
    finally:
        conn.close()


def _attachment_files(database: str) -> dict[str, tuple[str, int]]:
    conn = connect(_server(), database)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT public_id::text, file, size FROM decisions_attachment")
            return {public_id: (name, size) for public_id, name, size in cur.fetchall()}
    finally:
        conn.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# What the portal itself serves as admin from a database: each attachment's download, hashed.
# Logs in through the login view, as a person does (the login throttle needs the request).
DOWNLOAD_ALL = """
import hashlib, json, os
from django.test import Client
from decisions.models import Attachment
client = Client(HTTP_HOST="127.0.0.1")
login = client.post("/accounts/login/", {"username": "admin", "password": os.environ["DEMO_PASSWORD"]})
assert login.status_code == 302, login.status_code
out = {}
for a in Attachment.objects.select_related("matter"):
    r = client.get(f"/decisions/{a.matter.public_id}/attachments/{a.public_id}/")
    out[str(a.public_id)] = [r.status_code, hashlib.sha256(b"".join(r.streaming_content)).hexdigest()]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The demo loaded into a database of this run's own, a backup of it, and its restored copy."""
    root = tmp_path_factory.mktemp("backup")
    # This run's own names (and this xdist worker's, should the tests ever be spread out).
    prefix = settings.DATABASES["default"]["TEST"]["NAME"] + os.environ.get("PYTEST_XDIST_WORKER", "")
    source, restored = f"{prefix}_bk_source", f"{prefix}_bk_restored"
    drop_database(_server(), restored)
    create_database(_server(), source, replace=True)
    paths = {
        "root": root,
        "source": source,
        "restored": restored,
        "media": root / "media",
        "restored_media": root / "restored-media",
        "data": root / "data",
    }
    try:
        _manage("migrate", "--noinput", database=source, media=paths["media"], data=paths["data"])
        _manage("seed_demo", database=source, media=paths["media"], data=paths["data"])
        out = _manage(
            "backup",
            "--output-dir",
            str(root / "backups"),
            database=source,
            media=paths["media"],
            data=paths["data"],
        )
        (archive,) = (root / "backups").glob("portal-backup-*.tar")
        paths["archive"] = archive
        paths["backup_output"] = out
        # Taken now: later tests log in to the restored copy, which writes a session.
        paths["source_rows"] = _fingerprints(source)
        _manage(
            "restore",
            "--noinput",
            str(archive),
            "--into-database",
            restored,
            "--into-media",
            str(paths["restored_media"]),
            database=source,
            media=paths["media"],
            data=paths["data"],
        )
        paths["restored_rows"] = _fingerprints(restored)
        yield paths
    finally:
        drop_database(_server(), source)
        drop_database(_server(), restored)


def test_the_backup_is_one_file_readable_by_its_owner_only(seeded):
    archive = seeded["archive"]
    assert archive.stat().st_mode & 0o777 == 0o600
    assert str(archive) in seeded["backup_output"]


def test_every_record_of_every_table_comes_back(seeded):
    before, after = seeded["source_rows"], seeded["restored_rows"]
    for table in CORE_TABLES:
        assert before[table][0] > 0, f"the demo left {table} empty"
    # The README's demo: 234 villages and the four demo accounts.
    assert after["villages_village"][0] == 234
    assert after == before


def test_every_attachment_comes_back_byte_for_byte(seeded):
    source_files, restored_files = _attachment_files(seeded["source"]), _attachment_files(seeded["restored"])
    assert len(source_files) > 0
    assert restored_files == source_files
    for name, size in restored_files.values():
        restored = seeded["restored_media"] / name
        assert restored.stat().st_size == size
        assert _sha256(restored) == _sha256(seeded["media"] / name)


def test_the_restored_portal_logs_in_and_serves_every_attachment(seeded):
    """Through the portal's own download view, as admin, with the restored database and folder."""
    out = _manage(
        "shell",
        "-c",
        DOWNLOAD_ALL,
        database=seeded["restored"],
        media=seeded["restored_media"],
        data=seeded["data"],
    )
    served = json.loads(out.strip().splitlines()[-1])
    files = _attachment_files(seeded["source"])
    assert served.keys() == files.keys()
    for public_id, (status, digest) in served.items():
        assert status == 200
        assert digest == _sha256(seeded["media"] / files[public_id][0])


def test_restoring_over_a_changed_database_puts_it_back_as_it_was(seeded):
    """Rows deleted, a table added, a file lost and a stray file after the backup: all undone."""
    expected = seeded["source_rows"]
    conn = connect(_server(), seeded["source"])
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "DELETE FROM supervision_rectification WHERE id = (SELECT min(id) FROM supervision_rectification)"
        )
        cur.execute("CREATE TABLE added_after_backup (x int)")
    conn.close()
    lost_name, _size = next(iter(_attachment_files(seeded["source"]).values()))
    (seeded["media"] / lost_name).unlink()
    (seeded["media"] / "stray.txt").write_text("not in the backup")
    assert _fingerprints(seeded["source"]) != expected

    _manage(
        "restore",
        "--noinput",
        str(seeded["archive"]),
        database=seeded["source"],
        media=seeded["media"],
        data=seeded["data"],
    )

    assert _fingerprints(seeded["source"]) == expected
    assert (seeded["media"] / lost_name).exists()
    assert not (seeded["media"] / "stray.txt").exists()


def test_a_damaged_backup_leaves_the_database_and_the_uploads_as_they_were(seeded, tmp_path):
    """A dump cut in half (a full disk, a broken copy): pg_restore fails part-way through."""
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(seeded["archive"]) as good, tarfile.open(damaged, "w") as bad:
        for member in good.getmembers():
            data = good.extractfile(member).read()
            if member.name == "db.dump":
                data = data[: len(data) // 2]
            member.size = len(data)
            bad.addfile(member, io.BytesIO(data))
    before = _fingerprints(seeded["restored"])
    media_before = sorted(
        p.relative_to(seeded["restored_media"]) for p in seeded["restored_media"].rglob("*")
    )

    with pytest.raises(AssertionError, match="数据库未作任何改动"):
        _manage(
            "restore",
            "--noinput",
            str(damaged),
            "--into-database",
            seeded["restored"],
            "--into-media",
            str(seeded["restored_media"]),
            database=seeded["source"],
            media=seeded["media"],
            data=seeded["data"],
        )

    assert _fingerprints(seeded["restored"]) == before
    assert (
        sorted(p.relative_to(seeded["restored_media"]) for p in seeded["restored_media"].rglob("*"))
        == media_before
    )


def test_a_file_that_is_not_a_backup_is_refused_before_anything_changes(tmp_path):
    bogus = tmp_path / "notes.tar"
    bogus.write_text("not a tar file")
    with pytest.raises(CommandError, match="无法作为备份读取"):
        call_command("restore", str(bogus), interactive=False)
