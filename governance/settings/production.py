"""Production: every secret from the environment, HTTPS on, no fallbacks.

DJANGO_SETTINGS_MODULE=governance.settings.production. Refuses to start without SECRET_KEY,
DATABASE_URL, ALLOWED_HOSTS and the ID-number keys.
"""

import importlib.util
import json

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
env_required("DATABASE_URL")  # never the embedded server in production
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
ID_NUMBER_ENCRYPTION_KEY = env_required("ID_NUMBER_ENCRYPTION_KEY")
ID_NUMBER_HASH_KEY = env_required("ID_NUMBER_HASH_KEY")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Monitors may call /healthz on loopback without TLS headers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)


def _default_storage() -> dict:
    """Where uploads go (README "Several servers", DEPLOY.md "Object storage"): files under MEDIA_ROOT
    by default; any Django storage backend from the environment, with no code change.

    - ``STORAGE_BACKEND=s3``: an S3-compatible store (AWS S3, MinIO, Ceph, OSS...) through
      django-storages (``uv add 'django-storages[s3]'``, the one step): ``AWS_STORAGE_BUCKET_NAME``
      required, ``AWS_S3_ENDPOINT_URL`` and ``AWS_S3_REGION_NAME`` when set; boto3 reads the keys
      from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``. Objects stay private: every download
      goes through the portal's scoped view, never a bucket URL.
    - ``STORAGE_DEFAULT_BACKEND`` (a dotted class) and ``STORAGE_DEFAULT_OPTIONS`` (a JSON object of
      its options): any other backend, or more options for the S3 one.
    """
    kind = (env_str("STORAGE_BACKEND") or "filesystem").strip().lower()
    backend = (env_str("STORAGE_DEFAULT_BACKEND") or "").strip()
    try:
        options = json.loads(env_str("STORAGE_DEFAULT_OPTIONS") or "{}")
    except ValueError as exc:
        raise ImproperlyConfigured(f"STORAGE_DEFAULT_OPTIONS must be a JSON object: {exc}") from exc
    if not isinstance(options, dict):
        raise ImproperlyConfigured("STORAGE_DEFAULT_OPTIONS must be a JSON object.")
    if kind == "s3":
        backend = backend or "storages.backends.s3.S3Storage"
        given = {"endpoint_url": "AWS_S3_ENDPOINT_URL", "region_name": "AWS_S3_REGION_NAME"}
        options = {
            "bucket_name": env_required("AWS_STORAGE_BUCKET_NAME"),
            **{option: env_str(name) for option, name in given.items() if env_str(name)},
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            **options,
        }
    elif kind != "filesystem":
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3; got {kind!r}.")
    backend = backend or "django.core.files.storage.FileSystemStorage"
    if importlib.util.find_spec(backend.split(".")[0]) is None:
        raise ImproperlyConfigured(
            f"Storage backend {backend} is not installed: for S3, run uv add 'django-storages[s3]'."
        )
    return {"BACKEND": backend, "OPTIONS": options} if options else {"BACKEND": backend}


STORAGES = {
    "default": _default_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
