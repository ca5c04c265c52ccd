"""The overdue-probation badge on the development list and page follows the overdue list's rule."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import DevelopmentStage
from tests.cadres.factories import DevelopmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("days_ago", "overdue"), [(1, True), (0, False)])
def test_a_probation_ended_without_a_decision_is_marked_overdue(staff_client, village, days_ago, overdue):
    ended = timezone.localdate() - dt.timedelta(days=days_ago)
    development = DevelopmentFactory(
        village=village, stage=DevelopmentStage.PROBATIONARY, probation_ends_on=ended
    )
    listed = staff_client.get(reverse("cadres:development_list"), {"overdue": "true"})
    page = staff_client.get(reverse("cadres:development_detail", args=[development.public_id]))
    assert (development in listed.context["object_list"]) is overdue
    assert ("逾期未转正" in listed.content.decode()) is overdue
    assert ("预备期满未转正</span>" in page.content.decode()) is overdue
