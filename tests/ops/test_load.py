"""PostgreSQL restarted under load: the short version of `make fault-test` (about 25 s).

A throw-away PostgreSQL (never the shared server), gunicorn with the production settings and
deploy/gunicorn.conf.py on 127.0.0.1, 6 clerks entering reports and 2 county officials on their
pages; PostgreSQL is stopped 4 s in (later on a slow machine, once a write was acknowledged) and
started again 3 s later.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from ops.load import run
from ops.runtime import BASE_DIR, GUNICORN_CONF

pytestmark = pytest.mark.xdist_group("ops")

WORKERS, THREADS = 2, 4


@pytest.fixture(scope="module")
def restarted():
    return run(
        clerks=6,
        officials=2,
        duration=12,
        restart_at=4,
        down=3,
        think=(0.3, 1.0),
        workers=WORKERS,
        threads=THREADS,
        log=lambda *args: None,
    )


def test_every_acknowledged_write_survives_the_restart(restarted):
    assert restarted.acks_before_restart > 0, restarted.report()
    assert restarted.missing == [], restarted.report()


def test_requests_fail_only_while_the_database_is_down(restarted):
    assert restarted.failures_outside_downtime == [], restarted.report()


def test_while_the_database_is_down_pages_answer_503_not_a_server_error(restarted):
    assert restarted.failures, "no request reached the portal while PostgreSQL was down"
    assert restarted.downtime_statuses == {503}, restarted.report()
    assert 503 in restarted.health_while_down


def test_the_portal_recovers_by_itself_when_the_database_is_back(restarted):
    assert restarted.health_after == 200
    assert restarted.acks_after_restart > 0, restarted.report()


def test_database_connections_stay_within_workers_times_threads(restarted):
    assert 0 < restarted.max_connections <= WORKERS * THREADS, restarted.report()


def _gunicorn_config(**env) -> subprocess.CompletedProcess:
    """Load deploy/gunicorn.conf.py as gunicorn does (``--check-config``), with ``env`` set; the
    app loaded is the bare benchmark one, which needs no secrets."""
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "--check-config", "ops.bare_wsgi"],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_gunicorn_starts_with_the_default_settings():
    assert _gunicorn_config().returncode == 0


def test_gunicorn_refuses_more_threads_than_the_connection_budget():
    result = _gunicorn_config(GUNICORN_WORKERS="8", GUNICORN_THREADS="16", GUNICORN_MAX_DB_CONNECTIONS="40")
    assert result.returncode != 0
    assert "128 database connections" in result.stdout + result.stderr


def test_gunicorn_refuses_a_worker_count_that_is_not_a_number():
    result = _gunicorn_config(GUNICORN_WORKERS="many")
    assert result.returncode != 0
    assert "GUNICORN_WORKERS must be a whole number" in result.stdout + result.stderr
