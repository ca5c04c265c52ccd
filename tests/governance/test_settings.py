"""Settings come from the environment and fail loudly on bad values (run in subprocesses)."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance.settings.env import env_bool, env_int


def test_a_malformed_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", False)


def test_a_malformed_number_is_refused(monkeypatch):
    monkeypatch.setenv("PAGE_SIZE", "many")
    with pytest.raises(ImproperlyConfigured, match="PAGE_SIZE"):
        env_int("PAGE_SIZE", 50)


def _load_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}}
    clean.update(DJANGO_SETTINGS_MODULE="governance.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=clean, capture_output=True, text=True
    )


GOOD = {
    "SECRET_KEY": "k" * 30 + "-random-enough-production-secret-value",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:1/db",
    "ALLOWED_HOSTS": "portal.example.org",
    "ID_NUMBER_ENCRYPTION_KEY": "x" * 44,
    "ID_NUMBER_HASH_KEY": "y" * 64,
}


def test_production_refuses_to_start_without_a_secret_key():
    result = _load_production(**{k: v for k, v in GOOD.items() if k != "SECRET_KEY"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _load_production(**{**GOOD, "SECRET_KEY": "short"})
    assert "at least 50 characters" in result.stderr


def test_production_refuses_to_run_without_database_url():
    result = _load_production(**{k: v for k, v in GOOD.items() if k != "DATABASE_URL"})
    assert "DATABASE_URL must be set" in result.stderr


def test_production_refuses_a_database_url_that_is_not_postgresql():
    result = _load_production(**{**GOOD, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert "must point at PostgreSQL" in result.stderr


def test_production_starts_with_every_setting_given():
    result = _load_production(**GOOD)
    assert result.returncode == 0, result.stderr
