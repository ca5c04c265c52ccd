"""The cadre panels on shared pages stay within a fixed number of queries, however many rows."""

import pytest
from django.template.loader import render_to_string

from cadres.panels import dashboard_panel, home_panel, village_panel
from tests.cadres.test_views import populate

pytestmark = pytest.mark.django_db


def _render(panel):
    template, context = panel
    return render_to_string(template, {"panel": context})


@pytest.mark.parametrize("size", [3, 30])
def test_panels_use_a_fixed_number_of_queries(
    staff, official, village, other_village, size, django_assert_max_num_queries
):
    populate(village, size)
    populate(other_village, size)
    # roster, bench, quota, the village's 3512 status, the branch's committee rules ([7/10])
    with django_assert_max_num_queries(6):  # and the first secretary ([9/10])
        html = _render(village_panel(village=village, user=staff))
    assert "两委班子" in html and "计入3512配备" in html
    with django_assert_max_num_queries(4):  # the counties' quotas, then one roll-up
        html = _render(dashboard_panel(user=official))
    assert "姑咱镇" in html and "新都桥镇" in html
    with django_assert_max_num_queries(7):  # and the township's terms ending, named
        html = _render(home_panel(user=staff))
    assert "干部工作提醒" in html
