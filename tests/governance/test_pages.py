import re
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


class TestHealthz:
    def test_it_answers_ok_when_the_database_answers(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.content == b"ok"

    def test_it_answers_503_when_the_database_does_not(self, client):
        with mock.patch("governance.views.connection.cursor", side_effect=OperationalError("down")):
            response = client.get("/healthz")
        assert response.status_code == 503

    def test_it_needs_no_login(self, client):
        assert client.get("/healthz").status_code == 200


class TestServerTiming:
    def test_every_page_carries_the_query_count_and_time(self, staff_client, village):
        response = staff_client.get(reverse("villages:village_list"))
        header = response["Server-Timing"]
        match = re.fullmatch(r'db;dur=(\d+\.\d);desc="(\d+) queries"', header)
        assert match, header
        assert int(match.group(2)) >= 3  # session, user, villages at least

    def test_it_can_be_turned_off(self, staff_client, settings):
        settings.SERVER_TIMING = False
        assert "Server-Timing" not in staff_client.get(reverse("home"))


class TestLogin:
    def test_the_login_page_is_in_chinese(self, client):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert "登录" in response.content.decode()
        assert response.headers["Content-Language"] == "zh-hans"

    def test_a_user_logs_in_with_username_and_password(self, client, staff):
        response = client.post(reverse("login"), {"username": "staff", "password": TEST_PASSWORD})
        assert response.status_code == 302
        assert response.url == reverse("home")

    def test_a_wrong_password_says_so_in_chinese(self, client, staff):
        response = client.post(reverse("login"), {"username": "staff", "password": "nope"})
        assert "用户名或密码不正确" in response.content.decode()

    def test_an_english_browser_still_gets_chinese_by_default(self, client):
        response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.headers["Content-Language"] == "zh-hans"

    def test_english_is_available(self, client):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        response = client.get(reverse("login"))
        assert response.headers["Content-Language"] == "en"

    def test_logout_is_a_post(self, staff_client):
        assert staff_client.get(reverse("logout")).status_code == 405
        assert staff_client.post(reverse("logout")).status_code == 302


class TestHome:
    def test_township_staff_see_their_township_and_its_village_count(
        self, staff_client, village, other_village
    ):
        response = staff_client.get(reverse("home"))
        townships = list(response.context["units"])
        assert [t.name for t in townships] == ["姑咱镇"]
        assert townships[0].village_count == 1
        assert list(response.context["villages"]) == [village]
        assert other_village.name not in response.content.decode()

    def test_a_county_official_sees_every_township_and_a_dashboard_link(
        self, official_client, village, other_village
    ):
        response = official_client.get(reverse("home"))
        assert {t.name for t in response.context["units"]} == {"姑咱镇", "新都桥镇"}
        assert reverse("dashboard") in response.content.decode()
        assert "本乡镇的村" not in response.content.decode()

    def test_an_admin_sees_every_county_with_its_counts(self, admin_client_, village, other_village):
        response = admin_client_.get(reverse("home"))
        assert response.context["level"] == "county"
        [kangding] = response.context["units"]
        assert (kangding.name, kangding.township_count, kangding.village_count) == ("康定市", 2, 2)
        assert "?county=513301000000" in response.content.decode()

    def test_it_redirects_anonymous_users_to_login(self, client):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_it_refuses_post(self, staff_client):
        assert staff_client.post(reverse("home")).status_code == 405


class TestDashboard:
    def test_the_county_official_sees_township_totals(self, official_client, village, other_village):
        response = official_client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert response.context["village_total"] == 2

    def test_township_staff_see_only_their_own_figures(self, staff_client, village, other_village):
        response = staff_client.get(reverse("dashboard"))
        assert response.context["village_total"] == 1

    def test_it_redirects_anonymous_users_to_login(self, client):
        assert client.get(reverse("dashboard")).status_code == 302


def test_the_english_interface_is_translated(client, staff):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("login")).content.decode()
    assert "Log in" in body or "Login" in body
    assert "用户名" not in body


def test_the_login_page_leads_villagers_to_the_public_board(client):
    body = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("public:index")}"' in body


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url_name", ["home", "dashboard"])
@pytest.mark.parametrize("who", ["staff_client", "official_client", "admin_client_"])
def test_the_start_pages_query_count_does_not_grow_with_the_villages(
    request, who, url_name, size, township, other_township, django_assert_max_num_queries
):
    """Home and dashboard carry every app's panel: the bound holds at 3 and at 30 villages a township."""
    from tests.factories import VillageFactory

    for unit in (township, other_township):
        VillageFactory.create_batch(size, township=unit)
    client = request.getfixturevalue(who)
    # The dashboard ([8/10]) carries a chart, a trend and a table per app: the page budget is 30.
    # Home: every app's panel and, for a township, its to-do lists: 20.
    with django_assert_max_num_queries(30 if url_name == "dashboard" else 20):
        assert client.get(reverse(url_name)).status_code == 200
