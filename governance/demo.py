"""Demo accounts for `seed_demo` (DESIGN §7): admin, county, township, township2."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from governance.models import User
from governance.roles import Role

DEMO_TOWNSHIP_CODE = "513301101000"  # 姑咱镇
DEMO_TOWNSHIP2_CODE = "513301102000"  # 新都桥镇


def demo_password() -> str:
    """DEMO_PASSWORD, else the one generated on an earlier run (kept in .data/), else a new one."""
    import os

    from_env = os.environ.get("DEMO_PASSWORD")
    if from_env:
        return from_env
    path = Path(settings.DATA_DIR) / "demo-password"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password)
    path.chmod(0o600)
    return password


def demo_actor() -> User:
    """The account demo data is attributed to in history (the demo admin)."""
    user, _ = User.objects.get_or_create(
        username="admin",
        defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True, "last_name": "系统管理员"},
    )
    return user


@transaction.atomic
def demo_users_ensure(*, password: str) -> list[tuple[User, str]]:
    from villages.models import County, Township

    county = County.objects.get(code="513301000000")
    township = Township.objects.get(code=DEMO_TOWNSHIP_CODE)
    township2 = Township.objects.get(code=DEMO_TOWNSHIP2_CODE)
    specs = [
        ("admin", {"role": Role.ADMIN, "is_staff": True, "is_superuser": True, "last_name": "系统管理员"}),
        ("county", {"role": Role.COUNTY_OFFICIAL, "county": county, "last_name": "县级审核员"}),
        ("township", {"role": Role.TOWNSHIP_STAFF, "township": township, "last_name": "姑咱镇录入员"}),
        ("township2", {"role": Role.TOWNSHIP_STAFF, "township": township2, "last_name": "新都桥镇录入员"}),
    ]
    users = []
    for username, fields in specs:
        # An address so `send_reminders` has somewhere to send (the console backend in development).
        fields = {**fields, "email": f"{username}@example.org"}
        user, _ = User.objects.get_or_create(username=username, defaults=fields)
        # Save only what changed, so a second run adds no history rows.
        changed = [name for name, value in fields.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, fields[name])
        if not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save()
        users.append((user, user.jurisdiction.name if user.jurisdiction else "全部"))
    return users
