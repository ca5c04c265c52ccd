"""Review (_r2) of [5/10] "a double click creates ... two training rows": a training form sent
twice with one submission token records one training (tests/test_idempotency.py covers matters)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from governance.submissions import TOKEN_FIELD
from tests.cadres.factories import ReserveCadreFactory

pytestmark = pytest.mark.django_db


def test_a_training_sent_twice_is_recorded_once(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    url = reverse("cadres:reserve_action", args=[reserve.public_id, "train"])
    data = {
        "train-trained_on": "2026-05-01",
        "train-course": "村务管理",
        "train-hours": "8",
        TOKEN_FIELD: str(uuid.uuid4()),
    }
    first = staff_client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert reserve.trainings.count() == 1
    second = staff_client.post(url, data, follow=True)
    assert second.status_code == 200
    assert reserve.trainings.count() == 1
    assert "这次提交已经保存过" in second.content.decode()
