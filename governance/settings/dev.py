"""Local development: `make run`. DEBUG on, keys from a git-ignored file, email to the console."""

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES
from .env import env_bool, env_int, env_str
from .local_keys import local_keys

DEBUG = env_bool("DEBUG", True)
# The development server runs a thread per request: with DATABASE_URL too, do not keep a connection
# per finished thread (the embedded server's settings already say 0).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0)
_keys = local_keys(DATA_DIR)
SECRET_KEY = env_str("SECRET_KEY") or _keys["SECRET_KEY"]
ID_NUMBER_ENCRYPTION_KEY = env_str("ID_NUMBER_ENCRYPTION_KEY") or _keys["ID_NUMBER_ENCRYPTION_KEY"]
ID_NUMBER_HASH_KEY = env_str("ID_NUMBER_HASH_KEY") or _keys["ID_NUMBER_HASH_KEY"]
