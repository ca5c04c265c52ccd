"""The yearly review: draft → submitted → confirmed, or returned with a reason → edited →
resubmitted; one per branch and year; scores 0-100; the total is the mean of the six."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from standards import services
from standards.models import Review
from tests.standards.factories import ReviewFactory, scores

pytestmark = pytest.mark.django_db


def _data(values=(80, 80, 80, 80, 80, 80)) -> dict:
    return {**scores(values), "assessor": "乡镇党建办"}


def _form(values=(80, 80, 80, 80, 80, 80), **extra) -> dict:
    return {**{k: str(v) for k, v in _data(values).items()}, **extra}


def test_the_total_is_the_mean_of_the_six_scores_to_two_decimals(branch, staff):
    review = services.review_create(
        branch=branch, year=2025, user=staff, data=_data((90, 85, 70, 60, 100, 77))
    )
    # (90 + 85 + 70 + 60 + 100 + 77) / 6 = 482 / 6 = 80.333…
    assert review.total == Decimal("80.33")
    assert review.state == Review.State.DRAFT


def test_a_review_goes_draft_submitted_returned_resubmitted_confirmed(branch, staff, official):
    review = services.review_create(branch=branch, year=2025, user=staff, data=_data())
    services.review_submit(review=review, user=staff)
    assert review.state == Review.State.SUBMITTED and review.submitted_at
    with pytest.raises(ValidationError) as caught:
        services.review_update(review=review, user=staff, version=review.version, data=_data())
    assert caught.value.messages == [services.REVIEW_LOCKED % {"state": "已提交"}]
    services.review_return(review=review, user=official, reason="组织生活缺少记录。")
    assert review.state == Review.State.RETURNED and review.return_reason == "组织生活缺少记录。"
    services.review_update(review=review, user=staff, version=review.version, data=_data((90,) * 6))
    services.review_submit(review=review, user=staff)
    services.review_confirm(review=review, user=official)
    review.refresh_from_db()
    assert review.state == Review.State.CONFIRMED and review.confirmed_by == official
    assert review.total == Decimal("90.00")


@pytest.mark.parametrize("state", [Review.State.DRAFT, Review.State.RETURNED, Review.State.CONFIRMED])
def test_only_a_submitted_review_can_be_confirmed(branch, official, state):
    review = ReviewFactory(branch=branch, state=state)
    with pytest.raises(ValidationError) as caught:
        services.review_confirm(review=review, user=official)
    label = Review.State(state).label
    assert caught.value.messages == [services.CONFIRM_WRONG_STATE % {"state": label}]
    review.refresh_from_db()
    assert review.state == state


def test_returning_needs_a_reason_and_a_submitted_review(branch, official):
    submitted = ReviewFactory(branch=branch, state=Review.State.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        services.review_return(review=submitted, user=official, reason="  ")
    assert caught.value.message_dict == {"reason": [services.RETURN_REASON_REQUIRED]}
    draft = ReviewFactory(branch=branch, year=2024)
    with pytest.raises(ValidationError):
        services.review_return(review=draft, user=official, reason="请补充。")


def test_a_second_review_for_the_same_branch_and_year_is_refused(branch, staff):
    services.review_create(branch=branch, year=2025, user=staff, data=_data())
    with pytest.raises(ValidationError) as caught:
        services.review_create(branch=branch, year=2025, user=staff, data=_data())
    assert caught.value.message_dict["year"] == [
        services.REVIEW_DUPLICATE % {"branch": branch.name, "year": 2025}
    ]
    assert services.review_create(branch=branch, year=2024, user=staff, data=_data()).year == 2024


def test_the_database_refuses_a_second_review_too(branch):
    ReviewFactory(branch=branch, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(branch=branch, year=2025)


def test_the_form_says_so_for_a_second_review_and_keeps_the_values(staff_client, branch):
    ReviewFactory(branch=branch, year=2025)
    response = staff_client.post(
        "/standards/reviews/new/", _form((91, 80, 80, 80, 80, 80), branch=str(branch.pk), year="2025")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{branch.name}的2025年度六个标准化考评已经录入" in html
    assert 'value="91"' in html
    assert Review.objects.count() == 1


@pytest.mark.parametrize(("score", "accepted"), [(-1, False), (0, True), (100, True), (101, False)])
def test_scores_are_0_to_100_on_the_form(staff_client, branch, score, accepted):
    response = staff_client.post(
        "/standards/reviews/new/", _form((score, 80, 80, 80, 80, 80), branch=str(branch.pk), year="2025")
    )
    assert (response.status_code == 302) is accepted
    assert Review.objects.exists() is accepted
    if not accepted:
        assert response.status_code == 400 and f'value="{score}"' in response.content.decode()


@pytest.mark.parametrize(("score", "accepted"), [(-1, False), (0, True), (100, True), (101, False)])
def test_scores_are_0_to_100_in_the_database(branch, score, accepted):
    values = (80, 80, 80, 80, 80, score)
    if accepted:
        assert ReviewFactory(branch=branch, values=values).score_assessment == score
        return
    with pytest.raises((IntegrityError, ValueError)), transaction.atomic():
        review = Review(
            branch=branch, year=2025, assessor="x", created_by=ReviewFactory().created_by, **scores(values)
        )
        review.total = 80
        review.save()


def test_confirming_a_draft_through_the_page_is_refused(official_client, branch):
    review = ReviewFactory(branch=branch)
    url = f"/standards/reviews/{review.public_id}/confirm/"
    page = official_client.get(url)
    assert page.status_code == 400 and "只有已提交的考评可以确认" in page.content.decode()
    assert 'name="confirmed"' not in page.content.decode()
    response = official_client.post(url, {"confirmed": "1"})
    assert response.status_code == 400
    review.refresh_from_db()
    assert review.state == Review.State.DRAFT


def test_submit_confirm_and_return_go_through_a_confirmation_page(staff_client, official_client, branch):
    review = ReviewFactory(branch=branch)
    submit = f"/standards/reviews/{review.public_id}/submit/"
    page = staff_client.get(submit)
    assert page.status_code == 200 and 'name="confirmed"' in page.content.decode()
    review.refresh_from_db()
    assert review.state == Review.State.DRAFT  # the dry run kept nothing
    assert staff_client.post(submit, {"confirmed": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.state == Review.State.SUBMITTED
    back = f"/standards/reviews/{review.public_id}/return/"
    first = official_client.post(back, {"reason": "请补充佐证。"})  # not yet confirmed
    assert first.status_code == 200 and 'name="confirmed"' in first.content.decode()
    review.refresh_from_db()
    assert review.state == Review.State.SUBMITTED
    empty = official_client.post(back, {"reason": "", "confirmed": "1"})
    assert empty.status_code == 400
    assert official_client.post(back, {"reason": "请补充佐证。", "confirmed": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.state == Review.State.RETURNED and review.return_reason == "请补充佐证。"


def test_a_township_user_cannot_confirm_and_an_official_cannot_submit(staff_client, official_client, branch):
    review = ReviewFactory(branch=branch, state=Review.State.SUBMITTED)
    assert (
        staff_client.post(f"/standards/reviews/{review.public_id}/confirm/", {"confirmed": "1"}).status_code
        == 403
    )
    draft = ReviewFactory(branch=branch, year=2024)
    assert (
        official_client.post(f"/standards/reviews/{draft.public_id}/submit/", {"confirmed": "1"}).status_code
        == 403
    )


def test_another_township_cannot_see_or_submit_a_review(outsider_client, branch):
    review = ReviewFactory(branch=branch)
    assert outsider_client.get(f"/standards/reviews/{review.public_id}/").status_code == 404
    assert (
        outsider_client.post(f"/standards/reviews/{review.public_id}/submit/", {"confirmed": "1"}).status_code
        == 404
    )


def test_an_official_of_another_county_gets_404(branch, other_official):
    from django.test import Client

    client = Client()
    client.force_login(other_official)
    review = ReviewFactory(branch=branch, state=Review.State.SUBMITTED)
    assert client.get(f"/standards/reviews/{review.public_id}/").status_code == 404
    assert (
        client.post(f"/standards/reviews/{review.public_id}/confirm/", {"confirmed": "1"}).status_code == 404
    )


def test_the_review_list_filters_by_area_below_a_score_and_exports(official_client, branch, township):
    low = ReviewFactory(branch=branch, year=2025, values=(80, 80, 55, 80, 80, 80))
    ReviewFactory(branch=branch, year=2024, values=(80, 80, 75, 80, 80, 80))
    page = official_client.get("/standards/reviews/?area=life&below=60")
    html = page.content.decode()
    assert f"/standards/reviews/{low.public_id}/" in html and "共 1 份考评" in html
    export = official_client.get(f"/standards/reviews/?township={township.code}&year=2025&export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert branch.name in text and "75.83" in text  # (80 × 5 + 55) / 6 = 455 / 6
