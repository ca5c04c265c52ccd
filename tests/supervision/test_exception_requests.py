"""申请开放: a township asks the county to reopen a locked period for one village; the county official
grants it (a LockException is opened) or refuses it with a reason, from the review queue.

2025年3月 is due 2025-04-05 and locks after 2025-05-05 (DESIGN §5 defaults: 5th, 30 days)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supervision import services
from supervision.models import ExceptionRequest, Kind, LockException

pytestmark = pytest.mark.django_db

LOCK_DAY = dt.date(2025, 5, 5)


def _ask(village, staff, *, today=LOCK_DAY + dt.timedelta(days=1), reason="村监委会主任病休，未能按时填报。"):
    return services.exception_request_create(
        village=village, kind=Kind.MONTHLY, year=2025, number=3, user=staff, reason=reason, today=today
    )


def test_a_township_asks_only_once_the_period_is_locked(village, staff, march):
    with pytest.raises(ValidationError, match="尚未锁定"):
        _ask(village, staff, today=LOCK_DAY)  # the last open day
    request = _ask(village, staff, today=LOCK_DAY + dt.timedelta(days=1))  # the first locked day
    assert (request.state, request.requested_by, request.period) == ("requested", staff, march)


def test_a_request_needs_a_reason_and_only_one_waits_per_village_and_period(village, staff, march):
    with pytest.raises(ValidationError, match="须填写理由"):
        _ask(village, staff, reason="  ")
    _ask(village, staff)
    with pytest.raises(ValidationError, match="已申请开放"):
        _ask(village, staff)
    assert ExceptionRequest.objects.count() == 1


def test_only_the_villages_township_may_ask(village, outsider, official, march):
    for user in (outsider, official):
        with pytest.raises(ValidationError):
            _ask(village, user)
    assert not ExceptionRequest.objects.exists()


def test_granting_opens_the_exception_and_the_village_may_report_again(village, staff, official, march):
    request = _ask(village, staff)
    assert services.period_lock_reason(village=village, period=march) is not None
    exception = services.exception_request_grant(request=request, user=official)
    request.refresh_from_db()
    assert (request.state, request.decided_by) == ("granted", official)
    assert (exception.village, exception.period, exception.reason) == (village, march, request.reason)
    assert services.period_lock_reason(village=village, period=march) is None
    with pytest.raises(ValidationError, match="已审批"):
        services.exception_request_refuse(request=request, user=official, reason="重复")


def test_refusing_needs_a_reason_and_keeps_the_period_locked(village, staff, official, march):
    request = _ask(village, staff)
    with pytest.raises(ValidationError, match="不同意须填写原因"):
        services.exception_request_refuse(request=request, user=official, reason="")
    request.refresh_from_db()
    assert request.state == "requested"
    services.exception_request_refuse(request=request, user=official, reason="已超过补报期限。")
    request.refresh_from_db()
    assert (request.state, request.refusal_reason) == ("refused", "已超过补报期限。")
    assert not LockException.objects.exists()
    assert services.period_lock_reason(village=village, period=march) is not None
    _ask(village, staff, reason="补充说明后再次申请。")  # a refused request does not block a new one


def test_the_township_asks_from_the_locked_report_page_and_sees_the_answer(
    staff_client, official_client, report, staff
):
    # Today the real date: 2025年3月 is long locked.
    detail = staff_client.get(reverse("supervision:report_detail", args=[report.public_id])).content.decode()
    ask = reverse("supervision:exception_request", args=[report.village.code, "2025-03"])
    assert ask in detail
    assert staff_client.get(ask).status_code == 200
    empty = staff_client.post(ask, {"reason": ""})
    assert empty.status_code == 400 and not ExceptionRequest.objects.exists()
    done = staff_client.post(ask, {"reason": "村监委会主任病休。"})
    assert done.status_code == 302 and done.url == ask
    assert "等待县级审核人员审批" in staff_client.get(ask).content.decode()

    request = ExceptionRequest.objects.get()
    queue = official_client.get(reverse("review")).content.decode()
    assert f"supervision.request:{request.public_id}" in queue and "村监委会主任病休" in queue
    refuse = reverse("review_act", args=[f"supervision.request:{request.public_id}", "return"])
    assert official_client.post(refuse, {"reason": ""}).status_code == 400
    assert official_client.post(refuse, {"reason": "请先说明原因。"}).status_code == 302
    page = staff_client.get(ask).content.decode()
    assert "未同意" in page and "请先说明原因。" in page


def test_granting_from_the_queue(staff_client, official_client, report):
    ask = reverse("supervision:exception_request", args=[report.village.code, "2025-03"])
    staff_client.post(ask, {"reason": "补报"})
    request = ExceptionRequest.objects.get()
    grant = reverse("review_act", args=[f"supervision.request:{request.public_id}", "approve"])
    response = official_client.post(grant)
    assert response.status_code == 302 and response.url == reverse("review")
    assert LockException.objects.filter(village=report.village, period=report.period).exists()
    assert "已开放" in staff_client.get(ask).content.decode()


def test_another_townships_village_is_not_found(outsider_client, village, official_client):
    ask = reverse("supervision:exception_request", args=[village.code, "2025-03"])
    assert outsider_client.get(ask).status_code == 404
    assert outsider_client.post(ask, {"reason": "x"}).status_code == 404
    assert official_client.get(ask).status_code == 403
    bad = reverse("supervision:exception_request", args=[village.code, "2025-13"])
    assert outsider_client.get(bad).status_code == 404
