"""Load the Kangding demo data and the demo accounts. Safe to run again: it adds only what is missing."""

from django.core.management.base import BaseCommand
from django.db import connection

from governance.audit import acting_as
from governance.demo import demo_actor, demo_password, demo_users_ensure
from governance.hooks import app_hooks


class Command(BaseCommand):
    help = "加载康定市演示数据并创建演示账号（可重复运行）。"

    def handle(self, *args, **options):
        password = demo_password()
        # Demo history rows are attributed to the demo admin, as a request would be.
        with acting_as(demo_actor()):
            for seed in app_hooks("demo_seed"):
                seed(stdout=self.stdout)
            users = demo_users_ensure(password=password)
        # Fresh bulk-loaded tables have no planner statistics until autovacuum gets to them, and
        # PostgreSQL then plans the correlated EXISTS filters as nested full scans (seconds per page).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("演示账号（密码相同）："))
        for user, scope in users:
            self.stdout.write(f"  {user.username:<10} {user.get_role_display()}  {scope}")
        self.stdout.write(f"  密码：{password}")
