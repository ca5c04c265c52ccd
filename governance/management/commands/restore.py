"""`make restore FILE=...`: put a backup made by `manage.py backup` back, database and uploads.

Stop the app servers first: the database and the media folder are replaced as they were at backup time.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_read_manifest, backup_restore


class Command(BaseCommand):
    help = "用 manage.py backup 生成的备份文件恢复数据库和附件（会覆盖现有数据）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份文件（.tar）")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        # For checking a backup without touching the live data (the round-trip test does this).
        parser.add_argument("--into-database", help="恢复到同一服务器上的另一个数据库（不存在则新建）")
        parser.add_argument("--into-media", type=Path, help="附件恢复到另一个目录")

    def handle(self, *args, archive, interactive, into_database=None, into_media=None, **options):
        db = settings.DATABASES["default"]
        database = into_database or db["NAME"]
        media_root = into_media or Path(settings.MEDIA_ROOT)
        try:
            manifest = backup_read_manifest(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"备份时间 {manifest['created_at']}，来自数据库 {manifest['database']}，"
            f"附件 {manifest['media_files']} 个。\n"
            f"将覆盖数据库 {database} 和附件目录 {media_root}。"
        )
        if interactive and _ask("确认恢复请输入 yes：") != "yes":
            raise CommandError("已取消，没有任何改动。")
        try:
            backup_restore(archive=archive, db=db, database=database, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("恢复完成。") + " 如代码比备份新，请再运行 manage.py migrate。")


def _ask(prompt: str) -> str:
    try:
        return input(prompt).strip()
    except EOFError:  # no terminal (cron, CI): not a yes
        return ""
