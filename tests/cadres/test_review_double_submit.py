"""Review (_r2) of [5/10] "a double click creates ... two training rows": the reserve cadres'
training is now attendance of a class (training/, [9/10]); an attendance form sent twice with one
submission token records one attendance (tests/test_idempotency.py covers matters)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from governance.submissions import TOKEN_FIELD
from tests.cadres.factories import ReserveCadreFactory
from tests.training.factories import TrainingClassFactory
from training.models import Attendance, Audience

pytestmark = pytest.mark.django_db


def test_a_training_sent_twice_is_recorded_once(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    training_class = TrainingClassFactory(
        county=village.township.county, township=village.township, audience=[Audience.RESERVE]
    )
    url = reverse("training:class_attendance", args=[training_class.public_id])
    data = {f"status_{reserve.person.public_id.hex}": "attended", TOKEN_FIELD: str(uuid.uuid4())}
    first = staff_client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert Attendance.objects.filter(person=reserve.person).count() == 1
    second = staff_client.post(url, data, follow=True)
    assert second.status_code == 200
    assert Attendance.objects.filter(person=reserve.person).count() == 1
    assert "这次提交已经保存过" in second.content.decode()
