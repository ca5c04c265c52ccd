"""Irreversible cadres actions ([6/10]): development stage changes, closing a reserve record (任用/退出)
and 离任 post to a confirmation page first; nothing is saved until 确认办理 (``confirmed``);
返回修改 (``revise``) brings the form back with the values as typed."""

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import Development, Post, ReserveCadre
from tests.cadres.factories import DevelopmentFactory, PostFactory, ReserveCadreFactory
from tests.helpers import database_unchanged

pytestmark = pytest.mark.django_db

CANNOT_UNDO = "此操作不能撤销。"


def _applicant(village):
    return DevelopmentFactory(
        village=village, applied_on=dt.date(2024, 1, 10), talked_on=dt.date(2024, 1, 20)
    )


def test_making_an_activist_shows_a_confirmation_and_saves_nothing(staff_client, village):
    development = _applicant(village)
    url = reverse("cadres:development_action", args=[development.public_id, "activist"])
    with database_unchanged():
        response = staff_client.post(url, {"activist-on": "2024-02-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "确认办理：确定为入党积极分子" in page
    assert "办理后发展阶段为“入党积极分子”。" in page and CANNOT_UNDO in page
    assert 'name="activist-on" value="2024-02-01"' in page  # carried to the confirm button
    assert 'name="confirmed" value="1"' in page and 'name="revise" value="1"' in page
    assert Development.objects.get().stage == "applicant"


def test_confirming_records_the_stage_change(staff_client, village):
    development = _applicant(village)
    url = reverse("cadres:development_action", args=[development.public_id, "activist"])
    response = staff_client.post(url, {"activist-on": "2024-02-01", "confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cadres:development_detail", args=[development.public_id])
    development.refresh_from_db()
    assert development.stage == "activist" and development.activist_on == dt.date(2024, 2, 1)


def test_revise_brings_the_form_back_with_the_typed_date(staff_client, village):
    development = _applicant(village)
    url = reverse("cadres:development_action", args=[development.public_id, "activist"])
    with database_unchanged():
        response = staff_client.post(url, {"activist-on": "2024-02-01", "revise": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2024-02-01" in page and "确认办理" not in page
    assert Development.objects.get().stage == "applicant"


def test_a_rule_violation_is_shown_on_the_form_not_on_a_confirmation(staff_client, village):
    # 发展对象 after at least one year as an activist: activist 2024-02-01 → earliest 2025-02-01.
    development = _applicant(village)
    development.stage, development.activist_on = "activist", dt.date(2024, 2, 1)
    development.save()
    url = reverse("cadres:development_action", args=[development.public_id, "candidate"])
    with database_unchanged():
        refused = staff_client.post(url, {"candidate-on": "2025-01-31"})
    assert refused.status_code == 400 and "确认办理" not in refused.content.decode()
    with database_unchanged():
        accepted = staff_client.post(url, {"candidate-on": "2025-02-01"})
    assert accepted.status_code == 200 and "办理后发展阶段为“发展对象”。" in accepted.content.decode()
    assert staff_client.post(url, {"candidate-on": "2025-02-01", "confirmed": "1"}).status_code == 302
    assert Development.objects.get().stage == "candidate"


def test_the_branch_talk_is_not_a_stage_change_and_saves_at_once(staff_client, village):
    development = DevelopmentFactory(village=village, applied_on=dt.date(2024, 1, 10))
    url = reverse("cadres:development_action", args=[development.public_id, "talk"])
    assert staff_client.post(url, {"talk-talked_on": "2024-01-20"}).status_code == 302
    assert Development.objects.get().talked_on == dt.date(2024, 1, 20)


def test_withdrawing_a_reserve_cadre_is_confirmed_first(staff_client, village):
    reserve = ReserveCadreFactory(village=village)
    url = reverse("cadres:reserve_action", args=[reserve.public_id, "withdraw"])
    with database_unchanged():
        response = staff_client.post(url, {"withdraw-reason": "迁出本村"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "确认办理：退出" in page and "办理后去向为“已退出”" in page and "迁出本村" in page
    revised = staff_client.post(url, {"withdraw-reason": "迁出本村", "revise": "1"})
    assert revised.status_code == 200 and 'value="迁出本村"' in revised.content.decode()
    assert ReserveCadre.objects.get().outcome == "in_reserve"
    assert staff_client.post(url, {"withdraw-reason": "迁出本村", "confirmed": "1"}).status_code == 302
    assert ReserveCadre.objects.get().outcome == "withdrawn"


def test_ending_a_post_is_confirmed_first(staff_client, village):
    post = PostFactory(village=village)  # started 2021-04-01
    url = reverse("cadres:post_end", args=[post.public_id])
    with database_unchanged():
        before_start = staff_client.post(url, {"end_date": "2021-03-31"})
    assert before_start.status_code == 400 and "确认办理" not in before_start.content.decode()
    with database_unchanged():
        response = staff_client.post(url, {"end_date": "2021-04-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{post.person.name}自2021-04-01起不再担任" in page and CANNOT_UNDO in page
    revised = staff_client.post(url, {"end_date": "2021-04-01", "revise": "1"})
    assert revised.status_code == 200 and 'value="2021-04-01"' in revised.content.decode()
    assert Post.objects.get().end_date is None
    done = staff_client.post(url, {"end_date": "2021-04-01", "confirmed": "1"})
    assert done.status_code == 302
    assert Post.objects.get().end_date == dt.date(2021, 4, 1)
