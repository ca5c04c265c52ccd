"""The test helpers themselves: a helper that cannot fail proves nothing."""

import pytest

from tests.factories import VillageFactory
from tests.helpers import database_unchanged, row_starting, table_rows
from villages.models import Village

pytestmark = pytest.mark.django_db


def test_database_unchanged_passes_when_nothing_is_written(village):
    with database_unchanged():
        assert Village.objects.count() == 1


@pytest.mark.parametrize("write", ["insert", "update", "delete"])
def test_database_unchanged_sees_every_kind_of_write(village, write):
    with pytest.raises(AssertionError, match="wrote to the database"), database_unchanged():
        if write == "insert":
            VillageFactory(township=village.township)
        elif write == "update":
            Village.objects.filter(pk=village.pk).update(name="改名")  # bypasses history on purpose
        else:
            village.branches.all().delete()


def test_table_rows_reads_cells_as_text():
    html = (
        "<table><tr><th>乡镇</th><th class='num'>应报</th></tr>"
        "<tr><td><a href='#'>姑咱镇</a></td><td>5</td></tr></table>"
    )
    assert table_rows(html) == [["乡镇", "应报"], ["姑咱镇", "5"]]
    assert row_starting(html, "姑咱镇") == ["姑咱镇", "5"]
