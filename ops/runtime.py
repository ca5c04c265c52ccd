"""Run the portal as production does (production settings, gunicorn, deploy/gunicorn.conf.py) on
loopback, and talk to it as nginx would forward a browser: shared by prod-smoke and the load test."""

from __future__ import annotations

import base64
import html
import http.client
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONF = BASE_DIR / "deploy" / "gunicorn.conf.py"
HOST = "127.0.0.1"


def new_secrets() -> dict[str, str]:
    """Fresh values for the secrets production requires (as DEPLOY.md generates them)."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ID_NUMBER_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ID_NUMBER_HASH_KEY": secrets.token_hex(32),
    }


def production_env(*, database_url: str, media_root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="governance.settings.production",
        DEBUG="0",
        DATABASE_URL=database_url,
        ALLOWED_HOSTS=HOST,
        MEDIA_ROOT=str(media_root),
        **new_secrets(),
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run ``manage.py`` with ``env``; a failure raises with the command's own error output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def collectstatic_if_stale(env: dict[str, str]) -> None:
    """collectstatic (about 5 s) unless the manifest is newer than every file under static/ and
    than the lock file (the admin's static files come with Django)."""
    manifest = BASE_DIR / "staticfiles" / "staticfiles.json"
    sources = [p for p in (BASE_DIR / "static").rglob("*") if p.is_file()] + [BASE_DIR / "uv.lock"]
    if manifest.exists() and all(p.stat().st_mtime < manifest.stat().st_mtime for p in sources):
        return
    manage(env, "collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
INPUT = re.compile(r"<input\b[^>]*>", re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def hidden_fields(page: str, containing: str) -> dict[str, str]:
    """The hidden inputs (CSRF token, one-time submission token, version...) of the page's form
    that has a field named ``containing``, as a browser would send them."""
    for form in FORM.findall(page):
        if f'name="{containing}"' not in form:
            continue
        fields = {}
        for tag in INPUT.findall(form):
            attrs = {k.lower(): html.unescape(v) for k, v in ATTRIBUTE.findall(tag)}
            if attrs.get("type") == "hidden" and "name" in attrs:
                fields[attrs["name"]] = attrs.get("value", "")
        return fields
    raise AssertionError(f"no form with a field {containing!r} on the page")


@dataclass
class Client:
    """A browser behind nginx: HTTPS as far as Django knows (X-Forwarded-Proto), cookies kept by
    hand (they are Secure, so an http client library would not send them back)."""

    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    # True: talk HTTPS to a real nginx in front (prod-smoke), which sets the forwarded headers.
    tls: bool = False

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Response:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "User-Agent": "portal-ops-client",
            # One connection per request, as nginx talks to gunicorn by default.
            "Connection": "close",
        }
        if not self.tls:
            headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update(Origin=self.origin, Referer=self.origin + path, **{"Content-Type": content_type})
        if self.tls:
            # The smoke test's own self-signed certificate.
            context = ssl._create_unverified_context()
            conn = http.client.HTTPSConnection(HOST, self.port, timeout=self.timeout, context=context)
        else:
            conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
            for cookie in raw.headers.get_all("Set-Cookie") or []:
                self._keep(cookie)
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        finally:
            conn.close()

    def _keep(self, set_cookie: str) -> None:
        pair, _, attributes = set_cookie.partition(";")
        name, _, value = pair.strip().partition("=")
        if "max-age=0" in attributes.lower().replace(" ", "") or value in ("", '""'):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Response:
        body = urlencode(data).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def post_multipart(self, path: str, data: dict[str, str], files: dict[str, tuple[str, bytes, str]]):
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in data.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, content, mime) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def log_in(self, username: str, password: str) -> Response:
        """The login form, then its POST; the form's answer when it is not a page (a 503)."""
        page = self.get("/accounts/login/")
        if page.status != 200:
            return page
        form = hidden_fields(page.text, "password")
        return self.post("/accounts/login/", {**form, "username": username, "password": password})


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py on a free loopback port; output kept in ``log_path``."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        log_path: Path,
        app: str = "governance.wsgi",
        command: list[str] | None = None,
        **settings,
    ):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"{HOST}:{self.port}"}
        self.env.update({f"GUNICORN_{k.upper()}": str(v) for k, v in settings.items()})
        self.log_path = log_path
        self.command = command or [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(
            self.command,
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()
        return self

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if Client(self.port, timeout=5).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: finish requests in flight
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
