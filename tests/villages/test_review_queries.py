"""Review _r1: the village options (JSON) run a fixed number of queries at any size."""

import pytest
from django.urls import reverse

from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

OPTIONS_QUERIES = 4


@pytest.mark.parametrize("size", [1, 40])
def test_the_village_options_keep_their_query_count(
    official_client, village, size, django_assert_max_num_queries
):
    VillageFactory.create_batch(size, township=village.township)
    with django_assert_max_num_queries(OPTIONS_QUERIES):
        response = official_client.get(
            reverse("villages:village_options"), {"township": village.township.code}
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == size + 1


def test_an_outsider_gets_404_for_another_townships_village_options(outsider_client, village):
    response = outsider_client.get(reverse("villages:village_options"), {"township": village.township.code})
    assert response.status_code == 404
