"""A small-scale run of `make bench` (bench/run.py at BENCH_SCALE=0.01: one county of 17 townships
with every kind of record): every page the benchmark measures answers 200 within the same query
bound as at province size. Timings are the benchmark's business, not a test's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_QUERIES = 30


@pytest.mark.xdist_group("bench")
def test_every_benchmarked_page_answers_within_the_query_bound(tmp_path):
    env = {
        **os.environ,
        "BENCH_SCALE": "0.01",
        "BENCH_REPEAT": "1",
        "BENCH_TRACE": "0",
        "BENCH_RESULTS": str(tmp_path / "RESULTS.md"),
        "TEST_DB_NAME": f"bench_smoke_{os.getpid()}",
    }
    run = subprocess.run(
        [sys.executable, "bench/run.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    rows = [
        line.split()
        for line in run.stdout.splitlines()
        if line.split()[:1] in (["admin"], ["county"], ["township"])
    ]
    assert len(rows) > 150, run.stdout[-3000:] + run.stderr[-3000:]
    # role, path, status, median ms, queries, peak MB[, FAIL]
    measured = [row for row in rows if not row[2].startswith("(")]  # not the cached-figures lines
    wrong = [row for row in measured if row[2] != "200" or int(row[4]) > MAX_QUERIES]
    assert wrong == [], wrong
