"""Review _r1: the matter page with step corrections, and the correction page, run a fixed number
of queries however many corrections and steps there are."""

import pytest
from django.urls import reverse

from decisions.models import StepCorrection, StepKind

pytestmark = pytest.mark.django_db

# Measured at both sizes: the corrections are one query, whatever their number.
DETAIL_QUERIES = 9
CORRECT_QUERIES = 7


def _with_corrections(matter, staff, n):
    for step in matter.steps.all():
        for i in range(n):
            StepCorrection.objects.create(
                step=step, reason=f"更正{i}", changes={"text": ["旧", "新"]}, corrected_by=staff
            )
    return matter


@pytest.mark.parametrize("size", [1, 6])
def test_the_matter_page_with_corrections_keeps_its_query_count(
    staff_client, staff, matter_at, size, django_assert_max_num_queries
):
    matter = _with_corrections(matter_at(StepKind.REVIEW), staff, size)
    url = reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("更正") >= size


@pytest.mark.parametrize("size", [1, 6])
def test_the_step_correction_page_keeps_its_query_count(
    staff_client, staff, matter_at, size, django_assert_max_num_queries
):
    matter = _with_corrections(matter_at(StepKind.REVIEW), staff, size)
    url = reverse("decisions:step_correct", kwargs={"public_id": matter.public_id, "step": "propose"})
    with django_assert_max_num_queries(CORRECT_QUERIES):
        response = staff_client.get(url)
    assert response.status_code == 200
