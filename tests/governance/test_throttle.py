"""Login throttling: five wrong passwords for one username lock it for 15 minutes, from every
address; one address is locked only after 30 failures, so colleagues behind one office NAT are not
locked out by one person's typos. The lockout page says when to retry; an admin can lift a lock."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import axes.attempts
import axes.handlers.proxy
import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.clock import Clock
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WRONG_PASSWORD_MESSAGE = "用户名或密码不正确，请重试。"
LOCKED_TITLE = "登录已暂时锁定"


@pytest.fixture
def clock(monkeypatch):
    # 2026-03-05 14:20:10 in Kangding (UTC+8).
    clock = Clock(dt.datetime(2026, 3, 5, 6, 20, 10, tzinfo=dt.UTC))
    monkeypatch.setattr(timezone, "now", clock)
    # axes imported `now` by name.
    monkeypatch.setattr(axes.handlers.proxy, "now", clock)
    monkeypatch.setattr(axes.attempts, "now", clock)
    return clock


def log_in(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail_five_times(client: Client, username: str, clock: Clock) -> list:
    """Five wrong passwords, five seconds apart: the last at 14:20:30."""
    responses = []
    for attempt in range(5):
        if attempt:
            clock.advance(seconds=5)
        responses.append(log_in(client, username, "wrong password"))
    return responses


def test_the_sixth_wrong_password_within_a_minute_is_refused_with_the_time_to_retry(client, staff, clock):
    responses = fail_five_times(client, "staff", clock)
    for response in responses[:4]:
        assert response.status_code == 200
        assert WRONG_PASSWORD_MESSAGE in response.content.decode()
    # The fifth failure sets the lock and says so at once.
    assert responses[4].status_code == 429

    clock.advance(seconds=5)  # 14:20:35
    response = log_in(client, "staff", "yet another guess")

    assert response.status_code == 429
    body = response.content.decode()
    assert LOCKED_TITLE in body
    assert "账号“staff”的密码连续输错次数过多" in body
    # Locked at 14:20:30 for 15 minutes: until 14:35:30, shown rounded up to the minute.
    assert "请于 2026-03-05 14:36（北京时间，约 15 分钟后）再试。" in body
    assert response["Retry-After"] == str(15 * 60 - 5)


def test_the_right_password_is_refused_while_locked_and_accepted_once_the_lock_ends(client, staff, clock):
    fail_five_times(client, "staff", clock)

    clock.advance(seconds=30)
    response = log_in(client, "staff", TEST_PASSWORD)
    assert response.status_code == 429
    assert "请于 2026-03-05 14:36" in response.content.decode()
    assert "_auth_user_id" not in client.session

    clock.advance(minutes=14, seconds=29)  # 14:35:29: one second before the lock ends
    assert log_in(client, "staff", TEST_PASSWORD).status_code == 429

    clock.advance(seconds=2)  # 14:35:31
    response = log_in(client, "staff", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_trying_again_while_locked_does_not_move_the_time_given(client, staff, clock):
    fail_five_times(client, "staff", clock)
    clock.advance(minutes=10)
    response = log_in(client, "staff", "still guessing")
    assert "请于 2026-03-05 14:36（北京时间，约 5 分钟后）再试。" in response.content.decode()


def test_an_admin_lifts_the_lock_by_deleting_the_attempts_in_the_django_admin(
    client, staff, admin_client_, clock
):
    fail_five_times(client, "staff", clock)
    attempt = AccessAttempt.objects.get(username="staff")

    listing = admin_client_.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "staff" in listing.content.decode()
    deleted = admin_client_.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302

    response = log_in(client, "staff", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_an_admin_lifts_the_lock_from_the_command_line(client, staff, clock):
    fail_five_times(client, "staff", clock)
    call_command("axes_reset_username", "staff", stdout=StringIO())

    assert log_in(client, "staff", TEST_PASSWORD).status_code == 302


def test_a_colleague_at_the_same_address_is_not_locked_by_another_users_failures(
    client, staff, outsider, clock
):
    fail_five_times(client, "staff", clock)

    colleague = Client()  # same address (127.0.0.1), another user
    response = log_in(colleague, "outsider", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_locked_username_stays_locked_from_another_address(client, staff, clock):
    fail_five_times(client, "staff", clock)
    elsewhere = Client(REMOTE_ADDR="10.20.30.40")
    assert log_in(elsewhere, "staff", TEST_PASSWORD).status_code == 429


def test_a_successful_login_forgets_the_users_own_earlier_typos(client, staff, clock):
    for _attempt in range(4):
        assert log_in(client, "staff", "typo").status_code == 200
    assert log_in(Client(), "staff", TEST_PASSWORD).status_code == 302
    # Four fresh typos lock nothing: the count started again after the successful login.
    for _attempt in range(4):
        assert log_in(client, "staff", "typo").status_code == 200
    assert log_in(Client(), "staff", TEST_PASSWORD).status_code == 302


def test_a_colleagues_successful_login_does_not_wipe_another_users_failures(client, staff, outsider, clock):
    for _attempt in range(4):
        assert log_in(client, "staff", "typo").status_code == 200
    assert log_in(Client(), "outsider", TEST_PASSWORD).status_code == 302
    assert log_in(client, "staff", "typo").status_code == 429


def test_a_request_without_a_usable_address_is_still_answered(staff, clock):
    # gunicorn on a Unix socket without a trusted proxy header: REMOTE_ADDR is empty.
    socket_client = Client(REMOTE_ADDR="")
    response = log_in(socket_client, "staff", "typo")
    assert response.status_code == 200
    assert WRONG_PASSWORD_MESSAGE in response.content.decode()
    assert log_in(socket_client, "staff", TEST_PASSWORD).status_code == 302


def spray(client: Client, count: int, **extra) -> list[int]:
    """``count`` wrong passwords spread over many usernames, never more than three per username."""
    statuses = []
    for n in range(count):
        response = log_in(client, f"guess{n // 3}", "wrong password", **extra)
        assert response.status_code in (200, 429)
        statuses.append(response.status_code)
    return statuses


def test_one_address_trying_many_usernames_is_locked_at_thirty_failures(client, staff, clock):
    # Below the address limit every wrong password is answered as one, not refused.
    assert spray(client, 29) == [200] * 29
    colleague = Client()
    assert log_in(colleague, "staff", TEST_PASSWORD).status_code == 302
    colleague.post(reverse("logout"))

    spray(client, 1)  # the thirtieth failure from this address
    response = log_in(colleague, "staff", TEST_PASSWORD)
    assert response.status_code == 429
    assert "本机所在网络的登录失败次数过多" in response.content.decode()
    # The same user from another address is not affected.
    assert log_in(Client(REMOTE_ADDR="10.20.30.40"), "staff", TEST_PASSWORD).status_code == 302


def test_a_forged_forwarded_header_does_not_dodge_the_address_limit(client, staff, clock):
    for n in range(30):
        log_in(client, f"guess{n // 3}", "wrong password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert log_in(Client(), "staff", TEST_PASSWORD).status_code == 429


def test_behind_a_trusted_proxy_each_office_is_counted_by_its_own_address(settings, staff, clock):
    settings.TRUSTED_PROXY_COUNT = 1  # nginx on the same host appends the client's address
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    # The left entry is whatever the client sent; nginx appended the real address on the right.
    spray(proxy, 30, HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.7")

    other_office = Client(REMOTE_ADDR="127.0.0.1")
    response = log_in(other_office, "staff", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 302
    same_office = Client(REMOTE_ADDR="127.0.0.1")
    response = log_in(same_office, "staff", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    assert response.status_code == 429


def test_the_admin_login_is_throttled_with_the_same_page(client, admin_user, clock):
    for _attempt in range(5):
        response = client.post(reverse("admin:login"), {"username": "root", "password": "wrong password"})
    assert response.status_code == 429
    assert LOCKED_TITLE in response.content.decode()
    assert (
        client.post(reverse("admin:login"), {"username": "root", "password": TEST_PASSWORD}).status_code
        == 429
    )


def test_the_lockout_page_is_translated(client, staff, clock):
    client.cookies["django_language"] = "en"
    fail_five_times(client, "staff", clock)
    response = log_in(client, "staff", "again")
    assert response.status_code == 429
    assert (
        "Please try again after 2026-03-05 14:36 (Beijing time, in about 15 minutes)."
        in response.content.decode()
    )
