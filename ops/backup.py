"""One backup = one tar file: ``manifest.json``, ``db.dump`` (pg_dump custom format) and ``media/``.

The database is dumped first and the uploads copied after: an upload's file is written before its
row commits, so every attachment in the dump's snapshot is already on disk when the files are read.
The archive holds personal data; it is written readable by its owner only. It does not hold the
ID-number keys: a restore needs the same ``ID_NUMBER_ENCRYPTION_KEY`` and ``ID_NUMBER_HASH_KEY``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ops.pgtools import create_database, libpq_args, pg_bin

FORMAT = "governance-backup/1"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in one sentence."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    database: str
    media_files: int
    media_bytes: int
    created_at: str


def _run(args: list[str], *, env: dict, what: str, **kwargs) -> None:
    result = subprocess.run(args, env=env, stderr=subprocess.PIPE, text=True, **kwargs)
    if result.returncode != 0:
        raise BackupError(f"{what} 失败：{result.stderr.strip()}")


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    # Regular files only: a link could point outside the media folder.
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_create(*, db: dict, media_root: Path, output_dir: Path) -> BackupSummary:
    """Dump ``db`` and copy ``media_root`` into ``output_dir/portal-backup-<time>.tar``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    final = output_dir / f"portal-backup-{now:%Y%m%d-%H%M%S}.tar"
    if final.exists():
        raise BackupError(f"{final} 已存在。")
    args, env = libpq_args(db)
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        dump = Path(work) / "db.dump"
        _run(
            [pg_bin("pg_dump"), "--format=custom", "--file", str(dump), *args, db["NAME"]],
            env=env,
            what="pg_dump",
        )
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(timespec="seconds"),
            "database": db["NAME"],
            "media_files": len(files),
            "media_bytes": sum(p.stat().st_size for p in files),
        }
        partial = Path(work) / "backup.tar"
        # Owner-only from the first byte (the archive holds personal data).
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="db.dump")
            for path in files:
                tar.add(path, arcname=str(PurePosixPath("media") / path.relative_to(media_root).as_posix()))
        # Same file system: the finished archive appears at once, never half-written.
        os.replace(partial, final)
    return BackupSummary(
        final, db["NAME"], manifest["media_files"], manifest["media_bytes"], manifest["created_at"]
    )


def backup_read_manifest(archive: Path) -> dict:
    """The archive's manifest, after checking it is a portal backup with a database dump."""
    try:
        with tarfile.open(archive, mode="r:") as tar:
            names = set(tar.getnames())
            if "manifest.json" not in names or "db.dump" not in names:
                raise BackupError(f"{archive} 不是本系统的备份（缺少 manifest.json 或 db.dump）。")
            manifest = json.load(tar.extractfile("manifest.json"))
    except (OSError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} 无法作为备份读取：{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} 的格式为 {manifest.get('format')!r}，本系统只能读取 {FORMAT}。")
    return manifest


def _extract(archive: Path, into: Path) -> None:
    with tarfile.open(archive, mode="r:") as tar:
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            if name.parts[0] not in ("manifest.json", "db.dump", "media"):
                raise BackupError(f"{archive} 含有不应有的条目 {member.name!r}。")
        # The "data" filter refuses absolute paths, "..", links leaving the folder and device files.
        tar.extractall(into, filter="data")


def _restore_database(*, dump: Path, db: dict, name: str) -> None:
    """Replace database ``name`` with the dump, in one transaction: on failure it stays as it was.

    The public schema is dropped first, so tables the dump does not have (a newer migration's) go
    too. pg_restore's SQL is relayed to psql here so that a failing pg_restore (a damaged dump) can
    end psql's transaction with an error, rolling back the drop as well.
    """
    args, env = libpq_args(db)
    env["PGOPTIONS"] = "-c client_min_messages=warning"  # no NOTICE per dropped table
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        restore = subprocess.Popen(
            [pg_bin("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=restore_errors,
            env=env,
        )
        psql = subprocess.Popen(
            [
                pg_bin("psql"),
                "--no-psqlrc",
                "--quiet",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                *args,
                "--dbname",
                name,
                "--command=DROP SCHEMA IF EXISTS public CASCADE",
                "--command=CREATE SCHEMA public",
                "--file=-",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
            env=env,
        )
        try:
            for chunk in iter(lambda: restore.stdout.read(1 << 16), b""):
                psql.stdin.write(chunk)
            if restore.wait() != 0:
                # End a COPY block if one was cut off, then fail: psql rolls everything back.
                psql.stdin.write(b"\n\\.\nDO $$BEGIN RAISE EXCEPTION 'pg_restore failed'; END$$;\n")
            psql.stdin.close()
        except BrokenPipeError:
            pass  # psql stopped at an error of its own and rolled back
        finally:
            restore.stdout.close()  # a pg_restore still writing gets SIGPIPE instead of blocking
            restored = restore.wait() == 0
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
        loaded = psql.wait() == 0
        if not (restored and loaded):
            detail = b""
            for errors in (psql_errors, restore_errors):
                errors.seek(0)
                detail += errors.read()
            raise BackupError(
                f"恢复到数据库 {name} 失败，数据库未作任何改动：{detail.decode(errors='replace').strip()}"
            )


def _replace_media(*, extracted: Path, media_root: Path) -> None:
    """Put the backup's files in place of ``media_root`` by renaming, so no half-copied folder is seen."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    old = media_root.with_name(f".{media_root.name}.replaced")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(extracted, media_root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(*, archive: Path, db: dict, database: str, media_root: Path) -> dict:
    """Replace ``database`` (created when missing) and ``media_root`` with the archive's contents."""
    manifest = backup_read_manifest(archive)
    media_root = media_root.resolve()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked next to the media folder so the final swap is a rename on one file system.
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        _extract(archive, Path(work))
        if database != db["NAME"]:
            create_database(db, database)
        _restore_database(dump=Path(work) / "db.dump", db=db, name=database)
        extracted = Path(work) / "media"
        extracted.mkdir(exist_ok=True)
        _replace_media(extracted=extracted, media_root=media_root)
    return manifest
