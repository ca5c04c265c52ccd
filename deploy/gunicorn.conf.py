"""Gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py governance.wsgi`.

Every value comes from the environment (the systemd unit's EnvironmentFile), with small defaults.

Database connections are bounded here. Django keeps one PostgreSQL connection per thread that
serves a request (kept open between requests for CONN_MAX_AGE seconds), so one app server holds at
most GUNICORN_WORKERS x GUNICORN_THREADS connections, whatever the traffic: a burst waits in the
listen queue instead of opening more. Keep the sum over all app servers, plus the reminder timer
and backups (one each), below PostgreSQL's max_connections (default 100, a few reserved for
superusers). GUNICORN_MAX_DB_CONNECTIONS makes a larger setting refuse to start.
"""

import os


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}.") from None
    if not low <= value <= high:
        raise SystemExit(f"{name} must be between {low} and {high}; got {value}.")
    return value


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# gthread: a few processes (CPU) with threads (requests waiting on PostgreSQL).
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2, 1, 64), 1, 64)
threads = _int("GUNICORN_THREADS", 4, 1, 64)
_budget = _int("GUNICORN_MAX_DB_CONNECTIONS", 40, 1, 10_000)
if workers * threads > _budget:
    raise SystemExit(
        f"GUNICORN_WORKERS x GUNICORN_THREADS = {workers * threads} database connections, more than "
        f"GUNICORN_MAX_DB_CONNECTIONS = {_budget}: lower them, or raise the budget after checking "
        "PostgreSQL's max_connections."
    )

# A request that runs longer than this is killed (the worker restarts); pages take well under 1 s.
timeout = _int("GUNICORN_TIMEOUT", 30, 5, 600)
graceful_timeout = 30
keepalive = 5
# Restart each worker after about this many requests, so a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000, 0, 1_000_000)
max_requests_jitter = max_requests // 10

# Only the local nginx may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to stdout/stderr, i.e. the journal under systemd. One access line per request:
# time, client address (from nginx), method, path WITHOUT the query string (filters may carry
# names or ID numbers), status, bytes, duration in ms, user agent.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s %({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "governance-portal"
# No gunicornc control socket: it would sit at one fixed path per user ($HOME/.gunicorn/), shared
# by every instance (tests start several), and the systemd unit's home is read-only anyway.
control_socket_disable = True
