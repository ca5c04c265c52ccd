"""Development and test keys kept in a git-ignored file, created on first use.

Production never imports this module: it reads every secret from the environment.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path


def local_keys(data_dir: Path) -> dict[str, str]:
    path = data_dir / "dev-keys.json"
    keys = json.loads(path.read_text()) if path.exists() else {}
    wanted = {
        "SECRET_KEY": lambda: secrets.token_urlsafe(50),
        # Fernet key for personal ID numbers, and a separate key for their search hash.
        "ID_NUMBER_ENCRYPTION_KEY": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ID_NUMBER_HASH_KEY": lambda: secrets.token_hex(32),
    }
    missing = {name: make() for name, make in wanted.items() if name not in keys}
    if missing:
        keys.update(missing)
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(keys, indent=2))
        path.chmod(0o600)
    return keys
