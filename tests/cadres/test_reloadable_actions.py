"""A refused action POST re-renders the record's page at the action's address; reloading that
address (GET) or a HEAD goes back to the record's page instead of answering 405."""

import pytest
from django.urls import reverse

from tests.cadres.factories import DevelopmentFactory, ReserveCadreFactory

pytestmark = pytest.mark.django_db


def test_development_action_refused_then_reload_redirects_to_the_detail(staff_client, village):
    development = DevelopmentFactory(village=village)
    url = reverse("cadres:development_action", args=[development.public_id, "talk"])
    detail = reverse("cadres:development_detail", args=[development.public_id])
    refused = staff_client.post(url, {"talk-talked_on": ""})
    assert refused.status_code == 400
    for method in (staff_client.get, staff_client.head):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"] == detail


def test_reserve_action_refused_then_reload_redirects_to_the_detail(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    url = reverse("cadres:reserve_action", args=[reserve.public_id, "review"])
    detail = reverse("cadres:reserve_detail", args=[reserve.public_id])
    assert staff_client.post(url, {"review-on": ""}).status_code == 400
    for method in (staff_client.get, staff_client.head):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"] == detail


def test_action_get_stays_scoped_and_refuses_other_methods(outsider_client, staff_client, village):
    development = DevelopmentFactory(village=village)
    reserve = ReserveCadreFactory(village=village)
    urls = [
        reverse("cadres:development_action", args=[development.public_id, "talk"]),
        reverse("cadres:reserve_action", args=[reserve.public_id, "review"]),
    ]
    for url in urls:
        assert outsider_client.get(url).status_code == 404, url
        assert staff_client.put(url).status_code == 405, url
