"""The files docs/DEPLOY.md installs exist and fit together (`make prod-smoke` runs them for real)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from ops.runtime import BASE_DIR, new_secrets

DEPLOY_MD = (BASE_DIR / "docs" / "DEPLOY.md").read_text()


def _example_env() -> dict[str, str]:
    values = {}
    for line in (BASE_DIR / "deploy" / "portal.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def test_every_deploy_file_the_guide_names_is_in_the_repository():
    named = set()
    for path in re.findall(r"`(deploy/[\w./{},*-]+)", DEPLOY_MD):
        braces = re.search(r"\{([^}]+)\}", path)
        if braces:
            named |= {path.replace(braces.group(0), part) for part in braces.group(1).split(",")}
        elif "*" not in path:
            named.add(path)
    assert "deploy/nginx/portal.conf" in named
    assert "deploy/systemd/portal-backup.timer" in named
    assert [path for path in sorted(named) if not (BASE_DIR / path).exists()] == []


def test_the_example_environment_names_every_setting_production_requires():
    example = _example_env()
    required = ["DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"]
    required += ["ID_NUMBER_ENCRYPTION_KEY", "ID_NUMBER_HASH_KEY", "MEDIA_ROOT", "TRUSTED_PROXY_COUNT"]
    assert [name for name in required if name not in example] == []
    assert example["DJANGO_SETTINGS_MODULE"] == "governance.settings.production"


def test_the_example_environment_with_its_secrets_filled_in_passes_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(_example_env())
    env.update(new_secrets())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_nginx_never_serves_the_uploads_folder():
    nginx = (BASE_DIR / "deploy" / "nginx" / "portal.conf").read_text()
    media_root = _example_env()["MEDIA_ROOT"]
    assert media_root not in nginx
    assert re.search(r"location /media/ \{\s*return 404;\s*\}", nginx)


def test_the_units_run_programs_and_files_that_exist_in_the_checkout():
    for unit in (BASE_DIR / "deploy" / "systemd").glob("*.service"):
        command = re.search(r"^ExecStart=(\S+)(.*)$", unit.read_text(), re.M)
        assert command.group(1).startswith("/srv/portal/.venv/bin/"), unit.name
        for word in command.group(2).split():
            if word.endswith((".py", ".conf.py")):
                assert (BASE_DIR / word).exists(), f"{unit.name}: {word}"
        assert "EnvironmentFile=/etc/portal/portal.env" in unit.read_text(), unit.name
