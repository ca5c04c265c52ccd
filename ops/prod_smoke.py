"""`make prod-smoke`: docs/DEPLOY.md followed from scratch on this machine, on loopback.

Builds the environment file from deploy/portal.env.example (only the values below swapped for
loopback ones), then runs the guide's steps in order: check --deploy, migrate, collectstatic, the
first admin, gunicorn as the systemd unit starts it, nginx with deploy/nginx/portal.conf when
nginx is installed, and the timers' commands. The database is a fresh ``prod_smoke`` on the
embedded server (or on DATABASE_URL's server when that is set); files go to .data/prod-smoke/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ops.pgtools import create_database, database_url, drop_database
from ops.runtime import (
    BASE_DIR,
    HOST,
    Client,
    Gunicorn,
    free_port,
    hidden_fields,
    new_secrets,
)

ENV_EXAMPLE = BASE_DIR / "deploy" / "portal.env.example"
NGINX_EXAMPLE = BASE_DIR / "deploy" / "nginx" / "portal.conf"
WORKDIR = BASE_DIR / ".data" / "prod-smoke"
ENV_FILE = WORKDIR / "portal.env"
DATABASE = "prod_smoke"
# Sent in a query string; must appear in no access log (filters may carry personal data).
SECRET_QUERY = "smoke-query-not-logged"
# The demo's smallest valid PNG (1x1): what a township clerk uploads as a photo of a notice.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5270de40000000049454e44ae426082"
)


class Smoke:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, what: str, passed: bool, detail: str = "") -> bool:
        print(f"  {'ok  ' if passed else 'FAIL'} {what}" + (f": {detail}" if detail and not passed else ""))
        if not passed:
            self.failures.append(what)
        return passed


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def server_settings() -> dict:
    """The PostgreSQL server to use: DATABASE_URL's if set, else the embedded one (started)."""
    if os.environ.get("DATABASE_URL"):
        import dj_database_url

        return dj_database_url.parse(os.environ["DATABASE_URL"])
    from governance.embedded_db import embedded_database_settings

    return embedded_database_settings(BASE_DIR / ".data")


def environment(*, server: dict, origin: str | None) -> dict[str, str]:
    """deploy/portal.env.example with the loopback values in: the file an operator writes."""
    example = read_env_file(ENV_EXAMPLE)
    local = {
        **new_secrets(),
        "DATABASE_URL": database_url(server, DATABASE),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": origin or "",
        "MEDIA_ROOT": str(WORKDIR / "media"),
        "BACKUP_DIR": str(WORKDIR / "backups"),
        # Reminders print instead of needing an SMTP server on this machine.
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    missing = sorted(set(local) - set(example))
    if missing:
        raise SystemExit(f"deploy/portal.env.example lacks {', '.join(missing)}")
    env_file = {**example, **local}
    left = [key for key, value in env_file.items() if "CHANGE-ME" in value]
    if left:
        raise SystemExit(f"CHANGE-ME left in {', '.join(left)}")
    ENV_FILE.write_text("".join(f"{k}={v}\n" for k, v in env_file.items()))
    ENV_FILE.chmod(0o600)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "DATABASE_URL"))}
    return {**base, **env_file}


def unit_command() -> list[str]:
    """ExecStart of deploy/systemd/portal.service, with this checkout in place of /srv/portal."""
    unit = (BASE_DIR / "deploy" / "systemd" / "portal.service").read_text()
    line = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1)
    return shlex.split(line.replace("/srv/portal", str(BASE_DIR)))


def deploy_manage(*args: str, **extra: str) -> str:
    """``deploy/manage.sh`` with the environment file, as DEPLOY.md runs every command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        ["sh", str(BASE_DIR / "deploy" / "manage.sh"), *args],
        env={**env, "PORTAL_ENV_FILE": str(ENV_FILE), **extra},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"deploy/manage.sh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class Nginx:
    """deploy/nginx/portal.conf with loopback ports, this checkout's paths and a throw-away certificate."""

    def __init__(self) -> None:
        self.http_port, self.https_port = free_port(), free_port()
        self.upstream_port = 0  # gunicorn's, set before starting
        # Outside the checkout: nginx's workers (user nobody) must reach their temp folders.
        self.dir = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
        self.dir.chmod(0o755)

    def config(self) -> str:
        cert, key = self_signed_certificate(self.dir)
        site = NGINX_EXAMPLE.read_text()
        replacements = [
            (r"listen \[::\]:\d+[^;]*;\n", ""),
            (r"listen 80;", f"listen {HOST}:{self.http_port};"),
            (r"listen 443 ssl", f"listen {HOST}:{self.https_port} ssl"),
            (r"server 127\.0\.0\.1:8000;", f"server {HOST}:{self.upstream_port};"),
            (r"/etc/ssl/portal/fullchain\.pem", str(cert)),
            (r"/etc/ssl/portal/privkey\.pem", str(key)),
            (r"/srv/portal/staticfiles/", f"{BASE_DIR}/staticfiles/"),
            (r"/var/log/nginx/portal\.access\.log", str(self.dir / "access.log")),
        ]
        for pattern, replacement in replacements:
            site, count = re.subn(pattern, replacement, site)
            if count == 0:
                raise SystemExit(
                    f"deploy/nginx/portal.conf no longer has {pattern!r}; update ops/prod_smoke.py"
                )
        temp = self.dir / "temp"
        temp.mkdir(mode=0o777)
        temp.chmod(0o777)
        mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
        return (
            f"pid {self.dir}/nginx.pid;\nerror_log {self.dir}/error.log;\nevents {{}}\nhttp {{\n{mime}\n"
            + "".join(
                f"{name}_temp_path {temp}/{name};\n"
                for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + site
            + "\n}\n"
        )

    def __enter__(self) -> Nginx:
        conf = self.dir / "nginx.conf"
        conf.write_text(self.config())
        subprocess.run(["nginx", "-t", "-q", "-c", str(conf)], check=True)
        subprocess.run(["nginx", "-c", str(conf)], check=True)
        for _ in range(50):
            try:
                Client(self.https_port, tls=True, timeout=2).get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        return self

    def access_log(self) -> str:
        path = self.dir / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __exit__(self, *exc) -> None:
        subprocess.run(
            ["nginx", "-c", str(self.dir / "nginx.conf"), "-s", "stop"],
            check=False,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def web_checks(smoke: Smoke, client: Client, *, demo_password: str, admin_password: str, nginx: Nginx | None):
    health = client.get("/healthz")
    smoke.check(
        "GET /healthz answers 200 ok", health.status == 200 and health.body == b"ok", str(health.status)
    )
    anonymous = client.get("/")
    smoke.check(
        "an anonymous visitor is sent to the login page",
        anonymous.status == 302 and anonymous.location == "/accounts/login/",
        f"{anonymous.status} {anonymous.headers.get('location')}",
    )
    if nginx is not None:
        conn = http.client.HTTPConnection(HOST, nginx.http_port, timeout=10)
        conn.request("GET", "/villages/", headers={"Host": HOST})
        answer = conn.getresponse()
        conn.close()
        smoke.check(
            "nginx sends plain HTTP to HTTPS",
            answer.status == 301 and answer.getheader("Location", "").startswith("https://"),
            str(answer.status),
        )
    login_page = client.get("/accounts/login/")
    smoke.check(
        "the login page carries a Content-Security-Policy",
        "content-security-policy" in login_page.headers,
        str(login_page.headers.keys()),
    )
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', login_page.text)
    if smoke.check("the login page links a hashed stylesheet", bool(stylesheet)):
        css = client.get(stylesheet.group(1))
        cache = css.headers.get("cache-control", "") + css.headers.get("expires", "")
        smoke.check(
            f"static file {stylesheet.group(1)} is served and cached",
            css.status == 200 and bool(cache),
            f"{css.status} {cache!r}",
        )

    login = client.log_in("township", demo_password)
    smoke.check("township clerk logs in", login.status == 302 and login.location == "/", str(login.status))
    home = client.get("/")
    smoke.check("their start page answers 200", home.status == 200, str(home.status))
    found = client.get(f"/villages/?name={SECRET_QUERY}")
    smoke.check("a filtered list page answers 200", found.status == 200, str(found.status))

    form_page = client.get("/decisions/new/")
    village = re.search(r'<option value="(\d{12})"', form_page.text)
    title = f"冒烟测试事项 {dt.datetime.now():%H%M%S}"
    created = client.post(
        "/decisions/new/",
        {
            **hidden_fields(form_page.text, "title"),
            "village": village.group(1) if village else "",
            "title": title,
            "category": "collective_income",
            "amount": "1200",
            "description": "生产环境冒烟测试写入的事项。",
            "planned_completion": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    wrote = smoke.check(
        "a write: a new decision matter is saved (302 to its page)",
        created.status == 302 and created.location.startswith("/decisions/"),
        f"{created.status} {created.text[:300]}",
    )
    if not wrote:
        return
    matter_path = created.location
    matter = client.get(matter_path)
    smoke.check(
        "its page shows the saved title", matter.status == 200 and title in matter.text, str(matter.status)
    )

    before = set((WORKDIR / "media").rglob("*"))
    uploaded = client.post_multipart(
        matter_path + "attachments/",
        {**hidden_fields(matter.text, "upload"), "title": "公示照片"},
        {"upload": ("notice.png", PNG, "image/png")},
    )
    smoke.check("an attachment uploads", uploaded.status == 302, f"{uploaded.status} {uploaded.text[:300]}")
    matter = client.get(matter_path)
    link = re.search(rf'href="({re.escape(matter_path)}attachments/[0-9a-f-]+/)"', matter.text)
    if smoke.check("the matter page links the attachment", bool(link)):
        download = client.get(link.group(1))
        smoke.check(
            "the portal's download view returns the same bytes",
            download.status == 200 and hashlib.sha256(download.body).digest() == hashlib.sha256(PNG).digest(),
            str(download.status),
        )
    stored = [p for p in set((WORKDIR / "media").rglob("*")) - before if p.is_file()]
    if smoke.check(
        "the upload is stored under MEDIA_ROOT",
        len(stored) == 1 and stored[0].read_bytes() == PNG,
        str(stored),
    ):
        direct = client.get("/media/" + stored[0].relative_to(WORKDIR / "media").as_posix())
        smoke.check("the file is not served from /media/", direct.status == 404, str(direct.status))

    admin = Client(client.port, tls=client.tls)
    admin_login = admin.log_in("ops-admin", admin_password)
    admin_page = admin.get("/admin/")
    smoke.check(
        "the admin created with createsuperuser opens /admin/",
        admin_login.status == 302 and admin_page.status == 200,
        f"{admin_login.status} {admin_page.status}",
    )


def main() -> int:
    smoke = Smoke()
    shutil.rmtree(WORKDIR, ignore_errors=True)
    WORKDIR.mkdir(parents=True)
    # Through nginx when it is installed (PROD_SMOKE_NGINX=0 skips it).
    nginx = Nginx() if shutil.which("nginx") and os.environ.get("PROD_SMOKE_NGINX") != "0" else None
    server = server_settings()
    create_database(server, DATABASE, replace=True)
    print(f"prod-smoke: database {DATABASE}, files in {WORKDIR}")
    # On a port other than 443 the browser's origin has the port, the Host nginx passes has not.
    env = environment(server=server, origin=f"https://{HOST}:{nginx.https_port}" if nginx else None)
    demo_password, admin_password = new_secrets()["ID_NUMBER_HASH_KEY"][:20], new_secrets()["SECRET_KEY"][:24]
    try:
        print("DEPLOY.md step 4: check, migrate, collectstatic, first admin")
        deploy_manage("check", "--deploy", "--fail-level", "WARNING")
        smoke.check("manage.py check --deploy passes with the example environment", True)
        deploy_manage("migrate", "--noinput", "-v0")
        deploy_manage("collectstatic", "--noinput", "-v0")
        deploy_manage(
            "createsuperuser",
            "--noinput",
            "--username",
            "ops-admin",
            "--email",
            "ops@example.org",
            DJANGO_SUPERUSER_PASSWORD=admin_password,
        )
        # A trial installation: the demo's hierarchy and accounts to log in with.
        deploy_manage("seed_demo", DEMO_PASSWORD=demo_password)
        print("DEPLOY.md step 5-6: gunicorn as portal.service runs it" + (", behind nginx" if nginx else ""))
        with Gunicorn(env, log_path=WORKDIR / "gunicorn.log", command=unit_command()) as app:
            if nginx:
                nginx.upstream_port = app.port
                with nginx:
                    web_checks(
                        smoke,
                        Client(nginx.https_port, tls=True),
                        demo_password=demo_password,
                        admin_password=admin_password,
                        nginx=nginx,
                    )
                    log = nginx.access_log()
                    smoke.check(
                        "nginx logs requests without their query strings",
                        "/villages/" in log and SECRET_QUERY not in log,
                        log[-500:],
                    )
            else:
                print("  (without nginx: requests go straight to gunicorn, with the headers nginx would add)")
                web_checks(
                    smoke,
                    Client(app.port),
                    demo_password=demo_password,
                    admin_password=admin_password,
                    nginx=None,
                )
            print("DEPLOY.md step 7: the timers' commands")
            deploy_manage("send_reminders")
            smoke.check("manage.py send_reminders runs", True)
            out = deploy_manage("backup")
            smoke.check(
                "manage.py backup writes an archive into BACKUP_DIR",
                len(list((WORKDIR / "backups").glob("portal-backup-*.tar"))) == 1,
                out,
            )
            access = (WORKDIR / "gunicorn.log").read_text(errors="replace")
            smoke.check(
                "gunicorn logs requests without their query strings",
                '"GET /villages/"' in access and SECRET_QUERY not in access,
                access[-500:],
            )
    except RuntimeError as exc:
        smoke.check("the deployment steps ran", False, str(exc))
    finally:
        if not os.environ.get("PROD_SMOKE_KEEP"):
            drop_database(server, DATABASE)
    print("prod-smoke: " + ("PASS" if not smoke.failures else f"FAIL ({len(smoke.failures)} checks)"))
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main())
