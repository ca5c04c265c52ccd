"""`make backup`: the database (pg_dump custom format) and the uploaded files in one tar file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


def default_backup_dir() -> Path:
    import os

    return Path(os.environ.get("BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")


class Command(BaseCommand):
    help = "备份数据库和上传的附件，写成一个 tar 文件（默认在 $BACKUP_DIR 或 .data/backups/）。"

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", type=Path, help="备份文件存放的目录")

    def handle(self, *args, output_dir=None, **options):
        try:
            summary = backup_create(
                db=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
                output_dir=output_dir or default_backup_dir(),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{summary.path}")
            + f"\n  数据库 {summary.database}，附件 {summary.media_files} 个（{summary.media_bytes:,} 字节）"
        )
