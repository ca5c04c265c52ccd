"""Review _r1: the item correction page and the report page with corrected items run a fixed
number of queries however many corrections and items there are; an outsider gets 404."""

import pytest
from django.urls import reverse

from supervision.models import RectificationCorrection
from tests.supervision.factories import RectificationFactory

pytestmark = pytest.mark.django_db

CORRECT_QUERIES = 7
DETAIL_QUERIES = 11


def _corrected_items(report, staff, n):
    items = RectificationFactory.create_batch(n, opened_in=report)
    for item in items:
        for i in range(n):
            RectificationCorrection.objects.create(
                item=item,
                reason=f"更正{i}",
                changes={"responsible": ["村主任", "村会计"]},
                corrected_by=staff,
            )
    return items


@pytest.mark.parametrize("size", [1, 6])
def test_the_item_correction_page_keeps_its_query_count(
    staff_client, staff, report, size, django_assert_max_num_queries
):
    item = _corrected_items(report, staff, size)[0]
    url = reverse("supervision:item_correct", args=[report.public_id, item.public_id])
    with django_assert_max_num_queries(CORRECT_QUERIES):
        response = staff_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_report_page_with_corrections_keeps_its_query_count(
    staff_client, staff, report, size, django_assert_max_num_queries
):
    _corrected_items(report, staff, size)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = staff_client.get(reverse("supervision:report_detail", args=[report.public_id]))
    assert response.status_code == 200


def test_an_outsider_gets_404_on_the_item_correction_page(outsider_client, staff, report):
    item = _corrected_items(report, staff, 1)[0]
    url = reverse("supervision:item_correct", args=[report.public_id, item.public_id])
    assert outsider_client.get(url).status_code == 404
