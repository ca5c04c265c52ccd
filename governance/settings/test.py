"""pytest settings: the same PostgreSQL as development, a fast password hasher, mail kept in memory."""

import os

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES
from .local_keys import local_keys

DEBUG = False
_keys = local_keys(DATA_DIR)
SECRET_KEY = _keys["SECRET_KEY"]
ID_NUMBER_ENCRYPTION_KEY = _keys["ID_NUMBER_ENCRYPTION_KEY"]
ID_NUMBER_HASH_KEY = _keys["ID_NUMBER_HASH_KEY"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests roll back their writes without committing, so the figures number (raised at commit) would
# not move: no cache here; tests/governance/test_figures_cache.py turns it on and commits.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lets two test runs share one server without clobbering each other's database.
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("TEST_DB_NAME") or "test_governance" + os.environ.get("TEST_DB_SUFFIX", "")
}
