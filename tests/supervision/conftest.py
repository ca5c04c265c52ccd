"""Supervision fixtures on top of tests/conftest.py (county, township, village, staff, official…)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from supervision.models import Kind
from tests.supervision.factories import PeriodFactory, ReportFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=12, mm=0, ss=0):
    """An aware datetime in Asia/Shanghai."""
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


@pytest.fixture
def march(db):
    """2025年3月: due 2025-04-05, locks after 2025-05-05 (default 30 days)."""
    return PeriodFactory(kind=Kind.MONTHLY, year=2025, number=3)


@pytest.fixture
def report(village, march):
    return ReportFactory(village=village, period=march)


@pytest.fixture
def submitted(report, staff):
    from supervision.services import report_submit

    return report_submit(report=report, user=staff, now=local(2025, 4, 1))
