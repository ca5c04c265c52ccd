"""Review (_r2) of [5/10] "a double click creates two rectification items": an item form sent twice
with one submission token adds one item (tests/test_idempotency.py covers matters only)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.submissions import TOKEN_FIELD
from supervision.models import Rectification
from tests.supervision.factories import PeriodFactory, ReportFactory

pytestmark = pytest.mark.django_db


def test_a_rectification_item_sent_twice_is_added_once(staff_client, village):
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    report = ReportFactory(village=village, period=PeriodFactory(year=year, number=month))
    url = reverse("supervision:item_add", args=[report.public_id])
    data = {
        "area": "finances",
        "problem": "支出缺签字",
        "responsible": "报账员",
        "found_on": dt.date(year, month, 10).isoformat(),
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
        TOKEN_FIELD: str(uuid.uuid4()),
    }
    first = staff_client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert Rectification.objects.filter(opened_in=report).count() == 1
    second = staff_client.post(url, data, follow=True)
    assert second.status_code == 200
    assert Rectification.objects.filter(opened_in=report).count() == 1
    assert "这次提交已经保存过" in second.content.decode()
