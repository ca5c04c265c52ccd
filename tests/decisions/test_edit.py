"""Correcting a matter before its proposal: a typo in the title or the amount can be fixed through the
service, with history; once 提议 is recorded the matter's text is frozen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from decisions import services
from decisions.models import Matter, StepKind
from governance.audit import acting_as
from tests.helpers import database_unchanged

pytestmark = pytest.mark.django_db


def edit_url(matter):
    return reverse("decisions:matter_edit", kwargs={"public_id": matter.public_id})


def edit_data(**changes):
    data = {
        "title": "村道硬化工程（更正）",
        "category": "fund_use",
        "amount": "880000",
        "description": "硬化村道3.2公里。",
        "planned_completion": "2025-11-30",
        "version": "1",  # the matter as the form was opened (governance.versioning)
    }
    return {**data, **changes}


def fields(**changes):
    data = edit_data(**changes)
    return {
        **data,
        "amount": Decimal(data["amount"]) if data["amount"] else None,
        "planned_completion": dt.date.fromisoformat(data["planned_completion"]),
        "version": int(data["version"]),
    }


def test_a_new_matter_is_corrected_and_the_change_is_in_its_history(matter, staff):
    old_title = matter.title
    with acting_as(staff):
        services.matter_update(matter=matter, user=staff, **fields())
    matter.refresh_from_db()
    assert matter.title == "村道硬化工程（更正）" and matter.amount == Decimal("880000")
    assert matter.category == "fund_use" and matter.planned_completion == dt.date(2025, 11, 30)
    latest = matter.history.first()
    assert latest.history_type == "~" and latest.history_user == staff
    assert latest.prev_record.title == old_title


def test_a_proposed_matter_can_no_longer_be_corrected(matter_at, staff):
    matter = matter_at(StepKind.PROPOSE)
    title = matter.title
    with pytest.raises(ValidationError) as error:
        services.matter_update(matter=matter, user=staff, **fields())
    assert error.value.messages == [services.MATTER_LOCKED]
    matter.refresh_from_db()
    assert matter.title == title


def test_the_service_rechecks_the_state_under_the_lock(matter, staff):
    """A stale object (the page was opened before someone recorded the proposal) is refused too."""
    stale = Matter.objects.get(pk=matter.pk)
    services.matter_propose(matter=matter, user=staff, held_on=dt.date(2025, 3, 3), text="提议")
    with pytest.raises(ValidationError):
        services.matter_update(matter=stale, user=staff, **fields())


def test_staff_correct_a_matter_through_the_edit_page(staff_client, matter):
    detail = reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})
    assert edit_url(matter) in staff_client.get(detail).content.decode()
    page = staff_client.get(edit_url(matter)).content.decode()
    assert matter.title in page and "保存修改" in page and 'name="village"' not in page
    response = staff_client.post(edit_url(matter), edit_data())
    assert response.status_code == 302 and response.url == detail
    matter.refresh_from_db()
    assert matter.title == "村道硬化工程（更正）"
    assert "村道硬化工程（更正）" in staff_client.get(detail).content.decode()


def test_bad_input_on_the_edit_page_saves_nothing(staff_client, matter):
    title = matter.title
    response = staff_client.post(edit_url(matter), edit_data(title="", amount="-1"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "amount"}
    matter.refresh_from_db()
    assert matter.title == title


def test_after_the_proposal_the_edit_page_sends_back_with_the_reason(staff_client, matter_at):
    matter = matter_at(StepKind.PROPOSE)
    detail = reverse("decisions:matter_detail", kwargs={"public_id": matter.public_id})
    assert edit_url(matter) not in staff_client.get(detail).content.decode()
    response = staff_client.post(edit_url(matter), edit_data(), follow=True)
    assert services.MATTER_LOCKED in response.content.decode()
    matter.refresh_from_db()
    assert matter.title != "村道硬化工程（更正）"


def test_the_edit_page_refuses_readers_outsiders_anonymous_and_wrong_methods(
    official_client, outsider_client, client, staff_client, matter
):
    assert official_client.get(edit_url(matter)).status_code == 403
    assert outsider_client.get(edit_url(matter)).status_code == 404
    data = edit_data(version=getattr(matter, "version", 1))
    with database_unchanged():
        assert official_client.post(edit_url(matter), data).status_code == 403
        assert outsider_client.post(edit_url(matter), data).status_code == 404
    response = client.get(edit_url(matter))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert staff_client.put(edit_url(matter)).status_code == 405
    matter.refresh_from_db()
    assert matter.title != "村道硬化工程（更正）"
